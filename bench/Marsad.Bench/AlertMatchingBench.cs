using System.Diagnostics;
using Marsad.Testing;
using Marsad.Search.Queries;

namespace Marsad.Bench;

/// <summary>
/// Matching articles against many alert subscriptions, as the alerts service does it: the subscriptions indexed
/// by the terms they require, each article tested only against the candidates. Queries are generated from the words
/// of real ANT articles (single words, conjunctions, alternatives, phrases, exclusions, topic filters, prefixes);
/// the articles matched are other ANT articles.
/// </summary>
public static class AlertMatchingBench
{
    public static BenchTable Table() => new($"Alert matching against many subscriptions, ANT articles",
        "subscriptions", "articles", "articles/s, one thread", $"articles/s, {Environment.ProcessorCount} threads", "median ms", "p95 ms", "p99 ms",
        "queries run per article", "matches per article", "compile + index s", "memory MB");

    public static void Measure(BenchTable table, int subscriptionCount, int articleCount)
    {
        var corpus = AntCorpus.Sample(every: 3).ToList();
        var vocabulary = corpus.Where((_, index) => index % 2 == 0).Take(3000).ToList();
        var articles = corpus.Where((_, index) => index % 2 == 1).Take(articleCount).Select(AntCorpus.ToDocument).ToList();

        var before = GC.GetTotalMemory(forceFullCollection: true);
        var watch = Stopwatch.StartNew();
        var queries = SubscriptionQueries.Generate(vocabulary, subscriptionCount).Select(query => StoredQueryMatcher.Compile(query)).ToList();
        var index = new StoredQueryIndex<StoredQuery>(queries, query => query);
        var built = watch.Elapsed;
        var memory = GC.GetTotalMemory(forceFullCollection: true) - before;

        StoredQueryMatcher.Matching(articles[0], index);
        var times = new List<double>(articles.Count);
        long tested = 0;
        long matched = 0;
        watch.Restart();
        foreach (var article in articles)
        {
            var one = Stopwatch.StartNew();
            matched += StoredQueryMatcher.Matching(article, index, out var testedHere).Count;
            times.Add(one.Elapsed.TotalMilliseconds);
            tested += testedHere;
        }
        var total = watch.Elapsed;
        times.Sort();

        // As the alerts service runs: several articles at once, one per core.
        watch.Restart();
        Parallel.ForEach(articles, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, article => StoredQueryMatcher.Matching(article, index));
        var parallel = watch.Elapsed;
        table.Row(queries.Count, articles.Count, Math.Round(articles.Count / total.TotalSeconds), Math.Round(articles.Count / parallel.TotalSeconds),
            BenchSupport.Percentile(times, 0.50), BenchSupport.Percentile(times, 0.95), BenchSupport.Percentile(times, 0.99),
            Math.Round((double)tested / articles.Count, 1), Math.Round((double)matched / articles.Count, 1), Math.Round(built.TotalSeconds, 1), memory / 1048576);
    }
}
