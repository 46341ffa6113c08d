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
public sealed class AlertHistory(IOptions<MarsadOptions> options) : IDisposable
{
    private readonly Lazy<ConcurrentDictionary<(string Subscription, string Article), byte>> _raised = new(() => Load(options.Value.DataDir));
    private readonly Lock _appendLock = new();
    private StreamWriter? _writer;

    /// <summary>Records the alert unless this subscription already alerted on this article; true when it is new.</summary>
    public bool TryRecord(AlertRaised alert)
    {
        if (!_raised.Value.TryAdd((alert.SubscriptionId, alert.ArticleId), 0))
        {
            return false;
        }
        lock (_appendLock)
        {
            if (_writer is null)
            {
                var path = FilePath(options.Value.DataDir);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                _writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read));
            }
            _writer.WriteLine(JsonSerializer.Serialize(alert, JsonSerializerOptions.Web));
            _writer.Flush();
        }
        return true;
    }

    public static IEnumerable<AlertRaised> Read(string dataDir)
    {
        var path = FilePath(dataDir);
        return File.Exists(path)
            ? File.ReadLines(path).Where(line => line.Length > 0).Select(line => JsonSerializer.Deserialize<AlertRaised>(line, JsonSerializerOptions.Web)!)
            : [];
    }

    public void Dispose()
    {
        lock (_appendLock)
        {
            _writer?.Dispose();
            _writer = null;
        }
    }

    private static string FilePath(string dataDir) => Path.Combine(dataDir, "alerts", "history.jsonl");

    private static ConcurrentDictionary<(string, string), byte> Load(string dataDir)
    {
        var raised = new ConcurrentDictionary<(string, string), byte>();
        foreach (var alert in Read(dataDir))
        {
            raised.TryAdd((alert.SubscriptionId, alert.ArticleId), 0);
        }
        return raised;
    }
}
