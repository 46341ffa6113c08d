using System.Collections.Concurrent;
using Marsad.Hosting;
using Microsoft.Extensions.Options;

namespace Marsad.Fetcher;

/// <summary>
/// The article ids this fetcher has already handed on, kept in an append-only file so a restart does not fetch
/// every page again. Losing it costs only refetches: the indexer is idempotent by article id.
/// </summary>
public sealed class SeenArticles(IOptions<MarsadOptions> options) : IDisposable
{
    private readonly Lazy<ConcurrentDictionary<string, byte>> _seen = new(() => Load(options.Value.DataDir));
    private readonly Lock _appendLock = new();
    private StreamWriter? _writer;

    public bool Contains(string articleId) => _seen.Value.ContainsKey(articleId);

    public void Add(string articleId)
    {
        if (!_seen.Value.TryAdd(articleId, 0))
        {
            return;
        }
        lock (_appendLock)
        {
            _writer ??= OpenWriter(options.Value.DataDir);
            _writer.WriteLine(articleId);
            _writer.Flush();
        }
    }

    public void Dispose()
    {
        lock (_appendLock)
        {
            _writer?.Dispose();
            _writer = null;
        }
    }

    private static string FilePath(string dataDir) => Path.Combine(dataDir, "fetcher", "seen-articles.txt");

    private static ConcurrentDictionary<string, byte> Load(string dataDir)
    {
        var seen = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        var path = FilePath(dataDir);
        if (File.Exists(path))
        {
            foreach (var line in File.ReadLines(path))
            {
                if (line.Length > 0)
                {
                    seen.TryAdd(line, 0);
                }
            }
        }
        return seen;
    }

    private static StreamWriter OpenWriter(string dataDir)
    {
        var path = FilePath(dataDir);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read));
    }
}
