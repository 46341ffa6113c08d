using Marsad.Contracts;
using Marsad.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Marsad.Parser.Tests;

[Trait(Needs.Trait, Needs.SharedData)]
public sealed class PageMetadataTests
{
    private static readonly string Body = string.Concat(Enumerable.Repeat("<p>The committee met on Tuesday to discuss the budget and the new rules for the port, which several members opposed.</p>", 4));

    private static ExtractedArticle Extract(string head, string body = "", string url = "https://news.example/2019/11/19/budget-talks") =>
        ArticleExtractor.Extract($"<html lang=\"en-GB\"><head>{head}</head><body><article>{body}{Body}</article></body></html>", url)
        ?? throw new Xunit.Sdk.XunitException("no article");

    [Fact]
    public void Json_ld_gives_headline_authors_dates_image_and_address()
    {
        var article = Extract("""
            <title>Budget talks | Example News</title>
            <link rel="canonical" href="/news/budget-talks">
            <script type="application/ld+json">
            {"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"Example"},
             {"@type":"NewsArticle","headline":"Budget talks stall","author":[{"@type":"Person","name":"Jane Doe"},{"name":"Sam Roe"}],
              "datePublished":"2019-11-19T10:30:00+01:00","dateModified":"2019-11-20T08:00:00Z","image":{"url":"https://cdn.example/a.jpg"}}]}
            </script>
            """);
        Assert.Equal("Budget talks stall", article.Title);
        Assert.Equal("Jane Doe, Sam Roe", article.Author);
        Assert.Equal(new DateTimeOffset(2019, 11, 19, 10, 30, 0, TimeSpan.FromHours(1)), article.Published);
        Assert.Equal(new DateTimeOffset(2019, 11, 20, 8, 0, 0, TimeSpan.Zero), article.Modified);
        Assert.Equal("https://cdn.example/a.jpg", article.Image);
        Assert.Equal("https://news.example/news/budget-talks", article.CanonicalUrl);
        Assert.Equal("en", article.Language);
    }

    [Fact]
    public void Meta_tags_serve_when_there_is_no_json_ld()
    {
        var article = Extract("""
            <title>Budget talks - Example News</title>
            <meta property="og:title" content="Budget talks stall">
            <meta name="author" content="Jane Doe">
            <meta property="article:published_time" content="2019-11-19T10:30:00Z">
            <meta property="article:modified_time" content="2019-11-19T12:00:00Z">
            <meta property="og:image" content="/img/a.jpg">
            <meta property="og:url" content="https://news.example/news/budget-talks">
            """);
        Assert.Equal("Budget talks stall", article.Title);
        Assert.Equal("Jane Doe", article.Author);
        Assert.Equal(new DateTimeOffset(2019, 11, 19, 10, 30, 0, TimeSpan.Zero), article.Published);
        Assert.Equal(new DateTimeOffset(2019, 11, 19, 12, 0, 0, TimeSpan.Zero), article.Modified);
        Assert.Equal("https://news.example/img/a.jpg", article.Image);
        Assert.Equal("https://news.example/news/budget-talks", article.CanonicalUrl);
    }

    [Fact]
    public void The_date_in_the_address_serves_when_the_page_states_none() =>
        Assert.Equal(new DateTimeOffset(2019, 11, 19, 0, 0, 0, TimeSpan.Zero), Extract("<title>Budget talks</title>").Published);

    [Theory]
    [InlineData("الخميس 2 مارس 2017", 2017, 3, 2)]
    [InlineData("نشر في ٢ آذار ٢٠١٧ الساعة ١٠:٣٠", 2017, 3, 2)]                  // Arabic-Indic digits, Levantine month
    [InlineData("الخميس 3 جمادى الآخرة 1438 هـ الموافق 2 مارس 2017 م", 2017, 3, 2)]  // the Hijri date is passed over
    [InlineData("تونس في 15 جانفي 2019", 2019, 1, 15)]                            // Maghrebi month
    [InlineData("بتاريخ 1 تشرين الثاني 2020", 2020, 11, 1)]
    [InlineData("19 أغسطس 2018", 2018, 8, 19)]
    public void Arabic_dates_are_read_in_every_regional_month_name(string text, int year, int month, int day) =>
        Assert.Equal(new DateTimeOffset(year, month, day, 0, 0, 0, TimeSpan.Zero), PageMetadata.ArabicDate(text));

