using Marsad.Search.Elasticsearch;
using Marsad.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Marsad.Bench;

/// <summary>What every benchmark measures and reaches the same way.</summary>
public static class BenchSupport
{
    /// <summary>The nearest-rank percentile of values sorted ascending (NaN for none).</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    /// <summary>The Elasticsearch server given on the command line, else the one scripts/elasticsearch.sh runs, else none.</summary>
    public static Uri? FindElasticsearch(string url) => string.IsNullOrWhiteSpace(url) ? ElasticsearchServer.TryFind() : new Uri(url);

    /// <summary>A store on its own index prefix, for one measurement (delete it with ElasticsearchServer.DeleteAsync).</summary>
    public static ElasticsearchSearchStore Elasticsearch(Uri url, int serverMajor, string indexPrefix) =>
        new(new ElasticsearchOptions { Url = url, ServerMajorVersion = serverMajor, IndexPrefix = indexPrefix }, NullLogger<ElasticsearchSearchStore>.Instance);
}
