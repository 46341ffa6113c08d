using Marsad.Testing;

namespace Marsad.Bench;

/// <summary>
/// The distributed mode for real, without faults: fetcher, parser, classifier and indexer each its own process over
/// RabbitMQ, Elasticsearch as the store, the mixed corpus (<see cref="MixedNews"/>) from loopback (one page in a hundred unreadable, as in the
/// fault suite). Counted as an operator would; each service's peak resident memory read from the kernel.
/// </summary>
public static class DistributedBench
{
    private static readonly string[] Services = ["fetcher", "parser", "classifier", "indexer"];

    public static BenchTable Table() => new("Distributed mode (four service processes, RabbitMQ, Elasticsearch)",
        ["articles", "indexed", "dead-lettered", "lost", "streaming s", "articles/s", .. Services.Select(service => $"{service} peak RSS MB")]);

    public static async Task<BenchTable> RunAsync(int articles, int feeds, BenchTable? table = null)
    {
        table ??= Table();
        try
        {
            var counts = await ChaosRun.RunAsync(articles, feeds, TextWriter.Null, TimeSpan.FromMinutes(20), kill: false, articles: MixedNews.Load(articles));
            table.Row([counts.Articles, counts.InIndex, counts.DeadLettered, counts.Lost, Math.Round(counts.Streaming.TotalSeconds, 1),
                Math.Round(counts.InIndex / counts.Streaming.TotalSeconds), .. Services.Select(service => (object?)counts.PeakResidentMegabytes.GetValueOrDefault(service))]);
            const string streaming = "Streaming: from every service up to the last article counted in the index or an error queue (counted about every 2 s).";
            if (!table.Notes.Contains(streaming))
            {
                table.Notes.Add(streaming);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException)
        {
            table.Notes.Add($"Not measured: {e.Message.Split('\n')[0]} (needs scripts/rabbitmq.sh start and scripts/elasticsearch.sh start).");
        }
        return table;
    }
}
