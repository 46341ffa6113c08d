using Marsad.Hosting;
using System.Diagnostics;
using Marsad.Bench;
using Marsad.Cli;
using Marsad.Contracts;
using Marsad.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

// marsad-bench [--articles N] [--feeds N] [--transport inmemory|rabbitmq|both]   the whole pipeline
// marsad-bench bulk [--articles N] [--elasticsearch URL] [--server-major 8|9]       store writes only
// marsad-bench entities [--folds N]                                                entity extraction on NewsFANE Gold: P/R/F1 (cross-validated)
// marsad-bench classify [--articles N]                                              language and topics, articles/s
// marsad-bench fetch [--feeds N] [--articles N] [--seconds N]                      the fetcher over many feeds: feeds/min, articles/s, memory
// marsad-bench chaos [--articles N] [--feeds N]                                     the distributed mode with every service killed mid-stream: counts
// marsad-bench feeds [--failures] [--show PATH-UNDER-FEEDPARSER-TESTS]                                                  feed parsing against rss-parser's and feed-rs's suites
// marsad-bench alerts [--subscriptions N] [--articles N]                            alert matching against many subscriptions, articles/s
// marsad-bench languages [--articles N] [--mistakes N]                              language identification accuracy on real text
// marsad-bench extraction [--worst N] [--show ID] [--score OUTPUT.json]              the parser on the extraction benchmark
// marsad-bench relevance [--judge] [--elasticsearch URL] [--server-major 8|9]        precision@10 and recall of tests/relevance
// Prints figures; never fails on a time. Needs ../shared/data (and, for rabbitmq, a broker: scripts/rabbitmq.sh start;
// for Elasticsearch, a server: scripts/elasticsearch.sh start).
if (args.FirstOrDefault() == "entities")
{
    EntityBench.Run(Argument("--folds", 5));
    return;
}
if (args.FirstOrDefault() == "classify")
{
    ClassificationBench.Run(Argument("--articles", 2000));
    return;
}
if (args.FirstOrDefault() == "chaos")
{
    var counts = await ChaosRun.RunAsync(Argument("--articles", 2000), Argument("--feeds", 50), Console.Out, TimeSpan.FromMinutes(15), restartBroker: true, stopStore: true);
    Console.WriteLine($"# Chaos run — {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
    Console.WriteLine(counts.Table());
    return;
}
if (args.FirstOrDefault() == "fetch")
{
    await FetchBench.RunAsync(Argument("--feeds", 1000), Argument("--articles", 5000), Argument("--seconds", 60));
    return;
}
if (args.FirstOrDefault() == "feeds")
{
    if (ArgumentText("--show", "") is { Length: > 0 } shown)
    {
        // What Marsad's parser made of one of feedparser's files, in feedparser's shape.
        Console.WriteLine(FeedparserSuite.Result(FeedparserSuite.Cases().First(feedCase => feedCase.Name == shown)));
        return;
    }
    await FeedSuitesBench.RunAsync(args.Contains("--failures"));
    return;
}
if (args.FirstOrDefault() == "alerts")
{
    AlertMatchingBench.Run(Argument("--subscriptions", 100_000), Argument("--articles", 2000));
    return;
}
if (args.FirstOrDefault() == "languages")
{
    LanguageBench.Run(Argument("--articles", 2000), Argument("--mistakes", 0));
    return;
}
if (args.FirstOrDefault() == "extraction")
{
    await ExtractionBench.RunAsync(Argument("--worst", 10), ArgumentText("--show", ""), ArgumentText("--score", ""));
    return;
}
if (args.FirstOrDefault() == "relevance")
{
    await RelevanceBench.RunAsync(args.Contains("--judge"), ArgumentText("--elasticsearch", ""), Argument("--server-major", 8));
    return;
}
if (args.FirstOrDefault() == "bulk")
{
    await StoreBench.RunAsync(Argument("--articles", 10_000), ArgumentText("--elasticsearch", ""), Argument("--server-major", 8));
    return;
}

var articles = Argument("--articles", 2000);
var feeds = Argument("--feeds", 20);
var transport = ArgumentText("--transport", "both");

var corpus = CorpusSite.LoadArabicNews(articles);
await using var site = await LocalHttpServer.StartAsync();
var feedUrls = CorpusSite.Publish(site, corpus, feeds);
Console.WriteLine($"# Marsad pipeline benchmark — {corpus.Count} Arabic articles (ANT corpus) in {feedUrls.Count} feeds served from {site.BaseAddress}");
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
Console.WriteLine();
Console.WriteLine("| transport | articles | indexed | failed | wall s | articles/s | latency p50 ms | p95 ms | p99 ms | peak working set MB | allocated MB |");
Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");

if (transport is "inmemory" or "both")
{
    await RunAsync("in-memory", new Dictionary<string, string?> { ["Transport"] = "InMemory" });
}
if (transport is "rabbitmq" or "both")
{
    try
    {
        await using var vhost = await RabbitMqVirtualHost.CreateAsync();
        await RunAsync("RabbitMQ", new Dictionary<string, string?> { ["Transport"] = "RabbitMq", ["RabbitMq:Url"] = vhost.Url.AbsoluteUri });
    }
    catch (InvalidOperationException e)
    {
        Console.WriteLine($"| RabbitMQ | not measured: {e.Message.Split('.')[0]} |");
    }
}

async Task RunAsync(string name, Dictionary<string, string?> settings)
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
    double Percentile(double p) => BenchSupport.Percentile(latencies, p);
    Console.WriteLine($"| {name} | {summary.Fetched} | {summary.Indexed} | {summary.Failed} | {stopwatch.Elapsed.TotalSeconds:0.0} | " +
                      $"{summary.Indexed / stopwatch.Elapsed.TotalSeconds:0} | {Percentile(0.50):0} | {Percentile(0.95):0} | {Percentile(0.99):0} | " +
                      $"{Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:0} | {(GC.GetTotalAllocatedBytes() - allocatedBefore) / 1048576.0:0} |");
}

int Argument(string name, int fallback) => int.TryParse(ArgumentText(name, fallback.ToString()), out var value) ? value : fallback;

string ArgumentText(string name, string fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
}
