using Marsad.Testing;

namespace Marsad.Fetcher.Tests;

/// <summary>The feed parser on other projects' suites (rss-parser, feed-rs) in ../shared/data/feeds, with the parses they expect.</summary>
public sealed class FeedSuitesTests
{
    // Refused, and rightly: a feed cut off mid-file, and a lone Atom entry, which is not a feed.
    private static readonly HashSet<string> NotFeeds = ["rss_2.0_invalid_1.xml", "atom_entry_1.xml"];

    // Where the suite's own expectation is wrong: rss-parser decoded these Latin-1 feeds into U+FFFD; Marsad reads them.
    private static readonly HashSet<string> WrongExpectations = ["encoding.rss", "uolNoticias.rss"];

    [Fact]
    public void Every_feed_parses_with_the_items_its_suite_expects()
    {
        var results = FeedSuites.Cases().Select(FeedSuites.Run).ToList();
        Assert.True(results.Count >= 70, $"expected the feed suites under {RepoPaths.SharedFile("data", "feeds")}, found {results.Count} feeds");

        var unexpected = results
            .Where(result => !NotFeeds.Contains(Path.GetFileName(result.Case.Path)) && !WrongExpectations.Contains(Path.GetFileName(result.Case.Path)))
            .Where(result => !result.Parsed || result.AsExpected == false)
            .Select(result => $"{result.Case.Suite}/{Path.GetFileName(result.Case.Path)}: {result.Detail}");
        Assert.Empty(unexpected);

        Assert.All(results.Where(result => NotFeeds.Contains(Path.GetFileName(result.Case.Path))), result =>
        {
            Assert.False(result.Parsed);
            Assert.StartsWith("Not a readable RSS or Atom feed", result.Detail, StringComparison.Ordinal);
        });
        Assert.All(results.Where(result => WrongExpectations.Contains(Path.GetFileName(result.Case.Path))), result =>
        {
            Assert.True(result.Parsed);
            Assert.Contains("\uFFFD", result.Detail, StringComparison.Ordinal);
            Assert.DoesNotContain("\uFFFD", result.Detail.Split(", expected")[0], StringComparison.Ordinal);
        });
    }
}
