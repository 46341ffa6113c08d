using System.Text;
using Marsad.Contracts;
using Marsad.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Marsad.Feeds;

namespace Marsad.Fetcher.Tests;

/// <summary>The fetcher against a real HTTP server on loopback, wired exactly as the service wires it.</summary>
public sealed class FeedFetcherTests : IAsyncLifetime
{
    private readonly TemporaryDirectory _data = new();
    private LocalHttpServer _server = null!;

    public async Task InitializeAsync() => _server = await LocalHttpServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _data.Dispose();
    }

    private IHost BuildFetcher(bool allowLoopback = true, int maxPageBytes = 1024 * 1024) =>
        LoopbackFetcher.Build(_data.Path, new Dictionary<string, string?>
        {
            ["Fetcher:AllowLoopback"] = allowLoopback.ToString(),
            ["Fetcher:MaxPageBytes"] = maxPageBytes.ToString(),
        });

    private static Task<(FeedFetched Outcome, List<ArticleFetched> Articles)> FetchAsync(IHost host, Uri feed) => LoopbackFetcher.FetchAsync(host, feed);

    private Uri ServeFeed(params string[] itemPaths)
    {
        var items = string.Concat(itemPaths.Select(path =>
            $"<item><title>Item {path}</title><link>{path}</link><description>Summary of {path}</description></item>"));
        return _server.Put("/feed.xml", ServedResource.Text(
            $"""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Local news</title>{items}</channel></rss>""",
            "application/rss+xml", etag: "\"v1\""));
    }

    private void ServePage(string path, string body) =>
        _server.Put(path, ServedResource.Text($"<html><body><article><p>{body}</p></article></body></html>", "text/html; charset=utf-8"));

    [Fact]
    public async Task Fetches_each_new_article_page_once_and_then_asks_conditionally()
    {
        ServePage("/a/1", "الأول");
        ServePage("/a/2", "الثاني");
        // The same article twice, once with campaign parameters and an anchor: one article.
        var feed = ServeFeed("/a/1", "/a/2", "/a/1?utm_source=rss#top");
        using var host = BuildFetcher();

        var (first, articles) = await FetchAsync(host, feed);
        Assert.Null(first.Error);
        Assert.Equal(3, first.ItemsSeen);
        Assert.Equal(2, first.ArticlesPublished);
        Assert.Equal(2, articles.Count);
        Assert.All(articles, article => Assert.NotNull(article.Body));
        Assert.Equal("Local news", articles[0].Item.Source);
        Assert.Equal(1, _server.RequestsTo("/a/1"));

        // The server answers 304 to the feed's ETag: nothing new, no page fetched again.
        var (second, again) = await FetchAsync(host, feed);
        Assert.True(second.NotModified);
        Assert.Empty(again);
        Assert.Equal(2, _server.RequestsTo("/feed.xml"));
        Assert.Equal(1, _server.RequestsTo("/a/1"));

        var health = Assert.Single(await host.Services.GetRequiredService<FeedRegistry>().ListAsync(CancellationToken.None));
        Assert.Equal("Local news", health.Title);
        Assert.Null(health.LastError);
        Assert.Equal("\"v1\"", health.ETag);
    }

    [Fact]
    public async Task Remembers_handed_on_articles_across_restarts()
    {
        ServePage("/a/1", "الأول");
        var feed = ServeFeed("/a/1");
        using (var host = BuildFetcher())
        {
            Assert.Single((await FetchAsync(host, feed)).Articles);
        }
        // A new ETag makes the feed "changed"; the article in it is still known.
        _server.Put("/feed.xml", ServedResource.Text(
            """<rss version="2.0"><channel><title>Local news</title><item><title>x</title><link>/a/1</link></item></channel></rss>""",
            "application/rss+xml", etag: "\"v2\""));
        using var restarted = BuildFetcher();
        var (outcome, articles) = await FetchAsync(restarted, feed);
        Assert.Empty(articles);
        Assert.Equal(1, outcome.ArticlesAlreadyKnown);
    }

    [Fact]
    public async Task A_page_that_fails_still_hands_on_the_article_with_the_reason()
    {
        var feed = ServeFeed("/missing");
        using var host = BuildFetcher();
        var article = Assert.Single((await FetchAsync(host, feed)).Articles);
        Assert.Null(article.Body);
        Assert.Contains("404", article.FetchError, StringComparison.Ordinal);
        Assert.Equal("Summary of /missing", article.Item.Summary);
    }

    [Fact]
    public async Task A_page_over_the_size_cap_is_refused_with_the_reason()
    {
        ServePage("/big", new string('x', 64 * 1024));
        var feed = ServeFeed("/big");
        using var host = BuildFetcher(maxPageBytes: 16 * 1024);
        var article = Assert.Single((await FetchAsync(host, feed)).Articles);
        Assert.Null(article.Body);
        Assert.Contains("cap", article.FetchError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Loopback_addresses_are_refused_unless_allowed()
    {
        var feed = ServeFeed();
        using var host = BuildFetcher(allowLoopback: false);
        var (outcome, _) = await FetchAsync(host, feed);
        Assert.Contains("loopback", outcome.Error, StringComparison.Ordinal);
        Assert.Equal(0, _server.RequestsTo("/feed.xml"));
    }

    [Fact]
    public async Task A_broken_feed_is_recorded_on_its_health_and_counted_as_consecutive_failures()
    {
        var feed = _server.Put("/broken.xml", ServedResource.Text("<rss><channel><title>oops", "application/rss+xml"));
        using var host = BuildFetcher();
        await FetchAsync(host, feed);
        var (outcome, articles) = await FetchAsync(host, feed);
        Assert.Empty(articles);
        Assert.StartsWith("Not a readable RSS or Atom feed", outcome.Error, StringComparison.Ordinal);
        var health = Assert.Single(await host.Services.GetRequiredService<FeedRegistry>().ListAsync(CancellationToken.None));
        Assert.Equal(2, health.ConsecutiveFailures);
        Assert.Equal(outcome.Error, health.LastError);
        Assert.Null(health.LastSuccessAt);
    }

    [Fact]
    public async Task Local_feed_files_link_to_local_pages()
    {
        var folder = Path.Combine(_data.Path, "local");
        Directory.CreateDirectory(Path.Combine(folder, "pages"));
        await File.WriteAllTextAsync(Path.Combine(folder, "pages", "p.html"), "<html><body><p>صفحة محلية</p></body></html>", Encoding.UTF8);
        var feedPath = Path.Combine(folder, "feed.xml");
        await File.WriteAllTextAsync(feedPath, """<rss version="2.0"><channel><title>Local file</title><item><title>x</title><link>pages/p.html</link></item></channel></rss>""");

        var feedUrl = Assert.Single(FeedSources.Expand(folder));
        using var host = BuildFetcher();
        var article = Assert.Single((await FetchAsync(host, new Uri(feedUrl))).Articles);
        Assert.Equal(new Uri(Path.Combine(folder, "pages", "p.html")).AbsoluteUri, article.Url);
        Assert.Contains("صفحة محلية", Encoding.UTF8.GetString(article.Body!), StringComparison.Ordinal);
    }
}
