using Marsad.Testing;
using Marsad.Feeds;

namespace Marsad.Fetcher.Tests;

public sealed class FeedSourcesTests
{
    [Fact]
    public void An_http_url_is_itself() =>
        Assert.Equal(["https://news.example/rss"], FeedSources.Expand("https://news.example/rss"));

    [Fact]
    public void An_opml_file_lists_its_feeds_resolved_beside_it()
    {
        var feeds = FeedSources.Expand(Path.Combine(RepoPaths.Samples, "samples.opml"));
        Assert.Equal(3, feeds.Count);
        Assert.All(feeds, feed => Assert.True(File.Exists(new Uri(feed).LocalPath), feed));
    }

    [Fact]
    public void A_folder_is_every_feed_file_in_it()
    {
        var feeds = FeedSources.Expand(Path.Combine(RepoPaths.Samples, "feeds"));
        Assert.Equal(3, feeds.Count);
    }

    [Fact]
    public void A_missing_source_says_what_was_not_found()
    {
        var error = Assert.Throws<FileNotFoundException>(() => FeedSources.Expand("no/such/feeds"));
        Assert.Contains("no/such/feeds", error.Message, StringComparison.Ordinal);
    }
}
