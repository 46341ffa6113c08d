using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Marsad.Contracts;
using Marsad.Hosting;
using Microsoft.Extensions.Options;

namespace Marsad.Subscriptions;

[JsonConverter(typeof(JsonStringEnumConverter<DeliveryStatus>))]
public enum DeliveryStatus
{
    /// <summary>Not delivered yet; tried again at <see cref="AlertDelivery.NextAttemptAt"/>.</summary>
    Pending,
    Delivered,

    /// <summary>Given up: refused for good by the receiver or by the address guard, or still failing after the retry period.</summary>
    Failed,
}

/// <summary>One alert on its way to one channel: what is sent (the same body, and so the same signature, every try) and how it went.</summary>
public sealed record AlertDelivery
{
    public required string SubscriptionId { get; init; }
    public required string ArticleId { get; init; }
    public required string Channel { get; init; }
    public required string Target { get; init; }
    public required string Body { get; init; }
    public required DateTimeOffset RaisedAt { get; init; }
    public DeliveryStatus Status { get; init; } = DeliveryStatus.Pending;
    public int Attempts { get; init; }
    public DateTimeOffset NextAttemptAt { get; init; }
    public DateTimeOffset? DeliveredAt { get; init; }
    public string? LastError { get; init; }

    public string Key => $"{SubscriptionId}/{ArticleId}/{Channel}";

    /// <summary>A digest's deliveries stand in the journal under an article id with this prefix (one per period).</summary>
    public const string DigestIdPrefix = "digest-";

    public const string WebhookChannel = "webhook";

    public const string EmailChannel = "email";
}

/// <summary>
/// Every delivery and each change to it, in an append-only file (<c>alerts/deliveries.jsonl</c>; the last line for a
/// delivery is its state), so a delivery still pending when the service stops is tried again when it starts.
/// </summary>
public sealed class DeliveryJournal : IDisposable
{
    private readonly AppendOnlyFile _file;
    private readonly Lazy<Memory> _memory;
    private readonly Lock _gate = new();

    public DeliveryJournal(IOptions<MarsadOptions> options)
    {
        _file = File(options.Value.DataDir);
        _memory = new(() => new Memory(Compacted(_file)));
    }

    /// <summary>
    /// What the sender needs in memory: the key of every delivery ever made (so none is made twice) and the pending
    /// ones with their bodies; a delivered or failed delivery's body stays only in the file.
    /// </summary>
    private sealed class Memory
    {
        public Memory(IEnumerable<AlertDelivery> latest)
        {
            foreach (var delivery in latest)
            {
                Set(delivery);
            }
        }

        public HashSet<string> Known { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, AlertDelivery> Pending { get; } = new(StringComparer.Ordinal);

        public void Set(AlertDelivery delivery)
        {
            Known.Add(delivery.Key);
            if (delivery.Status == DeliveryStatus.Pending)
            {
                Pending[delivery.Key] = delivery;
            }
            else
            {
                Pending.Remove(delivery.Key);
            }
        }
    }

    /// <summary>Raised when a delivery is added, so the sender need not wait for its next look.</summary>
    public event Action? Added;

    /// <summary>Adds a delivery unless one for the same alert and channel exists (a re-delivered message adds nothing).</summary>
    public bool Add(AlertDelivery delivery)
    {
        lock (_gate)
        {
            if (_memory.Value.Known.Contains(delivery.Key))
            {
                return false;
            }
            Write(delivery);
        }
        Added?.Invoke();
        return true;
    }

    /// <summary>One delivery of <paramref name="body"/> per channel the subscription has (webhook, e-mail), each added as <see cref="Add"/> does.</summary>
    public void AddForEachChannel(Subscription subscription, string articleId, string body, DateTimeOffset raisedAt, DateTimeOffset dueAt)
    {
        foreach (var (channel, target) in new[] { (AlertDelivery.WebhookChannel, subscription.Webhook), (AlertDelivery.EmailChannel, subscription.Email) })
        {
            if (target is not null)
            {
                Add(new AlertDelivery
                {
                    SubscriptionId = subscription.Id,
                    ArticleId = articleId,
                    Channel = channel,
                    Target = target,
                    Body = body,
                    RaisedAt = raisedAt,
                    NextAttemptAt = dueAt,
                });
            }
        }
    }

    public void Update(AlertDelivery delivery)
    {
        lock (_gate)
        {
            Write(delivery);
        }
    }

