using Marsad.Hosting;
using System.Diagnostics;
using Marsad.Bench;
using Marsad.Cli;
using Marsad.Contracts;
using Marsad.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

// marsad-bench [--quick]                                                           the whole suite: every table below at its sizes, as Markdown and JSON (artifacts/bench/)
// marsad-bench pipeline [--articles N] [--feeds N] [--transport inmemory|rabbitmq|both]   the whole pipeline in one process
// marsad-bench distributed [--articles N] [--feeds N]                              the distributed mode as processes over RabbitMQ and Elasticsearch: articles/s, memory per service
// marsad-bench latency [--articles N] [--every-ms N]                               alert latency: appearance in a feed → webhook, and page fetch → webhook
// marsad-bench search [--articles N] [--months N] [--quick] [--elasticsearch URL]              search latency (highlights, facets) in Lucene, Elasticsearch and a stock-arabic index; growth to N
// marsad-bench bulk [--articles N] [--elasticsearch URL] [--server-major 8|9]       store writes only
// marsad-bench micro [--quick]                                                      BenchmarkDotNet over the hot paths (normalisation, analysis, extraction, language, topics, entities, SimHash, alert pre-selection)
// marsad-bench entities [--folds N]                                                entity extraction on NewsFANE Gold: P/R/F1 (cross-validated)
// marsad-bench classify [--articles N]                                              language and topics, articles/s
// marsad-bench fetch [--feeds N] [--articles N] [--seconds N]                      the fetcher over many feeds: feeds/min, articles/s, memory
// marsad-bench chaos [--articles N] [--feeds N]                                     the distributed mode with every service killed mid-stream: counts
// marsad-bench cluster-chaos [--articles N] [--feeds N]                             three-node RabbitMQ and Elasticsearch clusters, services scaled out; a node of each killed mid-stream
// marsad-bench feeds [--failures] [--show PATH-UNDER-FEEDPARSER-TESTS]                                                  feed parsing against rss-parser's and feed-rs's suites
// marsad-bench alerts [--subscriptions N] [--articles N]                            alert matching against many subscriptions, articles/s
// marsad-bench languages [--articles N] [--mistakes N]                              language identification accuracy on real text
// marsad-bench extraction [--worst N] [--show ID] [--score OUTPUT.json]              the parser on the extraction benchmark
// marsad-bench relevance [--judge] [--elasticsearch URL] [--server-major 8|9]        precision@10 and recall of tests/relevance
// Prints figures; never fails on a time. Needs ../shared/data (and, for rabbitmq, a broker: scripts/rabbitmq.sh start;
// for Elasticsearch, a server: scripts/elasticsearch.sh start).
if (args.FirstOrDefault() == "micro")
{
    Console.WriteLine(HotPaths.Run(args.Contains("--quick"), Path.Combine(RepoPaths.Root, "artifacts", "bench", "micro")).ToMarkdown());
    return;
}
if (args.FirstOrDefault() == "entities")
{
    EntityBench.Run(Argument("--folds", 5));
    return;
}
if (args.FirstOrDefault() == "classify")
{
    Console.WriteLine(ClassificationBench.Run(Argument("--articles", 2000)).ToMarkdown());
    return;
}
if (args.FirstOrDefault() == "chaos")
{
    var counts = await ChaosRun.RunAsync(Argument("--articles", 2000), Argument("--feeds", 50), Console.Out, TimeSpan.FromMinutes(15), restartBroker: true, stopStore: true);
    Console.WriteLine($"# Chaos run — {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
    Console.WriteLine(counts.Table());
    return;
}
if (args.FirstOrDefault() == "cluster-chaos")
{
    var report = new BenchReport(quick: false, $"bench/run.sh {string.Join(' ', args)}");
    var counts = await ChaosRun.RunAsync(Argument("--articles", 10_000), Argument("--feeds", 100), Console.Out, TimeSpan.FromMinutes(30), cluster: true);
    Console.WriteLine(counts.Table());
    await report.WriteAsync(Path.Combine(RepoPaths.Root, "artifacts", "bench", "cluster-chaos"), "Cluster chaos run", counts.Table() + "\n");
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
    var table = AlertMatchingBench.Table();
    AlertMatchingBench.Measure(table, Argument("--subscriptions", 100_000), Argument("--articles", 2000));
    Console.WriteLine(table.ToMarkdown());
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
if (args.FirstOrDefault() == "search")
{
    // --quick: CI's run, 10,000 articles; otherwise the growth from 10,000 to --articles (default 1,000,000).
    var quick = args.Contains("--quick");
    var largest = Argument("--articles", quick ? 10_000 : 1_000_000);
    var latency = SearchBench.LatencyTable();
    var recall = SearchBench.RecallTable();
    var report = new BenchReport(quick, $"bench/run.sh {string.Join(' ', args)}");
    foreach (var articles in quick ? [largest] : new[] { 10_000, 100_000, largest }.Where(size => size <= largest).Distinct())
    {
        await SearchBench.RunAsync(articles, ArgumentText("--elasticsearch", ""), Argument("--server-major", 8), latency, recall, quick, Argument("--months", 24));
    }
    report.Add(latency);
    report.Add(recall);
    // Beside the suite's results, not over them: CI runs both; bench/publish.sh --record artifacts/bench/search/results.md records it.
    await report.WriteAsync(Path.Combine(RepoPaths.Root, "artifacts", "bench", "search"));
    return;
}
if (args.FirstOrDefault() == "bulk")
{
    await StoreBench.RunAsync(Argument("--articles", 10_000), ArgumentText("--elasticsearch", ""), Argument("--server-major", 8));
    return;
}

if (args.FirstOrDefault() == "pipeline")
{
    var table = PipelineBench.Table();
    var stages = PipelineBench.StageTable();
    var transport = ArgumentText("--transport", "both");
    foreach (var name in transport == "both" ? ["inmemory", "rabbitmq"] : new[] { transport })
    {
        await PipelineBench.RunAsync(table, name, Argument("--articles", 2000), Argument("--feeds", 20), stages);
    }
    Console.WriteLine(table.ToMarkdown());
    Console.WriteLine(stages.ToMarkdown());
    return;
}
if (args.FirstOrDefault() == "distributed")
{
    Console.WriteLine((await DistributedBench.RunAsync(Argument("--articles", 2000), Argument("--feeds", 20))).ToMarkdown());
    return;
}
if (args.FirstOrDefault() == "latency")
{
    Console.WriteLine((await AlertLatencyBench.RunAsync(Argument("--articles", 200), TimeSpan.FromMilliseconds(Argument("--every-ms", 100)))).ToMarkdown());
    return;
}

// No verb: the whole suite, one table per measurement, written to artifacts/bench/results.{md,json}.
await Suite.RunAsync(args.Contains("--quick"), Path.Combine(RepoPaths.Root, "artifacts", "bench"));

int Argument(string name, int fallback) => int.TryParse(ArgumentText(name, fallback.ToString()), out var value) ? value : fallback;

string ArgumentText(string name, string fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
}
