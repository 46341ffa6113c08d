using System.Diagnostics;
using Marsad.Indexer;
using Marsad.Search;
using Marsad.Search.Elasticsearch;
using Marsad.Search.Lucene;
using Marsad.Testing;

namespace Marsad.Bench;

/// <summary>How fast each store takes articles in batches of the indexer's size and larger, and what a re-delivery costs.</summary>
public static class StoreBench
{
    public static async Task RunAsync(int count, string elasticsearchUrl, int serverMajor)
    {
        var corpus = MixedNews.Load(count);
        var articles = corpus.Select((article, i) => new ArticleDocument
        {
            Id = $"bench-{i:D6}",
            Url = $"https://bench.example/{i}",
            Title = article.Title,
            Text = article.Text,
            Source = article.Source,
            Language = article.Language,
            Published = article.Published,
        }).ToList();
        Console.WriteLine($"# Store write benchmark — {articles.Count} articles of the mixed corpus (Arabic, English, French, near-duplicates), {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Console.WriteLine();
        Console.WriteLine("| store | batch | first write docs/s | re-delivery docs/s | final count |");
        Console.WriteLine("|---|---|---|---|---|");

        using (var directory = new TemporaryDirectory())
        using (var lucene = new LuceneSearchStore(directory.Path))
        {
            await MeasureAsync("Lucene (embedded)", lucene, articles, 100);
        }
        using (var directory = new TemporaryDirectory())
        using (var lucene = new LuceneSearchStore(directory.Path))
        {
            await MeasureAsync("Lucene, each batch story-linked first (the indexer's whole work)", lucene, articles, 100, new StoryLinker(lucene));
        }

        var url = BenchSupport.FindElasticsearch(elasticsearchUrl);
        if (url is null)
        {
            Console.WriteLine("| Elasticsearch | not measured: no server (scripts/elasticsearch.sh start, or --elasticsearch URL) | | | |");
            return;
        }
        foreach (var batch in new[] { 100, 500 })
        {
            var prefix = "marsad-bench-" + Guid.NewGuid().ToString("N")[..8];
            var store = BenchSupport.Elasticsearch(url, serverMajor, prefix);
            try
            {
                await MeasureAsync($"Elasticsearch {url}", store, articles, batch);
            }
            finally
            {
                await ElasticsearchServer.DeleteAsync(url, prefix);
            }
        }
    }

    private static async Task MeasureAsync(string name, ISearchStore store, IReadOnlyList<ArticleDocument> articles, int batch, StoryLinker? stories = null)
    {
        var first = Stopwatch.StartNew();
        foreach (var chunk in articles.Chunk(batch))
        {
            if (stories is null)
            {
                await store.IndexAsync(chunk, CancellationToken.None);
                continue;
            }
            var linked = await stories.LinkAsync(chunk, CancellationToken.None);
            var results = await store.IndexAsync(linked, CancellationToken.None);
            stories.Remember(linked.Where((_, i) => results[i].Outcome != IndexOutcome.Rejected));
        }
        first.Stop();
        var again = Stopwatch.StartNew();
        foreach (var chunk in articles.Chunk(batch))
        {
            await store.IndexAsync(chunk, CancellationToken.None);
        }
        again.Stop();
        if (store is ElasticsearchSearchStore elasticsearch)
        {
            // Writes do not wait for a refresh; the count should include them all.
            await elasticsearch.RefreshAsync(CancellationToken.None);
        }
        var count = await store.CountAsync(CancellationToken.None);
        Console.WriteLine($"| {name} | {batch} | {articles.Count / first.Elapsed.TotalSeconds:0} | {articles.Count / again.Elapsed.TotalSeconds:0} | {count} |");
    }
}
