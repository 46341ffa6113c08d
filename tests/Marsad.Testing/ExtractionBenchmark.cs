using System.IO.Compression;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;
using Marsad.Classifier.Topics;

namespace Marsad.Testing;

/// <summary>One page with the article text a person (or a reference extractor) found in it.</summary>
public sealed record ExtractionPage(string Set, string Id, string Url, byte[] Html, string Truth);

/// <summary>A page's shingle counts, normalised so that they sum to 1 (long articles do not weigh more).</summary>
public readonly record struct ShingleCounts(double TruePositive, double FalsePositive, double FalseNegative);

/// <summary>
/// The article-extraction benchmark's scoring (scrapinghub/article-extraction-benchmark, evaluate.py), re-written:
/// both texts become multisets of 4-token shingles, a token being a run of letters, digits or underscores;
/// tp/fp/fn count their overlap and are normalised per page; precision is averaged over the pages with tp+fp &gt; 0,
/// recall over those with tp+fn &gt; 0 (a page with fp = fn = 0 scores 1), and F1 is the harmonic mean of the two
/// averages. A text of fewer than four tokens is one shingle.
/// </summary>
public static partial class ShingleScore
{
    public const int ShingleLength = 4;

    public static ShingleCounts Match(string truth, string predicted)
    {
        var expected = Shingles(truth);
        var found = Shingles(predicted);
        double truePositive = 0, falsePositive = 0, falseNegative = 0;
        foreach (var shingle in expected.Keys.Union(found.Keys))
        {
            var inTruth = expected.GetValueOrDefault(shingle);
            var inPrediction = found.GetValueOrDefault(shingle);
            truePositive += Math.Min(inTruth, inPrediction);
            falsePositive += Math.Max(0, inPrediction - inTruth);
            falseNegative += Math.Max(0, inTruth - inPrediction);
        }
        var sum = truePositive + falsePositive + falseNegative;
        return sum > 0 ? new(truePositive / sum, falsePositive / sum, falseNegative / sum) : new(0, 0, 0);
    }

    public static (double Precision, double Recall, double F1) Aggregate(IReadOnlyCollection<ShingleCounts> pages)
    {
        var precision = pages.Where(page => page.TruePositive + page.FalsePositive > 0).Select(Precision).DefaultIfEmpty(0).Average();
        var recall = pages.Where(page => page.TruePositive + page.FalseNegative > 0).Select(Recall).DefaultIfEmpty(0).Average();
        var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return (precision, recall, f1);
    }

    public static double Precision(ShingleCounts page) =>
        page.FalsePositive == 0 && page.FalseNegative == 0 ? 1
        : page.TruePositive == 0 && page.FalsePositive == 0 ? 0
        : page.TruePositive / (page.TruePositive + page.FalsePositive);

    public static double Recall(ShingleCounts page) =>
        page.FalsePositive == 0 && page.FalseNegative == 0 ? 1
        : page.TruePositive == 0 && page.FalseNegative == 0 ? 0
        : page.TruePositive / (page.TruePositive + page.FalseNegative);

    public static double F1(ShingleCounts page)
    {
        var (precision, recall) = (Precision(page), Recall(page));
        return precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
    }

    private static Dictionary<string, int> Shingles(string text)
    {
        var tokens = Token().Matches(text ?? "").Select(match => match.Value).ToList();
        var shingles = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < Math.Max(1, tokens.Count - ShingleLength + 1); i++)
        {
            var shingle = string.Join('\u0001', tokens.Skip(i).Take(ShingleLength));
            if (shingle.Length > 0)
            {
                shingles[shingle] = shingles.GetValueOrDefault(shingle) + 1;
            }
        }
        return shingles;
    }

    // Python's \w: letters and digits of any script and the underscore, but not combining marks (Arabic harakat
    // split a token there, as they do in the benchmark's own scorer).
    [GeneratedRegex(@"[\p{L}\p{Nd}\p{Nl}\p{No}_]+")]
    private static partial Regex Token();
}

/// <summary>The pages with known article text in ../shared/data, read in place.</summary>
public static class ExtractionBenchmark
{
    /// <summary>The 91 English news pages of the public benchmark's development half, with human ground truth.</summary>
    public static IReadOnlyList<ExtractionPage> EnglishBenchmark()
    {
        var folder = RepoPaths.SharedFile("data", "extraction-benchmark");
        var truth = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "ground-truth.json")))!.AsObject();
        return truth.OrderBy(entry => entry.Key, StringComparer.Ordinal).Select(entry =>
        {
            using var gzip = new GZipStream(File.OpenRead(Path.Combine(folder, "html", entry.Key + ".html.gz")), CompressionMode.Decompress);
            using var html = new MemoryStream();
            gzip.CopyTo(html);
            return new ExtractionPage("benchmark", entry.Key, entry.Value!["url"]!.GetValue<string>(), html.ToArray(),
                entry.Value["articleBody"]?.GetValue<string>() ?? "");
        }).ToList();
    }

    /// <summary>
    /// Arabic and right-to-left pages: 9 Jawhara FM pages (reference body from the site's own article selector),
    /// CNN Arabic (newspaper3k's reference text) and Mozilla Readability's four right-to-left test pages
    /// (Readability.js's reviewed output, tags stripped).
    /// </summary>
    public static IReadOnlyList<ExtractionPage> RightToLeft()
    {
        var pages = new List<ExtractionPage>();
        var jawhara = RepoPaths.SharedFile("data", "html-pages", "arabic-jawharafm-rsscrawler", "data");
        foreach (var html in Directory.EnumerateFiles(jawhara, "*.html", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            // The reference is an ANT-format file, read by the corpus's own reader.
            var reference = NewsCorpus.ReadFile(Path.ChangeExtension(html, ".txt"))
                ?? throw new InvalidDataException($"{html}: its reference text has no title or body");
            pages.Add(new ExtractionPage("jawharafm", Path.GetFileNameWithoutExtension(html), reference.Url, File.ReadAllBytes(html), reference.Text));
        }
        var newspaper = RepoPaths.SharedFile("data", "html-pages", "newspaper-tests", "tests", "data");
        pages.Add(new ExtractionPage("cnn-arabic", "arabic_article", "http://arabic.cnn.com/2013/middle_east/8/3/syria.clashes/index.html",
            File.ReadAllBytes(Path.Combine(newspaper, "html", "arabic_article.html")), File.ReadAllText(Path.Combine(newspaper, "text", "arabic.txt"))));
        var readability = RepoPaths.SharedFile("data", "html-pages", "mozilla-readability-testpages", "test", "test-pages");
        foreach (var name in new[] { "rtl-1", "rtl-2", "rtl-3", "rtl-4" })
        {
            var expected = new HtmlParser().ParseDocument(File.ReadAllText(Path.Combine(readability, name, "expected.html")));
            pages.Add(new ExtractionPage("readability-rtl", name, $"http://fakehost/test/{name}",
                File.ReadAllBytes(Path.Combine(readability, name, "source.html")), expected.Body?.TextContent ?? ""));
        }
        return pages;
    }
}