    /// <summary>The pending deliveries whose time has come, oldest first.</summary>
    public IReadOnlyList<AlertDelivery> Due(DateTimeOffset now)
    {
        lock (_gate)
        {
            return _memory.Value.Pending.Values.Where(delivery => delivery.NextAttemptAt <= now).OrderBy(delivery => delivery.NextAttemptAt).ToList();
        }
    }

    /// <summary>Waits until every delivery has been tried at least once (or the time is up): a one-shot run ends after its alerts went out.</summary>
    public async Task FirstAttemptsAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && Untried())
        {
            await Task.Delay(50, cancellationToken);
        }

        bool Untried()
        {
            lock (_gate)
            {
                return _memory.Value.Pending.Values.Any(delivery => delivery.Attempts == 0);
            }
        }
    }

    /// <summary>When the next pending delivery is due, if any is pending.</summary>
    public DateTimeOffset? NextDue()
    {
        lock (_gate)
        {
            return _memory.Value.Pending.Values.Select(delivery => (DateTimeOffset?)delivery.NextAttemptAt).Min();
        }
    }

    private void Write(AlertDelivery delivery)
    {
        _memory.Value.Set(delivery);
        _file.Append(JsonSerializer.Serialize(delivery, JsonSerializerOptions.Web));
        Written?.Invoke(delivery);
    }

    /// <summary>Raised with each delivery's new state as it is written (the distributed mode copies it to the alert log users read).</summary>
    public event Action<AlertDelivery>? Written;

    /// <summary>Each delivery's latest state, as recorded in a data folder; only one subscription's when given.</summary>
    public static IReadOnlyList<AlertDelivery> Read(string dataDir, string? subscriptionId = null) =>
        Read(File(dataDir), subscriptionId).GroupBy(delivery => delivery.Key).Select(group => group.Last()).ToList();

    public void Dispose() => _file.Dispose();

    private static AppendOnlyFile File(string dataDir) => new(Path.Combine(dataDir, "alerts", "deliveries.jsonl"));

    private static IEnumerable<AlertDelivery> Read(AppendOnlyFile file, string? subscriptionId = null) =>
        JournalLines.Of(file, subscriptionId).Select(line => JsonSerializer.Deserialize<AlertDelivery>(line, JsonSerializerOptions.Web)!);

    /// <summary>
    /// Rewrites the journal with each delivery's latest line only, when superseded lines are most of it (every try
    /// of every delivery is a line, so a failing receiver grows it by one line an attempt). Done before this journal
    /// writes, as the file is first read: readers elsewhere see the old file or the new one, never half of one.
    /// </summary>
    private static IReadOnlyList<AlertDelivery> Compacted(AppendOnlyFile file)
    {
        var lines = 0;
        var latest = new Dictionary<string, AlertDelivery>(StringComparer.Ordinal);
        foreach (var delivery in Read(file))
        {
            lines++;
            latest[delivery.Key] = delivery;
        }
        if (lines > CompactAbove && lines > 2 * latest.Count)
        {
            JournalCompaction.Replace(file, latest.Values.Select(delivery => JsonSerializer.Serialize(delivery, JsonSerializerOptions.Web)));
        }
        return latest.Values.ToList();
    }

    /// <summary>Drops the deliveries of subscriptions that no longer exist, as <see cref="AlertHistory.Compact"/> does their alerts.</summary>
    public int Compact(IReadOnlySet<string> subscriptions)
    {
        lock (_gate)
        {
            return _memory.IsValueCreated
                ? 0
                : JournalCompaction.Rewrite(_file, line => subscriptions.Contains(JsonSerializer.Deserialize<AlertDelivery>(line, JsonSerializerOptions.Web)!.SubscriptionId));
        }
    }

    /// <summary>Below this many lines a journal is never rewritten: compaction is for journals that have grown.</summary>
    public const int CompactAbove = 1000;
}

/// <summary>Rewrites an append-only journal with only the lines it keeps, atomically, when it drops a good share of them.</summary>
internal static class JournalCompaction
{
    /// <summary>Below this share of lines dropped, a journal is left as it is: a rewrite costs a full copy.</summary>
    private const double WorthIt = 0.2;

