using System.Diagnostics;
using Marsad.Classifier.Languages;
using Marsad.Classifier.Topics;
using Marsad.Testing;

namespace Marsad.Bench;

/// <summary>How fast the classifier's work runs on real Arabic articles: language, then topics.</summary>
public static class ClassificationBench
{
    public static BenchTable Run(int count)
    {
        var articles = NewsCorpus.Read(RepoPaths.SharedFile("data", "arabic-news", "ant-v2.1")).Where((_, index) => index % 7 == 0).Take(count).ToList();
        var load = Stopwatch.StartNew();
        var topics = TopicClassifier.Shipped;
        var languages = LanguageIdentifier.Shipped;
        load.Stop();
        topics.Classify(articles[0].Title, articles[0].Text, articles[0].Url);
        var times = new List<double>();
        var total = Stopwatch.StartNew();
        foreach (var article in articles)
        {
            var watch = Stopwatch.StartNew();
            languages.Identify(article.Title + "\n" + article.Text);
            topics.Classify(article.Title, article.Text, article.Url);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        total.Stop();
        times.Sort();
        return new BenchTable("Classification (language, then topics), ANT articles, one thread",
                "articles", "articles/s", "median ms", "p95 ms", "p99 ms", "model load ms")
            .Row(articles.Count, Math.Round(articles.Count / total.Elapsed.TotalSeconds), BenchSupport.Percentile(times, 0.50), BenchSupport.Percentile(times, 0.95),
                BenchSupport.Percentile(times, 0.99), Math.Round(load.Elapsed.TotalMilliseconds));
    }
}
