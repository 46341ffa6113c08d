using System.Security.Cryptography;
using Marsad.Hosting;
using Marsad.Search;
using Marsad.Search.Lucene;
using Microsoft.Extensions.Options;

namespace Marsad.Alerts;

[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<DigestMode>))]
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

/// <summary>A change to a subscription: what is null stays as it is; an empty webhook or e-mail removes it.</summary>
public sealed record SubscriptionChange(string? Name = null, string? Query = null, string? Webhook = null, string? Email = null, DigestMode? Mode = null, bool? Enabled = null);

/// <summary>A subscription as it is shown (CLI, API): everything but its secret, which is shown once, when it is made.</summary>
public sealed record SubscriptionView(string Id, string Name, string Query, string? Webhook, string? Email, DigestMode Mode, bool Enabled, DateTimeOffset CreatedAt)
{
    public static SubscriptionView Of(Subscription subscription) => new(
        subscription.Id, subscription.Name, subscription.Query, subscription.Webhook, subscription.Email, subscription.Mode, subscription.Enabled, subscription.CreatedAt);
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
        ValidateWebhook(webhook);
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

    /// <summary>
    /// Changes a subscription (null: keep as is) and returns it, or null when there is none with this id. What it
    /// already matched is never sent again, whatever the change: the alert history is kept by subscription and article.
    /// </summary>
    /// <exception cref="QuerySyntaxException">The new query cannot be used.</exception>
    /// <exception cref="ArgumentException">The new webhook is not an absolute http or https URL.</exception>
    public Task<Subscription?> UpdateAsync(string id, SubscriptionChange change, CancellationToken cancellationToken)
    {
        if (change.Query is { } query)
        {
            StoredQueryMatcher.Compile(query);
        }
        ValidateWebhook(change.Webhook);
        return _file.UpdateAsync(subscriptions =>
        {
            var index = subscriptions.FindIndex(subscription => subscription.Id == id);
            if (index < 0)
            {
                return (false, (Subscription?)null);
            }
            var current = subscriptions[index];
            subscriptions[index] = current with
            {
                Name = change.Name ?? current.Name,
                Query = change.Query ?? current.Query,
                Webhook = change.Webhook is "" ? null : change.Webhook ?? current.Webhook,
                Email = change.Email is "" ? null : change.Email ?? current.Email,
                Mode = change.Mode ?? current.Mode,
                Enabled = change.Enabled ?? current.Enabled,
            };
            return (true, subscriptions[index]);
        }, cancellationToken);
    }

    private static void ValidateWebhook(string? webhook)
    {
        if (webhook is { Length: > 0 } && !(Uri.TryCreate(webhook, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"))
        {
            throw new ArgumentException($"'{webhook}' is not an http or https URL", nameof(webhook));
        }
    }

    public Task<bool> RemoveAsync(string id, CancellationToken cancellationToken) =>
        _file.UpdateAsync(subscriptions =>
        {
            var removed = subscriptions.RemoveAll(subscription => subscription.Id == id) > 0;
            return (removed, removed);
        }, cancellationToken);
}