    [Fact]
    public void An_arabic_page_gets_its_date_from_its_text_and_its_language_from_html_lang()
    {
        var html = "<html lang=\"ar\" dir=\"rtl\"><head><title>خبر</title></head><body><article><p>الخميس 2 مارس 2017</p>"
            + string.Concat(Enumerable.Repeat("<p>قال وزير الخارجية في مؤتمر صحفي اليوم إن المفاوضات مستمرة وإن الأطراف تقترب من اتفاق شامل.</p>", 3))
            + "</article></body></html>";
        var article = ArticleExtractor.Extract(html, "https://news.example/ar/item");
        Assert.NotNull(article);
        Assert.Equal(new DateTimeOffset(2017, 3, 2, 0, 0, 0, TimeSpan.Zero), article.Published);
        Assert.Equal("ar", article.Language);
    }

    [Fact]
    public void Broken_json_ld_is_ignored_and_the_other_sources_still_count()
    {
        var article = Extract("<script type=\"application/ld+json\">{\"@type\": \"NewsArticle\", oops</script><meta property=\"og:title\" content=\"Budget talks stall\">");
        Assert.Equal("Budget talks stall", article.Title);
    }
}

[Trait(Needs.Trait, Needs.SharedData)]
public sealed class NoArticleTests
{
    private static string NewspaperPage(string name) =>
        RepoPaths.SharedFile("data", "html-pages", "newspaper-tests", "tests", "data", "html", name);

    [Theory]
    [InlineData("cnn_main_site.html", "http://www.cnn.com/")]
    [InlineData("yahoo_main_site.html", "http://www.yahoo.com/")]
    public async Task A_front_page_is_recognised_as_an_index_page(string file, string url)
    {
        var verdict = await ArticleExtractor.JudgeAsync(await File.ReadAllBytesAsync(NewspaperPage(file)), null, url, CancellationToken.None);
        Assert.Null(verdict.Article);
        Assert.StartsWith("an index page", verdict.NotAnArticle);
    }

    [Fact]
    public async Task A_video_page_is_marked_and_keeps_its_caption_as_a_teaser()
    {
        var html = "<html><head><meta property=\"og:type\" content=\"video.other\"></head><body><article><p>"
            + "Watch: the minister arrives at the summit and speaks briefly to reporters about the talks ahead.</p></article></body></html>";
        var verdict = await ArticleExtractor.JudgeAsync(System.Text.Encoding.UTF8.GetBytes(html), "text/html", "https://news.example/v/1", CancellationToken.None);
        Assert.Equal("a video page", verdict.NotAnArticle);
        Assert.NotNull(verdict.Article);
    }

    [Fact]
    public async Task A_paywalled_page_is_marked_and_the_parser_indexes_the_feed_summary_instead()
    {
        var html = "<html><head><script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"headline\":\"Rates\",\"isAccessibleForFree\":\"False\"}</script></head>"
            + "<body><article><p>The central bank raised its rates on Thursday, the third rise this year, and said more could follow...</p>"
            + "<p>Subscribe to read the full story.</p></article></body></html>";
        var body = System.Text.Encoding.UTF8.GetBytes(html);
        var verdict = await ArticleExtractor.JudgeAsync(body, "text/html", "https://news.example/rates", CancellationToken.None);
        Assert.StartsWith("a paywall", verdict.NotAnArticle);

        var parser = new ArticleParser(NullLogger<ArticleParser>.Instance);
        var parsed = await parser.ParseAsync(new ArticleFetched
        {
            ArticleId = "rates",
            Url = "https://news.example/rates",
            FetchedAt = DateTimeOffset.UnixEpoch,
            Body = body,
            ContentType = "text/html",
            Item = new FeedItem { FeedUrl = "https://news.example/rss", Source = "News", Title = "Rates", Summary = "The central bank raised rates for the third time this year." },
        }, CancellationToken.None);
        Assert.False(parsed.Content.ExtractedFromPage);
        Assert.StartsWith("a paywall", parsed.Content.NotAnArticle);
        Assert.Equal("The central bank raised rates for the third time this year.", parsed.Content.Text);
    }
}
