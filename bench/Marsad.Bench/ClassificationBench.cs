using System.Diagnostics;
using Marsad.Classifier.Languages;
using Marsad.Classifier.Topics;
using Marsad.Testing;

namespace Marsad.Bench;

/// <summary>How fast the classifier's work runs on real Arabic articles: language, then topics.</summary>
public static class ClassificationBench
{
    public static void Run(int count)
    {
        var articles = NewsCorpus.Read(RepoPaths.SharedFile("data", "arabic-news", "ant-v2.1")).Where((_, index) => index % 7 == 0).Take(count).ToList();
        var load = Stopwatch.StartNew();
        var topics = TopicClassifier.Shipped;
        var languages = LanguageIdentifier.Shipped;
        load.Stop();
        topics.Classify(articles[0].Title, articles[0].Text);
        var times = new List<double>();
        var total = Stopwatch.StartNew();
        foreach (var article in articles)
        {
            var watch = Stopwatch.StartNew();
            languages.Identify(article.Title + "\n" + article.Text);
            topics.Classify(article.Title, article.Text);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        total.Stop();
        times.Sort();
        Console.WriteLine($"# Classification benchmark — {articles.Count} ANT articles, one thread, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Console.WriteLine();
        Console.WriteLine("| articles | articles/s | median ms | p95 ms | p99 ms | model load ms |");
        Console.WriteLine("|---|---|---|---|---|---|");
        Console.WriteLine($"| {articles.Count} | {articles.Count / total.Elapsed.TotalSeconds:0} | {BenchSupport.Percentile(times, 0.50):0.00} | {BenchSupport.Percentile(times, 0.95):0.00} | {BenchSupport.Percentile(times, 0.99):0.00} | {load.Elapsed.TotalMilliseconds:0} |");
    }
}
