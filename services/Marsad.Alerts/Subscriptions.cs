using System.Security.Cryptography;
using Marsad.Hosting;
using Marsad.Search;
using Marsad.Search.Lucene;
using Microsoft.Extensions.Options;

namespace Marsad.Alerts;

public enum DigestMode
{
    Instant,
    Hourly,
    Daily,
}

/// <summary>A keyword alert: a query in the search syntax, and where its matches should go.</summary>
public sealed record Subscription
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Query { get; init; }
    public string? Webhook { get; init; }
    public string? Email { get; init; }
    public DigestMode Mode { get; init; } = DigestMode.Instant;
    public bool Enabled { get; init; } = true;
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The key webhooks are signed with (HMAC-SHA256), made when the subscription is; the receiver keeps a copy.</summary>
    public string? Secret { get; init; }
}

/// <summary>
/// The subscriptions of the embedded mode: <c>subscriptions.json</c> in the data folder. A query is compiled when
/// the subscription is added, so a malformed one is refused then, with the reason, rather than failing later.
/// </summary>
public sealed class SubscriptionStore(IOptions<MarsadOptions> options, TimeProvider timeProvider)
{
    private readonly JsonListFile<Subscription> _file = new(Path.Combine(options.Value.DataDir, "subscriptions.json"));

    public Task<IReadOnlyList<Subscription>> ListAsync(CancellationToken cancellationToken) => _file.ReadAsync(cancellationToken);

    /// <exception cref="QuerySyntaxException">The query cannot be used.</exception>
    /// <exception cref="ArgumentException">The webhook is not an absolute http or https URL.</exception>
    public Task<Subscription> AddAsync(string name, string query, string? webhook, string? email, DigestMode mode, CancellationToken cancellationToken)
    {
        StoredQueryMatcher.Compile(query);
        if (webhook is not null && !(Uri.TryCreate(webhook, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"))
        {
            throw new ArgumentException($"'{webhook}' is not an http or https URL", nameof(webhook));
        }
        var subscription = new Subscription
        {
            Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)),
            Name = name,
            Query = query,
            Webhook = webhook,
            Email = email,
            Mode = mode,
            CreatedAt = timeProvider.GetUtcNow(),
            Secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
        };
        return _file.UpdateAsync(subscriptions =>
        {
            subscriptions.Add(subscription);
            return (true, subscription);
        }, cancellationToken);
    }

    public Task<bool> RemoveAsync(string id, CancellationToken cancellationToken) =>
        _file.UpdateAsync(subscriptions =>
        {
            var removed = subscriptions.RemoveAll(subscription => subscription.Id == id) > 0;
            return (removed, removed);
        }, cancellationToken);
}
