using System.Collections.Concurrent;
using Marsad.Hosting;
using Microsoft.Extensions.Options;

namespace Marsad.Fetcher;

/// <summary>
/// The article ids this fetcher has already handed on, kept in an append-only file so a restart does not fetch
/// every page again. Losing it costs only refetches: the indexer is idempotent by article id.
/// </summary>
public sealed class SeenArticles : IDisposable
{
    private readonly AppendOnlyFile _file;
    private readonly Lazy<ConcurrentDictionary<string, byte>> _seen;

    public SeenArticles(IOptions<MarsadOptions> options)
    {
        _file = new AppendOnlyFile(Path.Combine(options.Value.DataDir, "fetcher", "seen-articles.txt"));
        _seen = new(() => new ConcurrentDictionary<string, byte>(
            _file.ReadLines().Select(id => KeyValuePair.Create(id, (byte)0)), StringComparer.Ordinal));
    }

    public bool Contains(string articleId) => _seen.Value.ContainsKey(articleId);

    public void Add(string articleId)
    {
        if (_seen.Value.TryAdd(articleId, 0))
        {
            _file.Append(articleId);
        }
    }

    public void Dispose() => _file.Dispose();
}
