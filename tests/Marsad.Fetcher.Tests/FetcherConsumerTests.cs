using Marsad.Contracts;
using Marsad.Feeds;
using Marsad.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Marsad.Fetcher.Tests;

/// <summary>The fetcher's consumers on MassTransit's test harness, against a site on loopback.</summary>
public sealed class FetcherConsumerTests : IAsyncLifetime
{
    private ConsumerHarness _bus = null!;
    private LocalHttpServer _site = null!;

    public async Task InitializeAsync()
    {
        _site = await LocalHttpServer.StartAsync();
        _bus = await ConsumerHarness.StartAsync(builder => builder.AddFetcher(poll: false), bus => bus.AddFetcherConsumers(),
            new Dictionary<string, string?> { ["Fetcher:AllowLoopback"] = "true", ["Fetcher:MinDelayPerHost"] = "00:00:00" });
    }

    public async Task DisposeAsync()
    {
        await _bus.DisposeAsync();
        await _site.DisposeAsync();
    }

    [Fact]
    public async Task A_site_page_is_answered_with_the_feeds_it_announces_and_a_non_feed_with_why()
    {
        var feed = _site.Put("/rss.xml", ServedResource.Text("<rss version=\"2.0\"><channel><title>t</title></channel></rss>", "application/rss+xml"));
        var page = _site.Put("/", ServedResource.Text("<html><head><link rel=\"alternate\" type=\"application/rss+xml\" href=\"/rss.xml\"></head></html>", "text/html"));
        var plain = _site.Put("/about", ServedResource.Text("<html><body>about us</body></html>", "text/html"));
        var client = _bus.Harness.GetRequestClient<DiscoverFeeds>();

        var found = (await client.GetResponse<FeedsDiscovered>(new DiscoverFeeds { Url = page.AbsoluteUri })).Message;
        Assert.Equal([feed.AbsoluteUri], found.FeedUrls);
        Assert.Null(found.Error);

        var none = (await client.GetResponse<FeedsDiscovered>(new DiscoverFeeds { Url = plain.AbsoluteUri })).Message;
        Assert.Empty(none.FeedUrls);
        Assert.Contains("announces no feed", none.Error, StringComparison.Ordinal);

        var notWeb = (await client.GetResponse<FeedsDiscovered>(new DiscoverFeeds { Url = "ftp://news.example/feed" })).Message;
        Assert.Contains("not an http(s) address", notWeb.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_feed_fetch_publishes_each_new_article_and_the_feeds_outcome()
    {
        _site.Put("/a", ServedResource.Text("<html><body><p>a</p></body></html>", "text/html"));
        var feed = _site.Put("/rss.xml", ServedResource.Text(
            $"<rss version=\"2.0\"><channel><title>وكالة</title><item><title>خبر</title><link>{_site.BaseAddress}a</link><description>ملخص</description></item></channel></rss>",
            "application/rss+xml"));
        await _bus.Services.GetRequiredService<FeedRegistry>().AddAsync(feed.AbsoluteUri, CancellationToken.None);

        await _bus.Harness.Bus.Publish(new FetchFeed { FeedUrl = feed.AbsoluteUri });

        var outcome = await _bus.PublishedAsync<FeedFetched>(TimeSpan.FromSeconds(30));
        Assert.Null(outcome.Error);
        Assert.Equal(1, outcome.ArticlesPublished);
        var article = _bus.Harness.Published.Select<ArticleFetched>().Single().Context.Message;
        Assert.Equal($"{_site.BaseAddress}a", article.Url);
        Assert.Equal("خبر", article.Item.Title);
    }
}
