using System.Diagnostics;
using Marsad.Cli;
using Marsad.Contracts;
using Marsad.Hosting;
using Marsad.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Marsad.Bench;

/// <summary>
/// The whole pipeline in one process, as <c>run --once</c> runs it: ANT articles served from loopback in several
/// feeds, fetched, parsed, classified, indexed (embedded Lucene) and matched, on the in-memory transport or RabbitMQ.
/// </summary>
public static class PipelineBench
{
    public static BenchTable Table() => new("Pipeline in one process (fetch → parse → classify → index → match)",
        "transport", "articles", "indexed", "failed", "wall s", "articles/s", "fetch→indexed p50 ms", "p95 ms", "p99 ms", "peak working set MB", "allocated MB");

    public static async Task RunAsync(BenchTable table, string transport, int articles, int feeds)
    {
        var corpus = CorpusSite.LoadArabicNews(articles);
        await using var site = await LocalHttpServer.StartAsync();
        var feedUrls = CorpusSite.Publish(site, corpus, feeds);
        if (transport == "rabbitmq")
        {
            try
            {
                await using var vhost = await RabbitMqVirtualHost.CreateAsync();
                await MeasureAsync(table, "RabbitMQ", feedUrls, new Dictionary<string, string?> { ["Transport"] = "RabbitMq", ["RabbitMq:Url"] = vhost.Url.AbsoluteUri });
            }
            catch (InvalidOperationException e)
            {
                table.Notes.Add($"RabbitMQ not measured: {e.Message.Split('.')[0]}.");
            }
            return;
        }
        await MeasureAsync(table, "in-memory", feedUrls, new Dictionary<string, string?> { ["Transport"] = "InMemory" });
    }

    private static async Task MeasureAsync(BenchTable table, string name, IReadOnlyList<string> feedUrls, Dictionary<string, string?> settings)
    {
        using var data = new TemporaryDirectory();
        settings["DataDir"] = data.Path;
        settings["Fetcher:AllowLoopback"] = "true";
        // Every feed and page of the benchmark is on one loopback site: politeness would measure itself, not the pipeline.
        settings["Fetcher:MinDelayPerHost"] = "00:00:00";
        settings["Fetcher:MaxConnectionsPerHost"] = "16";
        settings["Logging:LogLevel:Default"] = "Warning";
        var tracker = new RunTracker();
        using var host = ServiceHosts.BuildOneShot(settings, tracker);
        await host.StartAsync();
        await host.Services.WaitUntilBusReadyAsync(TimeSpan.FromMinutes(1));
        var allocatedBefore = GC.GetTotalAllocatedBytes();
        var stopwatch = Stopwatch.StartNew();
        tracker.ExpectFeeds(feedUrls.Count);
        var bus = host.Services.GetRequiredService<IBus>();
        foreach (var feedUrl in feedUrls)
        {
            await bus.Publish(new FetchFeed { FeedUrl = feedUrl });
        }
        await tracker.Completion.WaitAsync(TimeSpan.FromMinutes(30));
        stopwatch.Stop();
        await host.StopAsync();

        var summary = tracker.Summary;
        var latencies = tracker.Latencies.Select(latency => latency.TotalMilliseconds).Order().ToArray();
        table.Row(name, summary.Fetched, summary.Indexed, summary.Failed, Math.Round(stopwatch.Elapsed.TotalSeconds, 1),
            Math.Round(summary.Indexed / stopwatch.Elapsed.TotalSeconds), BenchSupport.Percentile(latencies, 0.50), BenchSupport.Percentile(latencies, 0.95),
            BenchSupport.Percentile(latencies, 0.99), Process.GetCurrentProcess().PeakWorkingSet64 / 1048576, (GC.GetTotalAllocatedBytes() - allocatedBefore) / 1048576);
    }
}
