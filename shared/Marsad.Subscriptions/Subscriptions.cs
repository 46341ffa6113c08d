using System.Security.Cryptography;
using System.Text.Json;
using Marsad.Hosting;
using Marsad.Search;
using Marsad.Search.Elasticsearch;
using Microsoft.Extensions.Options;
using Marsad.Search.Queries;

namespace Marsad.Subscriptions;

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

    /// <summary>Who the subscription is for (a user name or a desk), to list one's own; free text.</summary>
    public string? Owner { get; init; }

    /// <summary>The key webhooks are signed with (HMAC-SHA256), made when the subscription is; the receiver keeps a copy.</summary>
    public string? Secret { get; init; }
}

/// <summary>A change to a subscription: what is null stays as it is; an empty webhook or e-mail removes it.</summary>
public sealed record SubscriptionChange(string? Name = null, string? Query = null, string? Webhook = null, string? Email = null, DigestMode? Mode = null, bool? Enabled = null, string? Owner = null);

/// <summary>
/// A subscription as it is shown (CLI, API): everything but its secret, which is shown once, when it is made or
/// when a new webhook address gives it a new one (then <see cref="Secret"/> is set, and only then).
/// </summary>
public sealed record SubscriptionView(string Id, string Name, string Query, string? Webhook, string? Email, DigestMode Mode, bool Enabled, DateTimeOffset CreatedAt, string? Owner)
{
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Secret { get; init; }

    public static SubscriptionView Of(Subscription subscription) => new(
        subscription.Id, subscription.Name, subscription.Query, subscription.Webhook, subscription.Email, subscription.Mode, subscription.Enabled, subscription.CreatedAt, subscription.Owner);
}

/// <summary>
/// Where subscriptions are kept. A query is compiled when a subscription is added or edited, so a malformed one is
/// refused then, with the reason, rather than failing later; so is a webhook that is not an http(s) URL.
/// </summary>
public abstract class SubscriptionStore(TimeProvider timeProvider)
{
    /// <summary>
    /// Every subscription. While none changes, the same list is returned, so a caller may keep what it derived from
    /// it (compiled queries) for as long as it is the same instance.
    /// </summary>
    public abstract Task<IReadOnlyList<Subscription>> ListAsync(CancellationToken cancellationToken);

    public abstract Task<bool> RemoveAsync(string id, CancellationToken cancellationToken);

    protected abstract Task SaveNewAsync(Subscription subscription, CancellationToken cancellationToken);

    /// <summary>Applies <paramref name="change"/> to the subscription with this id and saves it; null when there is none.</summary>
    protected abstract Task<Subscription?> ChangeAsync(string id, Func<Subscription, Subscription> change, CancellationToken cancellationToken);

    /// <exception cref="QuerySyntaxException">The query cannot be used.</exception>
    /// <exception cref="ArgumentException">The webhook is not an absolute http or https URL.</exception>
    public async Task<Subscription> AddAsync(string name, string query, string? webhook, string? email, DigestMode mode, string? owner, CancellationToken cancellationToken)
    {
        SubscriptionRules.Check(new SubscriptionChange(name, query, webhook, email, mode, Owner: owner), creating: true);
        var subscription = new Subscription
        {
            Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)),
            Name = name,
            Query = query,
            Webhook = webhook,
            Email = email,
            Mode = mode,
            CreatedAt = timeProvider.GetUtcNow(),
            Owner = owner,
            Secret = NewSecret(),
        };
        await SaveNewAsync(subscription, cancellationToken);
        return subscription;
    }

    /// <summary>
    /// Changes a subscription (null: keep as is) and returns it, or null when there is none with this id. What it
    /// already matched is never sent again, whatever the change: the alert history is kept by subscription and article.
    /// </summary>
    /// <exception cref="QuerySyntaxException">The new query cannot be used.</exception>
    /// <exception cref="ArgumentException">The new webhook is not an absolute http or https URL.</exception>
    public Task<Subscription?> UpdateAsync(string id, SubscriptionChange change, CancellationToken cancellationToken)
    {
        SubscriptionRules.Check(change, creating: false);
        return ChangeAsync(id, current =>
        {
            var webhook = change.Webhook is "" ? null : change.Webhook ?? current.Webhook;
            return current with
            {
                Name = change.Name ?? current.Name,
                Query = change.Query ?? current.Query,
                Webhook = webhook,
                Email = change.Email is "" ? null : change.Email ?? current.Email,
                Mode = change.Mode ?? current.Mode,
                Enabled = change.Enabled ?? current.Enabled,
                Owner = change.Owner is "" ? null : change.Owner ?? current.Owner,
                // Whoever learnt the old secret must not sign for the new receiver: a new address gets a new secret.
                Secret = webhook is not null && webhook != current.Webhook ? NewSecret() : current.Secret,
            };
        }, cancellationToken);
    }

    private static string NewSecret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
}

/// <summary>
/// The one rule set every subscription passes, whatever the route (CLI add and edit, API POST and PATCH): the query
/// compiles within <see cref="QueryLimits"/>, the webhook is an http(s) URL, the e-mail is one bare address as
/// MimeKit (which sends it) reads it, and every stored string has a length cap.
/// </summary>
public static class SubscriptionRules
{
    public const int MaxNameLength = 200;
    public const int MaxOwnerLength = 200;
    public const int MaxWebhookLength = 2048;

    /// <summary>RFC 5321's longest forward path.</summary>
    public const int MaxEmailLength = 254;

