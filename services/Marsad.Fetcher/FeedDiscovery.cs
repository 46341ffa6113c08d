using AngleSharp.Html.Parser;
using Marsad.Feeds;

namespace Marsad.Fetcher;

/// <summary>What an address a user gives turned out to be: a feed, a web page naming feeds, or neither.</summary>
public sealed record DiscoveredFeeds(IReadOnlyList<string> FeedUrls, string? Warning = null);

/// <summary>
/// Turns an address a user gives into feeds: a feed stays itself; a web page (a site's home page) gives the feeds it
/// announces with <c>&lt;link rel="alternate"&gt;</c> (RSS, Atom, RDF, JSON Feed). An address that cannot be reached
/// now is kept as given, with a warning: it may be a feed that is down.
/// </summary>
public sealed class FeedDiscovery(ContentFetcher contentFetcher, Microsoft.Extensions.Options.IOptions<FetcherOptions> options)
{
    private static readonly string[] FeedTypes =
        ["application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json", "text/xml", "application/xml"];

    public async Task<DiscoveredFeeds> DiscoverAsync(Uri address, CancellationToken cancellationToken)
    {
        FetchedContent content;
        try
        {
            content = await contentFetcher.FetchAsync(address, validators: null, options.Value.MaxFeedBytes, cancellationToken);
        }
        catch (FetchFailedException e)
        {
            return new DiscoveredFeeds([address.AbsoluteUri], $"not checked: {e.Message}");
        }
        try
        {
            FeedParser.Parse(content.Body, content.FinalAddress, content.ContentType);
            return new DiscoveredFeeds([address.AbsoluteUri]);
        }
        catch (FeedFormatException) when (LooksLikeHtml(content))
        {
            var announced = FromHtml(System.Text.Encoding.UTF8.GetString(content.Body), content.FinalAddress);
            return announced.Count > 0
                ? new DiscoveredFeeds(announced)
                : throw new FeedFormatException($"{address} is a web page that announces no feed (no <link rel=\"alternate\"> to RSS, Atom or JSON Feed).");
        }
    }

    /// <summary>The feeds a page announces, in its order, resolved against the page's address.</summary>
    public static IReadOnlyList<string> FromHtml(string html, Uri pageAddress)
    {
        var document = new HtmlParser().ParseDocument(html);
        var baseAddress = Uri.TryCreate(pageAddress, document.QuerySelector("base[href]")?.GetAttribute("href"), out var declared) ? declared : pageAddress;
        return document.QuerySelectorAll("link[rel][href]")
            .Where(link => link.GetAttribute("rel")!.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains("alternate", StringComparer.OrdinalIgnoreCase)
                           && FeedTypes.Contains(link.GetAttribute("type")?.Split(';')[0].Trim().ToLowerInvariant()))
            .Select(link => Uri.TryCreate(baseAddress, link.GetAttribute("href")!.Trim(), out var feed) ? feed : null)
            .Where(feed => feed is { Scheme: "http" or "https" })
            .Select(feed => feed!.AbsoluteUri)
            .Distinct()
            .ToList();
    }

    private static bool LooksLikeHtml(FetchedContent content) =>
        content.ContentType?.Contains("html", StringComparison.OrdinalIgnoreCase) == true
        || System.Text.Encoding.ASCII.GetString(content.Body, 0, Math.Min(content.Body.Length, 1024)).Contains("<html", StringComparison.OrdinalIgnoreCase);
}
