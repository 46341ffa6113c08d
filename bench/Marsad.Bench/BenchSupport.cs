using Marsad.Search.Elasticsearch;
using Marsad.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Marsad.Bench;

/// <summary>
/// The highest resident memory of this process while it lives, read five times a second (the process's own peak
/// counts everything since it started, including earlier measurements), in two parts: the process's own memory
/// (heap, stacks) and the files it maps, which for the embedded store are the Lucene index's files: the kernel can
/// drop those pages whenever it needs the room, as it does the page cache.
/// </summary>
public sealed class PeakMemory : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;
    private readonly Lock _gate = new();
    private (long Own, long MappedFiles, long GcCommitted) _peak;

    public PeakMemory()
    {
        _peak = Now();
        _sampling = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                Sample();
                await Task.Delay(200).ConfigureAwait(false);
            }
        });
    }

    /// <summary>The highest of each, sampled apart: the process's own memory, its mapped files, and what the GC had committed for its heap.</summary>
    public (long Own, long MappedFiles, long GcCommitted) Megabytes
    {
        get
        {
            Sample();
            lock (_gate)
            {
                return _peak;
            }
        }
    }

    // The sampler and a reader may both sample at once; a two-part peak must not be written half by each.
    private void Sample()
    {
        var now = Now();
        lock (_gate)
        {
            _peak = (Math.Max(_peak.Own, now.Own), Math.Max(_peak.MappedFiles, now.MappedFiles), Math.Max(_peak.GcCommitted, now.GcCommitted));
        }
    }

    public static (long Own, long MappedFiles, long GcCommitted) Now()
    {
        var (own, mapped) = BenchSupport.ResidentMegabytes();
        return (own, mapped, GC.GetGCMemoryInfo().TotalCommittedBytes / 1048576);
    }

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

    /// <summary>
    /// This process's resident memory in megabytes: its own (Linux's RssAnon) and that of the files it maps
    /// (RssFile); elsewhere the whole working set as its own.
    /// </summary>
    public static (long Own, long MappedFiles) ResidentMegabytes()
    {
        try
        {
            var status = File.ReadLines("/proc/self/status").ToList();
            long Kilobytes(string key) => long.Parse(status.First(line => line.StartsWith(key, StringComparison.Ordinal))[key.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            return (Kilobytes("RssAnon:") / 1024, Kilobytes("RssFile:") / 1024);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            using var process = System.Diagnostics.Process.GetCurrentProcess();
            return (process.WorkingSet64 / 1048576, 0);
        }
    }

    /// <summary>The Elasticsearch server given on the command line, else the one scripts/elasticsearch.sh runs, else none.</summary>
    public static Uri? FindElasticsearch(string url) => string.IsNullOrWhiteSpace(url) ? ElasticsearchServer.TryFind() : new Uri(url);

    /// <summary>A store on its own index prefix, for one measurement (delete it with ElasticsearchServer.DeleteAsync).</summary>
    public static ElasticsearchSearchStore Elasticsearch(Uri url, int serverMajor, string indexPrefix) =>
        new(new ElasticsearchOptions { Url = url, ServerMajorVersion = serverMajor, IndexPrefix = indexPrefix }, NullLogger<ElasticsearchSearchStore>.Instance);
}
