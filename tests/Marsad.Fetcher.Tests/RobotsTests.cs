using Marsad.Testing;

namespace Marsad.Fetcher.Tests;

public sealed class RobotsRulesTests
{
    private const string Robots = """
        # A site's rules
        User-agent: *
        Disallow: /private/
        Allow: /private/press/
        Disallow: /*.pdf$

        User-agent: OtherBot
        Disallow: /

        User-agent: marsad
        User-agent: SomeBot
        Disallow: /no-monitors/
        """;

    [Theory]
    [InlineData("*", "/news/1", true)]
    [InlineData("*", "/private/x", false)]
    [InlineData("*", "/private/press/release", true)]
    [InlineData("*", "/files/report.pdf", false)]
    [InlineData("*", "/files/report.pdf?x=1", true)]
    [InlineData("otherbot", "/news/1", false)]
    [InlineData("Marsad", "/private/x", true)]
    [InlineData("Marsad", "/no-monitors/feed.xml", false)]
    public void The_group_for_the_product_token_decides_and_the_longest_rule_wins(string token, string path, bool allowed) =>
        Assert.Equal(allowed, RobotsRules.Parse(Robots, token).Allows(new Uri("https://news.example" + path)));

    [Fact]
    public void No_rules_allow_everything_and_a_bare_disallow_allows_everything_too()
    {
        Assert.True(RobotsRules.Parse("", "marsad").Allows(new Uri("https://news.example/any")));
        Assert.True(RobotsRules.Parse("User-agent: *\nDisallow:\n", "marsad").Allows(new Uri("https://news.example/any")));
        Assert.False(RobotsRules.DisallowAll.Allows(new Uri("https://news.example/any")));
    }
}

/// <summary>robots.txt honoured by the fetcher against a real server on loopback.</summary>
public sealed class RobotsTests : IAsyncLifetime
{
    private readonly TemporaryDirectory _data = new();
    private LocalHttpServer _server = null!;

    public async Task InitializeAsync() => _server = await LocalHttpServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task Pages_robots_txt_disallows_are_not_fetched_and_robots_txt_is_read_once()
    {
        _server.Put("/robots.txt", ServedResource.Text("User-agent: *\nDisallow: /private/\n", "text/plain"));
        foreach (var path in new[] { "/public/1", "/public/2", "/private/1" })
        {
            _server.Put(path, ServedResource.Text($"<html><body><article><p>نص الصفحة {path} للاختبار</p></article></body></html>", "text/html; charset=utf-8"));
        }
        var feed = _server.Put("/feed.xml", ServedResource.Text(
            """<rss version="2.0"><channel><title>t</title><item><title>1</title><link>/public/1</link></item><item><title>2</title><link>/public/2</link></item><item><title>3</title><link>/private/1</link><description>خلاصة</description></item></channel></rss>""",
            "application/rss+xml"));
        using var host = LoopbackFetcher.Build(_data.Path, new Dictionary<string, string?> { ["Fetcher:MinDelayPerHost"] = "00:00:00" });

        var (outcome, articles) = await LoopbackFetcher.FetchAsync(host, feed);

        Assert.Null(outcome.Error);
        Assert.Equal(1, _server.RequestsTo("/robots.txt"));
        Assert.Equal(1, _server.RequestsTo("/public/1"));
        Assert.Equal(0, _server.RequestsTo("/private/1"));
        var disallowed = Assert.Single(articles, article => article.Url.EndsWith("/private/1", StringComparison.Ordinal));
        Assert.Contains("robots.txt", disallowed.FetchError, StringComparison.Ordinal);
    }
}
