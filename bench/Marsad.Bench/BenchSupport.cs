using Marsad.Search.Elasticsearch;
using Marsad.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Marsad.Bench;

/// <summary>
/// The highest resident memory of this process while it lives, read five times a second (the process's own peak
/// counts everything since it started, including earlier measurements).
/// </summary>
public sealed class PeakMemory : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;
    private long _peak;

    public PeakMemory()
    {
        _peak = BenchSupport.WorkingSetMegabytes();
        _sampling = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                _peak = Math.Max(_peak, BenchSupport.WorkingSetMegabytes());
                await Task.Delay(200).ConfigureAwait(false);
            }
        });
    }

    public long Megabytes => Math.Max(_peak, BenchSupport.WorkingSetMegabytes());

    public void Dispose()
    {
        _stop.Cancel();
        _sampling.Wait();
        _stop.Dispose();
    }
}

/// <summary>What every benchmark measures and reaches the same way.</summary>
public static class BenchSupport
{
    /// <summary>The nearest-rank percentile of values sorted ascending (NaN for none).</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    /// <summary>This process's resident memory, in megabytes.</summary>
    public static long WorkingSetMegabytes()
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return process.WorkingSet64 / 1048576;
    }

    /// <summary>The Elasticsearch server given on the command line, else the one scripts/elasticsearch.sh runs, else none.</summary>
    public static Uri? FindElasticsearch(string url) => string.IsNullOrWhiteSpace(url) ? ElasticsearchServer.TryFind() : new Uri(url);

    /// <summary>A store on its own index prefix, for one measurement (delete it with ElasticsearchServer.DeleteAsync).</summary>
    public static ElasticsearchSearchStore Elasticsearch(Uri url, int serverMajor, string indexPrefix) =>
        new(new ElasticsearchOptions { Url = url, ServerMajorVersion = serverMajor, IndexPrefix = indexPrefix }, NullLogger<ElasticsearchSearchStore>.Instance);
}
