using Marsad.Arabic;
using System.Text.Json;
using Marsad.Contracts;
using Marsad.Hosting;
using Microsoft.Extensions.Options;

namespace Marsad.Subscriptions;

/// <summary>
/// Every alert raised, in an append-only file (<c>alerts/history.jsonl</c>), and the memory that keeps it to one
/// per subscription and story: a re-delivered or re-indexed article, an edited subscription, or another outlet's
/// copy of a story already alerted on within <see cref="StoryWindow"/>, never alerts twice.
/// </summary>
public sealed class AlertHistory : IDisposable
{
    /// <summary>How long a story stays the same story: a copy published later than this after the alert is news again.</summary>
    public static readonly TimeSpan StoryWindow = StoryFingerprint.StoryWindow;

    private readonly AppendOnlyFile _file;
    private readonly Lazy<Memory> _memory;
    private readonly Lock _gate = new();

    public AlertHistory(IOptions<MarsadOptions> options)
    {
        _file = File(options.Value.DataDir);
        _memory = new(() => new Memory(Read(_file)));
    }

    /// <summary>
    /// Records the alert unless this subscription already alerted on this article, or on a copy of its story within
    /// the window; true when it is new.
    /// </summary>
    public bool TryRecord(AlertRaised alert)
    {
        lock (_gate)
        {
            var memory = _memory.Value;
            if (memory.Articles.Contains((alert.SubscriptionId, alert.ArticleId)) || memory.CoversStory(alert))
            {
                return false;
            }
            memory.Add(alert);
            _file.Append(JsonSerializer.Serialize(alert, JsonSerializerOptions.Web));
        }
        Recorded?.Invoke(alert);
        return true;
    }

    /// <summary>Raised with each alert as it is recorded (the distributed mode copies it to the alert log users read).</summary>
    public event Action<AlertRaised>? Recorded;

    private sealed class Memory
    {
        public Memory(IEnumerable<AlertRaised> alerts)
        {
            foreach (var alert in alerts)
            {
                Add(alert);
            }
        }

        public HashSet<(string Subscription, string Article)> Articles { get; } = [];

        private readonly Dictionary<string, List<(ulong Fingerprint, DateTimeOffset RaisedAt)>> _stories = [];

        public void Add(AlertRaised alert)
        {
            Articles.Add((alert.SubscriptionId, alert.ArticleId));
            if (alert.StoryFingerprint is { } fingerprint)
            {
                if (!_stories.TryGetValue(alert.SubscriptionId, out var stories))
                {
                    _stories[alert.SubscriptionId] = stories = [];
                }
                stories.Add((fingerprint, alert.RaisedAt));
            }
        }

        public bool CoversStory(AlertRaised alert) =>
            alert.StoryFingerprint is { } fingerprint
            && _stories.TryGetValue(alert.SubscriptionId, out var stories)
            && stories.Any(story => alert.RaisedAt - story.RaisedAt <= StoryWindow && StoryFingerprint.SameStory(story.Fingerprint, fingerprint));
    }

    /// <summary>
    /// Drops the alerts of subscriptions that no longer exist, when they are a good part of the file: their
    /// once-only memory guards nothing (ids are never reused). Called at the alerts service's start, before the
    /// memory is first read; the rewrite is atomic, so a reader sees the old file or the new.
    /// </summary>
    /// <returns>How many alerts were dropped.</returns>
    public int Compact(IReadOnlySet<string> subscriptions)
    {
        lock (_gate)
        {
            if (_memory.IsValueCreated)
            {
                return 0;
            }
            return JournalCompaction.Rewrite(_file, line => subscriptions.Contains(JsonSerializer.Deserialize<AlertRaised>(line, JsonSerializerOptions.Web)!.SubscriptionId));
        }
    }

    /// <summary>The alerts recorded in a data folder, oldest first; only one subscription's when given.</summary>
    public static IEnumerable<AlertRaised> Read(string dataDir, string? subscriptionId = null) => Read(File(dataDir), subscriptionId);

    public void Dispose() => _file.Dispose();

    private static AppendOnlyFile File(string dataDir) => new(Path.Combine(dataDir, "alerts", "history.jsonl"));

    private static IEnumerable<AlertRaised> Read(AppendOnlyFile file, string? subscriptionId = null) =>
        JournalLines.Of(file, subscriptionId).Select(line => JsonSerializer.Deserialize<AlertRaised>(line, JsonSerializerOptions.Web)!);
}
