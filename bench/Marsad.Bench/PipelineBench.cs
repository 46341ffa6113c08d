using System.Diagnostics;
using Marsad.Cli;
using Marsad.Contracts;
using Marsad.Alerts;
using Marsad.Hosting;
using Marsad.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Marsad.Subscriptions;

namespace Marsad.Bench;

/// <summary>
/// The whole pipeline in one process, as <c>run --once</c> runs it: the mixed corpus (<see cref="MixedNews"/>: Arabic,
/// English and French articles and near-duplicates) served from loopback in several
/// feeds, fetched, parsed, classified, indexed (embedded Lucene) and matched, on the in-memory transport or RabbitMQ.
/// </summary>
public static class PipelineBench
{
    public static BenchTable Table() => new("Pipeline in one process (fetch → parse → classify → index → match)",
        "transport", "articles", "indexed", "failed", "wall s", "articles/s", "fetch→indexed p50 ms", "p95 ms", "p99 ms", "pipeline peak MB", "GC heap committed at most MB", "index files mapped MB", "live heap at the end MB", "allocated MB");

    /// <summary>Where the pipeline's time goes: each stage's consumer's time in its Consume, from MassTransit's consumer activities.</summary>
    public static BenchTable StageTable() => new("Stage times in the one-process pipeline (time inside each consumer, all articles)",
        "transport", "articles", "stage", "consumer", "messages", "busy s", "ms per article", "articles/s at one consumer");

    /// <summary>The pipeline's stages in order, by the consumer that does each.</summary>
    private static readonly (string Consumer, string Stage)[] Stages =
    [
        ("FetchFeedConsumer", "fetch (feed and its pages)"),
        ("ArticleFetchedConsumer", "parse"),
        ("ArticleParsedConsumer", "classify"),
        ("ArticleClassifiedBatchConsumer", "index (batches, story linking)"),
        ("ArticleIndexedConsumer", "match (alert subscriptions)"),
    ];

    /// <summary>
    /// Feeds are asked for as the pipeline drains, so that at most this many articles are in it at once: a steady
    /// stream, as many polled feeds make, rather than every page fetched in the first second and queued in memory.
    /// </summary>
    public const int ArticlesInFlight = 2_000;

    /// <summary>Alert subscriptions every article is matched against, generated from the words of ANT articles.</summary>
    public const int Subscriptions = 1_000;

    public static async Task RunAsync(BenchTable table, string transport, int articles, int feeds, BenchTable? stages = null)
    {
        var corpus = MixedNews.Load(articles);
        await using var site = await LocalHttpServer.StartAsync();
        var feedUrls = CorpusSite.Publish(site, corpus, feeds);
        var perFeed = (corpus.Count + feedUrls.Count - 1) / feedUrls.Count;
        table.Notes.Add($"{corpus.Count:N0} articles: {corpus.Count(article => article.Language == "ar"):N0} Arabic (of which {corpus.Count(article => article.Id.StartsWith("copy-", StringComparison.Ordinal)):N0} edited copies of an earlier one), "
            + $"{corpus.Count(article => article.Language == "en"):N0} English, {corpus.Count(article => article.Language == "fr"):N0} French, in {feedUrls.Count} feeds; at most {ArticlesInFlight:N0} in the pipeline at once; each matched against {Subscriptions:N0} alert subscriptions.");
        if (transport == "rabbitmq")
        {
            try
            {
                await using var vhost = await RabbitMqVirtualHost.CreateAsync();
                await MeasureAsync(table, stages, "RabbitMQ", feedUrls, perFeed, new Dictionary<string, string?> { ["Transport"] = "RabbitMq", ["RabbitMq:Url"] = vhost.Url.AbsoluteUri });
            }
            catch (InvalidOperationException e)
            {
                table.Notes.Add($"RabbitMQ not measured: {e.Message.Split('.')[0]}.");
            }
            return;
        }
        await MeasureAsync(table, stages, "in-memory", feedUrls, perFeed, new Dictionary<string, string?> { ["Transport"] = "InMemory" });
    }