    public static int Rewrite(AppendOnlyFile file, Func<string, bool> keep)
    {
        var lines = file.ReadLines().ToList();
        var kept = lines.Where(keep).ToList();
        var dropped = lines.Count - kept.Count;
        if (dropped == 0 || dropped < lines.Count * WorthIt)
        {
            return 0;
        }
        Replace(file, kept);
        return dropped;
    }

    /// <summary>The journal's lines replaced by these: written beside it, then renamed over it.</summary>
    public static void Replace(AppendOnlyFile file, IEnumerable<string> lines)
    {
        var temporary = file.Path + ".compacting";
        File.WriteAllLines(temporary, lines);
        File.Move(temporary, file.Path, overwrite: true);
    }
}

/// <summary>The lines of an alerts journal, only those of one subscription when asked (found without parsing the others).</summary>
internal static class JournalLines
{
    public static IEnumerable<string> Of(AppendOnlyFile file, string? subscriptionId) =>
        subscriptionId is null
            ? file.ReadLines()
            : file.ReadLines().Where(line => line.Contains($"\"subscriptionId\":\"{subscriptionId}\"", StringComparison.Ordinal));
}

/// <summary>An alert as the history shows it: what was raised, and how each of its deliveries went.</summary>
public sealed record AlertHistoryEntry(AlertRaised Alert, IReadOnlyList<DeliveryReport> Deliveries)
{
    /// <summary>The alert's own fields, and <c>deliveries</c> beside them.</summary>
    public JsonObject ToJson(JsonSerializerOptions options)
    {
        var json = JsonSerializer.SerializeToNode(Alert, options)!.AsObject();
        json["deliveries"] = JsonSerializer.SerializeToNode(Deliveries, options);
        return json;
    }

    /// <summary>The alerts recorded in a data folder, oldest first, each with its deliveries; only one subscription's when given.</summary>
    public static IReadOnlyList<AlertHistoryEntry> Read(string dataDir, string? subscriptionId = null) =>
        Combine(AlertHistory.Read(dataDir, subscriptionId), DeliveryJournal.Read(dataDir, subscriptionId), subscriptionId);

    /// <summary>Each alert (oldest first) with its deliveries: its own, or for a digest subscription the first digest that ends after it was raised.</summary>
    public static IReadOnlyList<AlertHistoryEntry> Combine(IEnumerable<AlertRaised> alerts, IReadOnlyList<AlertDelivery> journal, string? subscriptionId = null)
    {
        var deliveries = journal.ToLookup(delivery => (delivery.SubscriptionId, delivery.ArticleId));
        var digests = journal.Where(delivery => delivery.ArticleId.StartsWith(AlertDelivery.DigestIdPrefix, StringComparison.Ordinal)).ToLookup(delivery => delivery.SubscriptionId);
        return alerts
            .Where(alert => subscriptionId is null || alert.SubscriptionId == subscriptionId)
            .Select(alert =>
            {
                var digest = digests[alert.SubscriptionId].Where(delivery => delivery.RaisedAt > alert.RaisedAt).MinBy(delivery => delivery.RaisedAt);
                var own = deliveries[(alert.SubscriptionId, alert.ArticleId)]
                    .Concat(digest is null ? [] : digests[alert.SubscriptionId].Where(delivery => delivery.ArticleId == digest.ArticleId));
                return new AlertHistoryEntry(alert, own.Select(DeliveryReport.Of).ToList());
            })
            .ToList();
    }
}

/// <summary>How one delivery went, without its body.</summary>
public sealed record DeliveryReport(string Channel, string Target, DeliveryStatus Status, int Attempts, DateTimeOffset? DeliveredAt, DateTimeOffset? NextAttemptAt, string? LastError)
{
    public static DeliveryReport Of(AlertDelivery delivery) => new(
        delivery.Channel, delivery.Target, delivery.Status, delivery.Attempts, delivery.DeliveredAt,
        delivery.Status == DeliveryStatus.Pending ? delivery.NextAttemptAt : null, delivery.LastError);

    public override string ToString() => Status switch
    {
        DeliveryStatus.Delivered => $"{Channel} delivered {DeliveredAt:yyyy-MM-dd HH:mm:ss}",
        DeliveryStatus.Pending when Attempts == 0 => $"{Channel} pending",
        DeliveryStatus.Pending => $"{Channel} pending after {Attempts} attempt(s), next at {NextAttemptAt:HH:mm:ss} ({LastError})",
        _ => $"{Channel} failed after {Attempts} attempt(s): {LastError}",
    };
}
