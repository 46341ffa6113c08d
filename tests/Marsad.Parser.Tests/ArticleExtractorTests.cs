using System.Text;
using Marsad.Contracts;
using Marsad.Hosting;
using Marsad.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Marsad.Parser.Tests;

[Trait(Needs.Trait, Needs.SharedData)]
public sealed class ArticleExtractorTests
{
    private static string SamplePage(string name) => Path.Combine(RepoPaths.Samples, "pages", name);

    [Fact]
    public async Task Extracts_the_seed_article_without_navigation_asides_or_footer()
    {
        var body = await File.ReadAllBytesAsync(SamplePage("nato-ukraine-ar.html"));
        var article = await ArticleExtractor.ExtractAsync(body, contentType: null, "https://news.example/ar/nato", CancellationToken.None);

        Assert.NotNull(article);
        Assert.Contains("الناتو يتحد ضد أي عمل عسكري روسي في أوكرانيا", article.Title, StringComparison.Ordinal);
        foreach (var line in RepoPaths.SeedArticleText.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            Assert.Contains(line, article.Text, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("اقرأ أيضا", article.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("جميع الحقوق محفوظة", article.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("الرئيسية", article.Text, StringComparison.Ordinal);
        // Paragraphs stay paragraphs.
        Assert.Contains("\n\n", article.Text, StringComparison.Ordinal);
        Assert.Equal("ar", article.Language);
    }

    [Fact]
    public async Task Extracts_a_windows_1256_page_that_declares_its_charset_only_in_meta()
    {
        var body = await File.ReadAllBytesAsync(SamplePage("central-bank-ar.html"));
        Assert.Throws<DecoderFallbackException>(() => new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body));

        var article = await ArticleExtractor.ExtractAsync(body, "text/html", url: null, CancellationToken.None);
        Assert.NotNull(article);
        Assert.Contains("البنك المركزي", article.Title, StringComparison.Ordinal);
        Assert.Contains("الإبقاء على أسعار الفائدة", article.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Cleaned_text_has_no_bidi_controls_and_one_space_between_words()
    {
        var cleaned = ArticleExtractor.CleanText("\u200Fروسيا\u200E   و\u202Bأوكرانيا\u202C\n\n\n\nفقرة  ثانية\u00A0هنا");
        Assert.Equal("روسيا وأوكرانيا\n\nفقرة ثانية هنا", cleaned);
    }

    [Fact]
    public void A_short_wire_brief_is_an_article()
    {
        // Three sentences, about 250 characters: shorter than Readability's threshold, and a real news item.
        const string brief = "أعلنت السلطات المحلية صباح اليوم إغلاق الطريق الساحلي مؤقتا بسبب الأمطار الغزيرة. "
            + "وقال متحدث باسم الدفاع المدني إن فرق الإنقاذ تعمل على فتح المسارات. "
            + "ودعت السلطات السائقين إلى تجنب المنطقة حتى إشعار آخر.";
        var article = ArticleExtractor.Extract($"<html><body><nav><a href='/'>الرئيسية</a></nav><article><h1>إغلاق الطريق الساحلي</h1><p>{brief}</p></article></body></html>", null);
        Assert.NotNull(article);
        Assert.Contains(brief, article.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_page_without_an_article_yields_nothing()
    {
        var index = "<html><body><nav><a href='/1'>خبر</a> <a href='/2'>خبر آخر</a></nav><ul><li><a href='/3'>ثالث</a></li></ul></body></html>";
        Assert.Null(ArticleExtractor.Extract(index, "https://news.example/"));
    }
}

[Trait(Needs.Trait, Needs.SharedData)]
public sealed class ArticleParserTests
{
    private readonly ArticleParser _parser = new(NullLogger<ArticleParser>.Instance);

    private static ArticleFetched Fetched(byte[]? body, string? summary, string? error = null) => new()
    {
        ArticleId = "a1",
        Url = "https://news.example/a1",
        FetchedAt = DateTimeOffset.UnixEpoch,
        Body = body,
        ContentType = "text/html; charset=utf-8",
        FetchError = error,
        Item = new FeedItem
        {
            FeedUrl = "https://news.example/rss",
            Source = "News",
            Title = "عنوان <b>الخبر</b>",
            Summary = summary,
            Published = new DateTimeOffset(2022, 1, 7, 10, 0, 0, TimeSpan.Zero),
        },
    };

    [Fact]
    public async Task Uses_the_page_when_it_holds_an_article()
    {
        var body = await File.ReadAllBytesAsync(Path.Combine(RepoPaths.Samples, "pages", "nato-ukraine-ar.html"));
        var parsed = await _parser.ParseAsync(Fetched(body, "ملخص"), CancellationToken.None);
        Assert.True(parsed.Content.ExtractedFromPage);
        Assert.Contains("بوتين", parsed.Content.Text, StringComparison.Ordinal);
        // The feed's title, cleaned of markup, is the editor's headline.
        Assert.Equal("عنوان الخبر", parsed.Content.Title);
        Assert.Equal(new DateTimeOffset(2022, 1, 7, 10, 0, 0, TimeSpan.Zero), parsed.Content.Published);
    }

    [Fact]
    public async Task Falls_back_to_the_feed_summary_and_flags_it()
    {
        var parsed = await _parser.ParseAsync(Fetched(body: null, "<p>ملخص <i>الخبر</i> من الخلاصة</p>", error: "404"), CancellationToken.None);
        Assert.False(parsed.Content.ExtractedFromPage);
        Assert.Equal("ملخص الخبر من الخلاصة", parsed.Content.Text);
    }

    [Fact]
    public async Task Nothing_to_index_is_unprocessable_with_the_reason()
    {
        var error = await Assert.ThrowsAsync<UnprocessableMessageException>(
            () => _parser.ParseAsync(Fetched(body: null, summary: null, error: "answered 500"), CancellationToken.None));
        Assert.Contains("answered 500", error.Message, StringComparison.Ordinal);
    }
}
