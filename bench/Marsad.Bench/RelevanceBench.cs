using Marsad.Search;
using Marsad.Search.Elasticsearch;
using Marsad.Search.Lucene;
using Marsad.Testing;

namespace Marsad.Bench;

/// <summary>Precision@10 and recall of the relevance set (tests/relevance) in each store.</summary>
public static class RelevanceBench
{
    public static async Task RunAsync(bool judge, string elasticsearchUrl, int serverMajor)
    {
        if (judge)
        {
            RelevanceSet.WriteJudgements(RelevanceSet.DefaultPath);
            foreach (var query in RelevanceSet.Load().Queries)
            {
                Console.WriteLine($"{query.Id}: {query.Relevant.Count} relevant");
            }
            return;
        }

        var set = RelevanceSet.Load();
        var sample = set.Sample();
        var documents = sample.Select(AntCorpus.ToDocument).ToList();
        Console.WriteLine($"# Relevance — {set.Queries.Count} queries over {documents.Count} ANT articles (every {set.Every}th), {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Console.WriteLine("precision@10: relevant among the first ten hits, out of min(10, relevant); precision: relevant among all hits;");
        Console.WriteLine("recall: relevant found among all hits;");
        Console.WriteLine("near misses: articles the query must not find (tests/relevance/README.md).");
        Console.WriteLine();

        var stores = new List<(string Name, ISearchStore Store, Func<Task> Cleanup)>();
        var directory = new TemporaryDirectory();
        var lucene = new LuceneSearchStore(directory.Path);
        stores.Add(("Lucene (embedded)", lucene, () => { lucene.Dispose(); directory.Dispose(); return Task.CompletedTask; }));
        var url = BenchSupport.FindElasticsearch(elasticsearchUrl);
        if (url is not null)
        {
            var prefix = "marsad-bench-relevance-" + Guid.NewGuid().ToString("N")[..8];
            var elasticsearch = BenchSupport.Elasticsearch(url, serverMajor, prefix);
            stores.Add(($"Elasticsearch {url}", elasticsearch, () => ElasticsearchServer.DeleteAsync(url, prefix)));
        }

        try
        {
            var results = new List<List<RelevanceResult>>();
            foreach (var (_, store, _) in stores)
            {
                foreach (var batch in documents.Chunk(500))
                {
                    await store.IndexAsync(batch, CancellationToken.None);
                }
                if (store is ElasticsearchSearchStore elasticsearch)
                {
                    await elasticsearch.RefreshAsync(CancellationToken.None);
                }
                var perQuery = new List<RelevanceResult>();
                foreach (var query in set.Queries)
                {
                    perQuery.Add(await RelevanceSet.EvaluateAsync(store, query, RelevanceSet.NearMisses(query, sample), CancellationToken.None));
                }
                results.Add(perQuery);
            }

            Console.WriteLine("| query | why | relevant | " + string.Join(" | ", stores.Select(store => $"{Short(store.Name)} hits | P@10 | precision | recall | near misses found")) + " |");
            Console.WriteLine("|---|---|---|" + string.Concat(stores.Select(_ => "---|---|---|---|---|")));
            for (var i = 0; i < set.Queries.Count; i++)
            {
                var query = set.Queries[i];
                Console.WriteLine($"| `{query.Query}` | {query.Why} | {query.Relevant.Count} | "
                    + string.Join(" | ", results.Select(perQuery => perQuery[i]).Select(result =>
                        $"{result.Hits} | {result.PrecisionAt10:0.00} | {result.Precision:0.00} | {result.Recall:0.000} | {result.WronglyFound.Count}")) + " |");
            }
            Console.WriteLine();
            for (var s = 0; s < stores.Count; s++)
            {
                var perQuery = results[s];
                Console.WriteLine($"{stores[s].Name}: mean precision@10 {perQuery.Average(result => result.PrecisionAt10):0.000}, "
                    + $"mean precision {perQuery.Average(result => result.Precision):0.000}, mean recall {perQuery.Average(result => result.Recall):0.000}, "
                    + $"relevant missed {perQuery.Sum(result => result.Missed.Count)}, near misses found {perQuery.Sum(result => result.WronglyFound.Count)}");
                foreach (var result in perQuery.Where(result => result.Missed.Count > 0 || result.WronglyFound.Count > 0))
                {
                    Console.WriteLine($"  {result.Query.Id}: missed {string.Join(' ', result.Missed.Take(10))}; near misses found {string.Join(' ', result.WronglyFound.Take(10))}");
                }
                foreach (var result in perQuery.Where(result => result.NotRelevantInTop10.Count > 0))
                {
                    Console.WriteLine($"  {result.Query.Id}: not judged relevant in the first ten: {string.Join(' ', result.NotRelevantInTop10)}");
                }
            }
            if (url is null)
            {
                Console.WriteLine("Elasticsearch: not measured: no server (scripts/elasticsearch.sh start, or --elasticsearch URL)");
            }
        }
        finally
        {
            foreach (var (_, _, cleanup) in stores)
            {
                await cleanup();
            }
        }
    }

    private static string Short(string name) => name.Split(' ')[0];
}
