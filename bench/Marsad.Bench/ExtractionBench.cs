using System.Diagnostics;
using Marsad.Parser;
using Marsad.Testing;

namespace Marsad.Bench;

/// <summary>The parser's extraction scored the article-extraction benchmark's way, and how fast it runs.</summary>
public static class ExtractionBench
{
    public static async Task RunAsync(int worst, string show, string score)
    {
        if (score.Length > 0)
        {
            ScoreOutput(score);
            return;
        }
        if (show.Length > 0)
        {
            await ShowAsync(show);
            return;
        }
        Console.WriteLine($"# Extraction benchmark — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores");
        Console.WriteLine("Scoring: scrapinghub/article-extraction-benchmark's shingle precision/recall (tests/Marsad.Testing/ExtractionBenchmark.cs).");
        Console.WriteLine();
        Console.WriteLine("| pages | count | precision | recall | F1 | no article found | pages/s | median ms | p95 ms |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        var english = await MeasureAsync("English news (benchmark, development half)", ExtractionBenchmark.EnglishBenchmark());
        var rightToLeft = ExtractionBenchmark.RightToLeft();
        var arabic = await MeasureAsync("Arabic (Jawhara FM + CNN Arabic)", rightToLeft.Where(page => page.Set != "readability-rtl").ToList());
        await MeasureAsync("Readability right-to-left test pages", rightToLeft.Where(page => page.Set == "readability-rtl").ToList());
        Console.WriteLine();
        foreach (var (name, results) in new[] { ("English", english), ("Arabic", arabic) })
        {
            Console.WriteLine($"{name}: the {worst} lowest F1");
            foreach (var (page, counts, _, _) in results.OrderBy(result => ShingleScore.F1(result.Counts)).Take(worst))
            {
                Console.WriteLine($"  {ShingleScore.F1(counts):0.000} P {ShingleScore.Precision(counts):0.00} R {ShingleScore.Recall(counts):0.00}  {page.Id}  {page.Url}");
            }
        }
    }

    /// <summary>
    /// Scores another extractor's output, in the benchmark's own format ({id: {articleBody}}), on the pages of the
    /// development half: how the scoring was checked against a published figure.
    /// </summary>
    private static void ScoreOutput(string path)
    {
        var output = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        var pages = ExtractionBenchmark.EnglishBenchmark();
        var counts = pages.Select(page => ShingleScore.Match(page.Truth, output[page.Id]?["articleBody"]?.GetValue<string>() ?? "")).ToList();
        var (precision, recall, f1) = ShingleScore.Aggregate(counts);
        Console.WriteLine($"{Path.GetFileName(path)} on {pages.Count} pages: precision {precision:0.000}, recall {recall:0.000}, F1 {f1:0.000}");
    }

    /// <summary>One page's extracted paragraphs, each marked by how much of it the ground truth holds (for finding what leaks in).</summary>
    private static async Task ShowAsync(string id)
    {
        var page = ExtractionBenchmark.EnglishBenchmark().Concat(ExtractionBenchmark.RightToLeft()).Single(candidate => candidate.Id.StartsWith(id, StringComparison.Ordinal));
        var extracted = await ArticleExtractor.ExtractAsync(page.Html, null, page.Url, CancellationToken.None);
        Console.WriteLine($"{page.Id} {page.Url}\ntitle: {extracted?.Title}\n");
        foreach (var paragraph in (extracted?.Text ?? "").Split("\n\n"))
        {
            var counts = ShingleScore.Match(page.Truth, paragraph);
            Console.WriteLine($"[{ShingleScore.Precision(counts):0.00}] {paragraph}");
        }
        Console.WriteLine("\n--- truth paragraphs not found:");
        foreach (var paragraph in page.Truth.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (ShingleScore.Precision(ShingleScore.Match(extracted?.Text ?? "", paragraph)) < 0.5)
            {
                Console.WriteLine("  " + paragraph);
            }
        }
    }

    private static async Task<List<(ExtractionPage Page, ShingleCounts Counts, double Milliseconds, bool Found)>> MeasureAsync(string name, IReadOnlyList<ExtractionPage> pages)
    {
        // One page first, so start-up costs (JIT, AngleSharp's tables) are not counted against the first page.
        await ArticleExtractor.ExtractAsync(pages[0].Html, null, pages[0].Url, CancellationToken.None);
        var results = new List<(ExtractionPage, ShingleCounts, double, bool)>();
        var total = Stopwatch.StartNew();
        foreach (var page in pages)
        {
            var watch = Stopwatch.StartNew();
            var extracted = await ArticleExtractor.ExtractAsync(page.Html, null, page.Url, CancellationToken.None);
            watch.Stop();
            results.Add((page, ShingleScore.Match(page.Truth, extracted?.Text ?? ""), watch.Elapsed.TotalMilliseconds, extracted is not null));
        }
        total.Stop();
        var (precision, recall, f1) = ShingleScore.Aggregate(results.Select(result => result.Item2).ToList());
        var times = results.Select(result => result.Item3).Order().ToList();
        Console.WriteLine($"| {name} | {pages.Count} | {precision:0.000} | {recall:0.000} | {f1:0.000} | {results.Count(result => !result.Item4)} | "
            + $"{pages.Count / total.Elapsed.TotalSeconds:0.0} | {BenchSupport.Percentile(times, 0.50):0} | {BenchSupport.Percentile(times, 0.95):0} |");
        return results;
    }
}
