using Marsad.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Marsad.Feeds;

namespace Marsad.Fetcher.Tests;

/// <summary>Adding a site rather than its feed: the feeds its page announces are found.</summary>
[Trait(Needs.Trait, Needs.SharedData)]
public sealed class FeedDiscoveryTests : IAsyncLifetime
{
    private readonly TemporaryDirectory _data = new();
    private LocalHttpServer _site = null!;
    private IHost _host = null!;

    public async Task InitializeAsync()
    {
        _site = await LocalHttpServer.StartAsync();
        _host = LoopbackFetcher.Build(_data.Path);
        await _host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        await _site.DisposeAsync();
        _data.Dispose();
    }

    private FeedDiscovery Discovery => _host.Services.GetRequiredService<FeedDiscovery>();

    [Theory]
    [InlineData("codehollow.html", "https://codehollow.com/feed/", 2)]
    [InlineData("heise.html", "https://www.heise.de/rss/heise-atom.xml", 2)]
    [InlineData("stackoverflow.html", "https://stackoverflow.com/feeds", 1)]
    [InlineData("theverge.html", "https://www.theverge.com/rss/index.xml", 2)]
    public void Finds_the_feeds_real_pages_announce(string page, string first, int count)
    {
        var html = File.ReadAllText(RepoPaths.SharedFile("data", "feeds", "codehollow-feedreader", "FeedReader.Tests", "Html", page));
        var pageAddress = new Uri($"https://{Path.GetFileNameWithoutExtension(page) switch { "stackoverflow" => "stackoverflow.com", "theverge" => "www.theverge.com", var name => name + ".example" }}/");
        var feeds = FeedDiscovery.FromHtml(html, pageAddress);
        Assert.Equal(count, feeds.Count);
        Assert.Equal(first, feeds[0]);
    }

    [Fact]
    public async Task A_home_page_gives_its_feeds_a_feed_stays_itself_and_a_page_without_feeds_is_refused()
    {
        _site.Put("/feed.xml", ServedResource.Text("""<rss version="2.0"><channel><title>موقع</title></channel></rss>""", "application/rss+xml"));
        _site.Put("/feed.json", ServedResource.Text("""{ "version": "https://jsonfeed.org/version/1.1", "title": "t", "items": [] }""", "application/feed+json"));
        _site.Put("/", ServedResource.Text("""
            <!DOCTYPE html><html lang="ar"><head><title>موقع</title>
            <link rel="alternate" type="application/rss+xml" title="RSS" href="/feed.xml">
            <link rel="alternate" type="application/feed+json" title="JSON" href="feed.json">
            <link rel="alternate" type="application/json" href="/wp-json/wp/v2/pages/1">
            <link rel="alternate" hreflang="en" href="/en/">
            </head><body></body></html>
            """, "text/html; charset=utf-8"));
        _site.Put("/about.html", ServedResource.Text("<html><head><title>من نحن</title></head><body></body></html>", "text/html"));

        var fromHome = await Discovery.DiscoverAsync(_site.BaseAddress, CancellationToken.None);
        Assert.Equal([new Uri(_site.BaseAddress, "feed.xml").AbsoluteUri, new Uri(_site.BaseAddress, "feed.json").AbsoluteUri], fromHome.FeedUrls);
        Assert.Null(fromHome.Warning);

        var feed = new Uri(_site.BaseAddress, "feed.xml");
        Assert.Equal([feed.AbsoluteUri], (await Discovery.DiscoverAsync(feed, CancellationToken.None)).FeedUrls);

        var error = await Assert.ThrowsAsync<FeedFormatException>(() => Discovery.DiscoverAsync(new Uri(_site.BaseAddress, "about.html"), CancellationToken.None));
        Assert.Contains("announces no feed", error.Message, StringComparison.Ordinal);

        // Down now, maybe a feed: kept as given, with the reason it was not checked.
        var down = await Discovery.DiscoverAsync(new Uri(_site.BaseAddress, "later.xml"), CancellationToken.None);
        Assert.Equal([new Uri(_site.BaseAddress, "later.xml").AbsoluteUri], down.FeedUrls);
        Assert.Contains("404", down.Warning, StringComparison.Ordinal);
    }
}
