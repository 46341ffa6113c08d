using System.Diagnostics;
using Marsad.Contracts;
using Marsad.Fetcher;
using Marsad.Hosting;
using Marsad.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Marsad.Feeds;

namespace Marsad.Bench;

/// <summary>
/// The fetcher service as it runs (poller, claims in the feed registry, consumers on the in-memory bus) over many
/// feeds served from loopback: how long the first pass over every feed and article takes, then how many feeds a
/// minute it polls when every feed is always due (its capacity, not a schedule), and its memory.
/// </summary>
public static class FetchBench
{
    public static async Task RunAsync(int feedCount, int articleCount, int seconds)
    {
        var corpus = CorpusSite.LoadArabicNews(articleCount);
        await using var site = await LocalHttpServer.StartAsync();
        var feedUrls = CorpusSite.Publish(site, corpus, feedCount);
        using var data = new TemporaryDirectory();
        var counts = new FetchCounts();

        var builder = Host.CreateApplicationBuilder();
        builder.AddMarsadDefaults("bench-fetcher", new Dictionary<string, string?>
        {
            ["DataDir"] = data.Path,
            ["Transport"] = "InMemory",
            ["Fetcher:AllowLoopback"] = "true",
            // Every feed is on one loopback site here; in use they are on hundreds. Politeness per site would measure itself.
            ["Fetcher:MinDelayPerHost"] = "00:00:00",
            ["Fetcher:MaxConnectionsPerHost"] = "16",
            // Always due: the poller asks for every feed as fast as they are done, which is the capacity.
            ["Fetcher:PollInterval"] = "00:00:01",
            ["Fetcher:MinPollInterval"] = "00:00:01",
            ["Fetcher:MaxPollInterval"] = "00:00:01",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.Services.AddSingleton(counts);
        builder.AddFetcher(poll: true);
        builder.AddMarsadBus(bus =>
        {
            bus.AddFetcherConsumers();
            bus.AddConsumer<FetchCountingConsumer>();
        });
        using var host = builder.Build();

        var registry = host.Services.GetRequiredService<FeedRegistry>();
        var registering = Stopwatch.StartNew();
        foreach (var url in feedUrls)
        {
            await registry.AddAsync(url, CancellationToken.None);
        }
        registering.Stop();

        Console.WriteLine($"# Fetcher benchmark — {feedUrls.Count} feeds, {corpus.Count} article pages (ANT corpus) served from {site.BaseAddress}");
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; feed list in the data folder's file");
        Console.WriteLine($"registering {feedUrls.Count} feeds one by one: {registering.Elapsed.TotalSeconds:0.0} s");
        Console.WriteLine();

        var allocatedBefore = GC.GetTotalAllocatedBytes();
        var firstPass = Stopwatch.StartNew();
        await host.StartAsync();
        while (counts.Articles < corpus.Count || counts.DistinctFeeds < feedUrls.Count)
        {
            if (firstPass.Elapsed > TimeSpan.FromMinutes(20))
            {
                Console.WriteLine($"first pass incomplete after 20 min: {counts.DistinctFeeds} feeds, {counts.Articles} articles");
                break;
            }
            await Task.Delay(100);
        }
        firstPass.Stop();
        var feedsAfterFirstPass = counts.Fetches;

        var steady = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        steady.Stop();
        var steadyFetches = counts.Fetches - feedsAfterFirstPass;
        await host.StopAsync();

        var latencies = counts.FetchLatencies().Select(latency => latency.TotalMilliseconds).Order().ToArray();
        Console.WriteLine("| phase | feeds fetched | articles fetched | seconds | feeds/min | articles/s | feed fetch p50 ms | p95 ms | errors |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        Console.WriteLine($"| first pass (every feed and page new) | {feedsAfterFirstPass} | {counts.Articles} | {firstPass.Elapsed.TotalSeconds:0.0} | " +
                          $"{feedsAfterFirstPass / firstPass.Elapsed.TotalMinutes:0} | {counts.Articles / firstPass.Elapsed.TotalSeconds:0} | | | {counts.Errors} |");
        Console.WriteLine($"| steady polling (nothing new, always due) | {steadyFetches} | 0 | {steady.Elapsed.TotalSeconds:0.0} | " +
                          $"{steadyFetches / steady.Elapsed.TotalMinutes:0} | | {BenchSupport.Percentile(latencies, 0.50):0} | {BenchSupport.Percentile(latencies, 0.95):0} | {counts.Errors} |");
        Console.WriteLine();
        Console.WriteLine($"peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:0} MB · allocated {(GC.GetTotalAllocatedBytes() - allocatedBefore) / 1048576.0:0} MB");
    }

    public sealed class FetchCounts
    {
        private readonly Lock _lock = new();
        private readonly HashSet<string> _feeds = [];
        private readonly List<TimeSpan> _latencies = [];
        private int _articles;
        private int _fetches;
        private int _errors;

        public int Articles => Volatile.Read(ref _articles);
        public int Fetches => Volatile.Read(ref _fetches);
        public int Errors => Volatile.Read(ref _errors);

        public int DistinctFeeds
        {
            get
            {
                lock (_lock)
                {
                    return _feeds.Count;
                }
            }
        }

        public void Article() => Interlocked.Increment(ref _articles);

        public void Feed(FeedFetched fetched, DateTimeOffset now)
        {
            Interlocked.Increment(ref _fetches);
            if (fetched.Error is not null)
            {
                Interlocked.Increment(ref _errors);
            }
            lock (_lock)
            {
                _feeds.Add(fetched.FeedUrl);
                _latencies.Add(now - fetched.FetchedAt);
            }
        }

        public List<TimeSpan> FetchLatencies()
        {
            lock (_lock)
            {
                return [.. _latencies];
            }
        }
    }

    public sealed class FetchCountingConsumer(FetchCounts counts) : IConsumer<ArticleFetched>, IConsumer<FeedFetched>
    {
        public Task Consume(ConsumeContext<ArticleFetched> context)
        {
            counts.Article();
            return Task.CompletedTask;
        }

        public Task Consume(ConsumeContext<FeedFetched> context)
        {
            counts.Feed(context.Message, DateTimeOffset.UtcNow);
            return Task.CompletedTask;
        }
    }
}