    private static async Task MeasureAsync(BenchTable table, BenchTable? stages, string name, IReadOnlyList<string> feedUrls, int articlesPerFeed, Dictionary<string, string?> settings)
    {
        using var consumeTimes = new ConsumeTimes();
        using var data = new TemporaryDirectory();
        settings["DataDir"] = data.Path;
        settings["Fetcher:AllowLoopback"] = "true";
        // Every feed and page of the benchmark is on one loopback site: politeness would measure itself, not the pipeline.
        settings["Fetcher:MinDelayPerHost"] = "00:00:00";
        settings["Fetcher:MaxConnectionsPerHost"] = "16";
        settings["Logging:LogLevel:Default"] = "Warning";
        // The benchmark's own corpus and served pages live in this process too: the pipeline's memory is what it adds.
        // Aggressive: what an earlier run left is given back to the system, so it is not counted again.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        var before = PeakMemory.Now();
        var liveBefore = GC.GetTotalMemory(forceFullCollection: true) / 1048576;
        using var peak = new PeakMemory();
        var tracker = new RunTracker();
        using var host = ServiceHosts.BuildOneShot(settings, tracker);
        await host.StartAsync();
        await host.Services.WaitUntilBusReadyAsync(TimeSpan.FromMinutes(1));
        var subscriptions = host.Services.GetRequiredService<SubscriptionStore>();
        foreach (var (query, index) in SubscriptionQueries.Generate(AntCorpus.Sample(every: 9).Take(3_000), Subscriptions).Select((query, index) => (query, index)))
        {
            await subscriptions.AddAsync($"bench {index}", query, webhook: null, email: null, DigestMode.Instant, owner: null, CancellationToken.None);
        }
        var allocatedBefore = GC.GetTotalAllocatedBytes();
        var stopwatch = Stopwatch.StartNew();
        tracker.ExpectFeeds(feedUrls.Count);
        var bus = host.Services.GetRequiredService<IBus>();
        for (var feed = 0; feed < feedUrls.Count; feed++)
        {
            // A feed that fails brings none of its articles: the wait gives up when nothing has come out for a while.
            var (done, since) = (Done(tracker.Summary), Stopwatch.StartNew());
            while ((feed + 1) * articlesPerFeed - done > ArticlesInFlight && since.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(20);
                if (Done(tracker.Summary) is var now && now != done)
                {
                    (done, since) = (now, Stopwatch.StartNew());
                }
            }
            await bus.Publish(new FetchFeed { FeedUrl = feedUrls[feed] });
        }
        await tracker.Completion.WaitAsync(TimeSpan.FromMinutes(30));
        stopwatch.Stop();
        // What is still reachable once everything is done, the pipeline still running: state that grows with the
        // articles seen, as against memory the collector has not given back.
        var liveAfter = GC.GetTotalMemory(forceFullCollection: true) / 1048576 - liveBefore;
        await host.StopAsync();

        var summary = tracker.Summary;
        const string memoryNote = "pipeline peak MB: the process's highest resident memory of its own (heap, stacks) during the run, less what it held before the pipeline started (the benchmark's own corpus and served pages); "
            + "GC heap committed at most MB: of that, the most the garbage collector held for its heap (the rest is native memory: thread stacks, the runtime, native libraries); "
            + "index files mapped MB: the Lucene index's files mapped into memory at the most, which the kernel reclaims like its page cache when it needs the room.";
        if (!table.Notes.Contains(memoryNote))
        {
            table.Notes.Add(memoryNote);
        }
        foreach (var error in tracker.Errors.GroupBy(error => error.Length > 160 ? error[..160] : error).OrderByDescending(group => group.Count()).Take(5))
        {
            table.Notes.Add($"{name}, {summary.Fetched:N0} articles: {error.Count()}× {error.Key}");
        }
        var (ownPeak, mappedPeak, gcPeak) = peak.Megabytes;
        var latencies = tracker.Latencies.Select(latency => latency.TotalMilliseconds).Order().ToArray();
        table.Row(name, summary.Fetched, summary.Indexed, summary.Failed, Math.Round(stopwatch.Elapsed.TotalSeconds, 1),
            Math.Round(summary.Indexed / stopwatch.Elapsed.TotalSeconds), BenchSupport.Percentile(latencies, 0.50), BenchSupport.Percentile(latencies, 0.95),
            BenchSupport.Percentile(latencies, 0.99), ownPeak - before.Own, gcPeak - before.GcCommitted, mappedPeak - before.MappedFiles, liveAfter, (GC.GetTotalAllocatedBytes() - allocatedBefore) / 1048576);
        // Only the five stages: not the benchmark's own bookkeeping, nor MassTransit's batch collector (its time is the wait for a batch to fill).
        var timed = consumeTimes.ByConsumer
            .Select(pair => (Index: Array.FindIndex(Stages, stage => stage.Consumer == pair.Key.Split('.', '+')[^1]), Times: pair.Value))
            .Where(stage => stage.Index >= 0)
            .OrderBy(stage => stage.Index);
        foreach (var (index, (count, milliseconds)) in timed)
        {
            var (consumer, stage) = Stages[index];
            var perArticle = milliseconds / Math.Max(1, summary.Indexed);
            stages?.Row(name, summary.Indexed, stage, consumer, count, Math.Round(milliseconds / 1000, 1), Math.Round(perArticle, 2), perArticle > 0 ? Math.Round(1000 / perArticle) : null);
        }
    }

    private static int Done(RunSummary summary) => summary.Indexed + summary.Duplicates + summary.Failed;

    /// <summary>
    /// Sums the consume durations per consumer type while it lives, from MassTransit's consumer activities (its
    /// consume-duration metric reaches only the first bus a process starts, and a suite starts several).
    /// </summary>
    private sealed class ConsumeTimes : IDisposable
    {
        private const string ConsumerTypeTag = "messaging.masstransit.consumer_type";
        private readonly ActivityListener _listener;
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (long Count, double Milliseconds)> _times = new();

        public ConsumeTimes()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == "MassTransit",
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
                ActivityStopped = activity =>
                {
                    if (activity.GetTagItem(ConsumerTypeTag) is { } consumer)
                    {
                        var milliseconds = activity.Duration.TotalMilliseconds;
                        _times.AddOrUpdate(consumer.ToString() ?? "?", (1, milliseconds), (_, sum) => (sum.Count + 1, sum.Milliseconds + milliseconds));
                    }
                },
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public IReadOnlyDictionary<string, (long Count, double Milliseconds)> ByConsumer => _times;

        public void Dispose() => _listener.Dispose();
    }
}