    /// <exception cref="QuerySyntaxException">The query cannot be used.</exception>
    /// <exception cref="ArgumentException">Another field breaks a rule; the message says which.</exception>
    public static void Check(SubscriptionChange change, bool creating)
    {
        if (creating && (string.IsNullOrWhiteSpace(change.Name) || string.IsNullOrWhiteSpace(change.Query)))
        {
            throw new ArgumentException("A subscription needs a name and a query.");
        }
        CheckText(change.Name, "name", MaxNameLength, allowEmpty: false);
        CheckText(change.Owner, "owner", MaxOwnerLength, allowEmpty: true);
        if (change.Query is { } query)
        {
            StoredQueryMatcher.Compile(query);
        }
        if (change.Webhook is { Length: > 0 } webhook)
        {
            CheckText(webhook, "webhook", MaxWebhookLength, allowEmpty: false);
            if (!(Uri.TryCreate(webhook, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"))
            {
                throw new ArgumentException("The webhook is not an http or https URL.");
            }
        }
        if (change.Email is { Length: > 0 } email)
        {
            CheckText(email, "email", MaxEmailLength, allowEmpty: false);
            // One bare address, as the sender will parse it: no display name, no second address, no header folded in.
            if (!MimeKit.MailboxAddress.TryParse(email, out var mailbox) || mailbox.Address != email || !email.Contains('@'))
            {
                throw new ArgumentException("The e-mail is not one plain address (name@example.org).");
            }
        }
    }

    private static void CheckText(string? value, string field, int maxLength, bool allowEmpty)
    {
        if (value is null)
        {
            return;
        }
        if (!allowEmpty && string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException($"The {field} cannot be empty.");
        }
        if (value.Length > maxLength)
        {
            throw new ArgumentException($"The {field} is {value.Length:N0} characters long; at most {maxLength} are allowed.");
        }
        if (value.Any(char.IsControl))
        {
            throw new ArgumentException($"The {field} contains control characters (line breaks, tabs…).");
        }
    }
}

/// <summary>The subscriptions of the embedded mode: <c>subscriptions.json</c> in the data folder.</summary>
public sealed class FileSubscriptionStore(IOptions<MarsadOptions> options, TimeProvider timeProvider) : SubscriptionStore(timeProvider)
{
    private readonly JsonListFile<Subscription> _file = new(Path.Combine(options.Value.DataDir, "subscriptions.json"));

    public override Task<IReadOnlyList<Subscription>> ListAsync(CancellationToken cancellationToken) => _file.ReadAsync(cancellationToken);

    public override Task<bool> RemoveAsync(string id, CancellationToken cancellationToken) =>
        _file.UpdateAsync(subscriptions =>
        {
            var removed = subscriptions.RemoveAll(subscription => subscription.Id == id) > 0;
            return (removed, removed);
        }, cancellationToken);

    protected override Task SaveNewAsync(Subscription subscription, CancellationToken cancellationToken) =>
        _file.UpdateAsync(subscriptions =>
        {
            subscriptions.Add(subscription);
            return (true, true);
        }, cancellationToken);

    protected override Task<Subscription?> ChangeAsync(string id, Func<Subscription, Subscription> change, CancellationToken cancellationToken) =>
        _file.UpdateAsync(subscriptions =>
        {
            var index = subscriptions.FindIndex(subscription => subscription.Id == id);
            if (index < 0)
            {
                return (false, (Subscription?)null);
            }
            subscriptions[index] = change(subscriptions[index]);
            return (true, subscriptions[index]);
        }, cancellationToken);
}

/// <summary>
/// The subscriptions of the distributed mode, in Elasticsearch (<c>Elasticsearch:SubscriptionsIndex</c>), so the api
/// service that manages them and the alerts service that matches them share them. Read at most every few seconds:
/// a change reaches the matcher within <see cref="ListFor"/>.
/// </summary>
public sealed class ElasticsearchSubscriptionStore(ElasticsearchOptions options, TimeProvider timeProvider) : SubscriptionStore(timeProvider)
{
    /// <summary>How long a list read from the cluster is used before it is read again.</summary>
    public static readonly TimeSpan ListFor = TimeSpan.FromSeconds(5);

    private readonly ElasticsearchDocuments<Subscription> _documents = new(options, options.SubscriptionsIndex, subscription => subscription.Id);
    private readonly TimeProvider _clock = timeProvider;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (DateTimeOffset ReadAt, string Json, IReadOnlyList<Subscription> Items)? _cached;

    public override async Task<IReadOnlyList<Subscription>> ListAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_cached is { } cached && _clock.GetUtcNow() - cached.ReadAt < ListFor)
            {
                return cached.Items;
            }
            var items = await _documents.ListAsync(cancellationToken);
            var json = JsonSerializer.Serialize(items);
            // Unchanged: the same instance as before, so what was compiled from it is kept.
            var kept = _cached is { } previous && previous.Json == json ? previous.Items : items;
            _cached = (_clock.GetUtcNow(), json, kept);
            return kept;
        }
        finally
        {
            _gate.Release();
        }
    }

    public override async Task<bool> RemoveAsync(string id, CancellationToken cancellationToken)
    {
        var removed = await _documents.DeleteAsync(id, cancellationToken);
        Forget();
        return removed;
    }

    protected override async Task SaveNewAsync(Subscription subscription, CancellationToken cancellationToken)
    {
        await _documents.PutAsync(subscription, cancellationToken);
        Forget();
    }

    protected override async Task<Subscription?> ChangeAsync(string id, Func<Subscription, Subscription> change, CancellationToken cancellationToken)
    {
        Forget();
        if ((await ListAsync(cancellationToken)).FirstOrDefault(subscription => subscription.Id == id) is not { } current)
        {
            return null;
        }
        var changed = change(current);
        await _documents.PutAsync(changed, cancellationToken);
        Forget();
        return changed;
    }

    // This process changed something: its next read goes to the cluster.
    private void Forget() => _cached = _cached is { } cached ? cached with { ReadAt = DateTimeOffset.MinValue } : null;
}
