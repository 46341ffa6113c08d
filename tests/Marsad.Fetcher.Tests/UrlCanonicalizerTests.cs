using Marsad.Contracts;
namespace Marsad.Fetcher.Tests;

public sealed class UrlCanonicalizerTests
{
    [Theory]
    [InlineData("https://News.Example/a/1#comments", "https://news.example/a/1")]
    [InlineData("https://news.example/a/1?utm_source=rss&utm_medium=feed", "https://news.example/a/1")]
    [InlineData("https://news.example/a/1?id=7&utm_campaign=x&page=2", "https://news.example/a/1?id=7&page=2")]
    [InlineData("https://news.example/a/1?fbclid=abc&gclid=def", "https://news.example/a/1")]
    [InlineData("HTTP://news.example:80/a", "http://news.example/a")]
    [InlineData("https://news.example:8443/a", "https://news.example:8443/a")]
    public void Canonical_form_drops_what_does_not_change_the_page(string input, string expected) =>
        Assert.Equal(expected, UrlCanonicalizer.Canonicalize(new Uri(input)).AbsoluteUri);

    [Fact]
    public void Variants_of_one_article_get_one_identity()
    {
        var a = ArticleIdentity.ForUrl(UrlCanonicalizer.Canonicalize(new Uri("https://news.example/a/1?utm_source=twitter#top")));
        var b = ArticleIdentity.ForUrl(UrlCanonicalizer.Canonicalize(new Uri("https://NEWS.example/a/1")));
        var other = ArticleIdentity.ForUrl(UrlCanonicalizer.Canonicalize(new Uri("https://news.example/a/2")));
        Assert.Equal(a, b);
        Assert.NotEqual(a, other);
        Assert.Equal(32, a.Length);
    }
}
