using System.Collections.Concurrent;
using System.Text.Json;
using Marsad.Contracts;
using Marsad.Hosting;
using Microsoft.Extensions.Options;

namespace Marsad.Alerts;

/// <summary>
/// Every alert raised, in an append-only file (<c>alerts/history.jsonl</c>), and the memory that keeps it to one
/// per subscription and article: a re-delivered or re-indexed article, or an edited subscription, never alerts twice.
/// </summary>
public sealed class AlertHistory : IDisposable
{
    private readonly AppendOnlyFile _file;
    private readonly Lazy<ConcurrentDictionary<(string Subscription, string Article), byte>> _raised;

    public AlertHistory(IOptions<MarsadOptions> options)
    {
        _file = File(options.Value.DataDir);
        _raised = new(() => new ConcurrentDictionary<(string, string), byte>(
            Read(_file).Select(alert => KeyValuePair.Create((alert.SubscriptionId, alert.ArticleId), (byte)0))));
    }

    /// <summary>Records the alert unless this subscription already alerted on this article; true when it is new.</summary>
    public bool TryRecord(AlertRaised alert)
    {
        if (!_raised.Value.TryAdd((alert.SubscriptionId, alert.ArticleId), 0))
        {
            return false;
        }
        _file.Append(JsonSerializer.Serialize(alert, JsonSerializerOptions.Web));
        return true;
    }

    /// <summary>The alerts recorded in a data folder, oldest first.</summary>
    public static IEnumerable<AlertRaised> Read(string dataDir) => Read(File(dataDir));

    public void Dispose() => _file.Dispose();

    private static AppendOnlyFile File(string dataDir) => new(Path.Combine(dataDir, "alerts", "history.jsonl"));

    private static IEnumerable<AlertRaised> Read(AppendOnlyFile file) =>
        file.ReadLines().Select(line => JsonSerializer.Deserialize<AlertRaised>(line, JsonSerializerOptions.Web)!);
}
