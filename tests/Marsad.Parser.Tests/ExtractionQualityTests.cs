using Marsad.Testing;

namespace Marsad.Parser.Tests;

/// <summary>
/// The parser scored the public article-extraction benchmark's way (tests/Marsad.Testing/ExtractionBenchmark.cs) on
/// the development half of its pages (../shared/data/extraction-benchmark) and on Arabic and right-to-left pages
/// (../shared/data/html-pages). These are quality gates, not timings: the speed is measured by bench/extraction.
/// </summary>
[Trait(Needs.Trait, Needs.SharedData)]
public sealed class ExtractionQualityTests
{
    private static readonly Lazy<IReadOnlyList<ExtractionPage>> English = new(ExtractionBenchmark.EnglishBenchmark);
    private static readonly Lazy<IReadOnlyList<ExtractionPage>> RightToLeft = new(ExtractionBenchmark.RightToLeft);

    public static TheoryData<string> EnglishPages() => [.. ExtractionBenchmark.EnglishBenchmark().Select(page => page.Id)];

    public static TheoryData<string> RightToLeftPages() => [.. ExtractionBenchmark.RightToLeft().Select(page => page.Id)];

    private static async Task<ShingleCounts> ScoreAsync(ExtractionPage page) =>
        ShingleScore.Match(page.Truth, (await ArticleExtractor.ExtractAsync(page.Html, null, page.Url, CancellationToken.None))?.Text ?? "");

    [Fact]
    public async Task The_development_half_of_the_benchmark_scores_F1_0_97_with_precision_0_95()
    {
        var scores = new List<ShingleCounts>();
        foreach (var page in English.Value)
        {
            scores.Add(await ScoreAsync(page));
        }
        var (precision, recall, f1) = ShingleScore.Aggregate(scores);
        Assert.Equal(91, scores.Count);
        Assert.True(f1 >= 0.97 && precision >= 0.95, $"F1 {f1:0.000}, precision {precision:0.000}, recall {recall:0.000}");
    }

    /// <summary>Every page on its own: none may lose most of its article or drown it in furniture.</summary>
    [Theory]
    [MemberData(nameof(EnglishPages))]
    public async Task Each_benchmark_page_keeps_its_article(string id)
    {
        var page = English.Value.Single(candidate => candidate.Id == id);
        var score = await ScoreAsync(page);
        Assert.True(ShingleScore.F1(score) >= 0.75,
            $"{page.Url}: F1 {ShingleScore.F1(score):0.00} (precision {ShingleScore.Precision(score):0.00}, recall {ShingleScore.Recall(score):0.00})");
    }

    [Theory]
    [MemberData(nameof(RightToLeftPages))]
    public async Task Arabic_and_right_to_left_pages_keep_their_article_paragraphs_and_no_bidi_controls(string id)
    {
        var page = RightToLeft.Value.Single(candidate => candidate.Id == id);
        var article = await ArticleExtractor.ExtractAsync(page.Html, null, page.Url, CancellationToken.None);
        Assert.NotNull(article);
        var score = ShingleScore.Match(page.Truth, article.Text);
        Assert.True(ShingleScore.F1(score) >= 0.85, $"{page.Id}: F1 {ShingleScore.F1(score):0.00} (precision {ShingleScore.Precision(score):0.00})");
        Assert.DoesNotMatch("[\u200E\u200F\u202A-\u202E\u2066-\u2069\u061C]", article.Text);
        if (page.Truth.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Count(line => line.Length > 40) > 1)
        {
            Assert.Contains("\n", article.Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_jawhara_pages_are_read_as_arabic_from_their_html_lang()
    {
        foreach (var page in RightToLeft.Value.Where(page => page.Set == "jawharafm"))
        {
            var article = await ArticleExtractor.ExtractAsync(page.Html, null, page.Url, CancellationToken.None);
            Assert.Equal("ar", article?.Language);
        }
    }

    [Theory]
    [InlineData("some words here now", "some words here now", 1.0, 1.0)]
    [InlineData("one two three four five", "one two three four", 1.0, 0.5)]     // 2 true shingles, 1 found
    [InlineData("one two three four", "one two three four five six", 1.0 / 3, 1.0)]
    [InlineData("", "", 1.0, 1.0)]
    public void The_scoring_counts_shingles_as_the_benchmark_does(string truth, string predicted, double precision, double recall)
    {
        var score = ShingleScore.Match(truth, predicted);
        Assert.Equal(precision, ShingleScore.Precision(score), 3);
        Assert.Equal(recall, ShingleScore.Recall(score), 3);
    }
}
