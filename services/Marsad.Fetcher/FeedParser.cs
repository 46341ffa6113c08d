using System.Text;
using System.Xml;
using CodeHollow.FeedReader;

namespace Marsad.Fetcher;

public sealed record ParsedFeed(string? Title, IReadOnlyList<ParsedFeedItem> Items);

/// <summary>An item with its link resolved to an absolute URL (null when the item has none).</summary>
public sealed record ParsedFeedItem(Uri? Link, string? Guid, string? Title, string? Summary, string? Author, DateTimeOffset? Published);

/// <summary>The feed could not be read as RSS or Atom; the message says why, for the feed's health record.</summary>
public sealed class FeedFormatException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>RSS 0.9x/1.0/2.0 and Atom, through CodeHollow.FeedReader, with links resolved against the feed's address.</summary>
public static class FeedParser
{
    static FeedParser()
    {
        // windows-1256 and ISO-8859-6 feeds are common in Arabic news; .NET Core only knows them through this provider.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    public static ParsedFeed Parse(byte[] content, Uri feedAddress)
    {
        Feed feed;
        try
        {
            feed = FeedReader.ReadFromString(LoadWithoutDtd(content));
        }
        catch (Exception e) when (e is XmlException or CodeHollow.FeedReader.Parser.FeedTypeNotSupportedException
                                      or ArgumentException or InvalidOperationException or NullReferenceException)
        {
            throw new FeedFormatException($"Not a readable RSS or Atom feed: {e.Message}", e);
        }

        var baseAddress = ResolveLink(feed.Link, feedAddress) ?? feedAddress;
        // A feed's own <link> points at the site, not at the feed; relative item links are relative to the document.
        var items = feed.Items
            .Select(item => new ParsedFeedItem(
                ResolveLink(item.Link, feedAddress) ?? ResolveLink(item.Id, baseAddress, requireHttp: true),
                NullIfBlank(item.Id),
                NullIfBlank(item.Title?.Trim()),
                NullIfBlank(item.Content) ?? NullIfBlank(item.Description),
                NullIfBlank(item.Author),
                ToOffset(item.PublishingDate)))
            .ToList();
        return new ParsedFeed(NullIfBlank(feed.Title?.Trim()), items);
    }

    /// <summary>
    /// The feed as XML text with its DOCTYPE dropped unread: no entity is ever expanded (billion laughs) and no DTD
    /// fetched, while old RSS 0.91 feeds that declare Netscape's DTD still parse. The encoding comes from the BOM
    /// or the XML declaration, as XML says.
    /// </summary>
    private static string LoadWithoutDtd(byte[] content)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore, XmlResolver = null };
        using var reader = XmlReader.Create(new MemoryStream(content, writable: false), settings);
        return System.Xml.Linq.XDocument.Load(reader).ToString(System.Xml.Linq.SaveOptions.DisableFormatting);
    }

    private static Uri? ResolveLink(string? link, Uri baseAddress, bool requireHttp = false)
    {
        if (string.IsNullOrWhiteSpace(link) || !Uri.TryCreate(baseAddress, link.Trim(), out var resolved))
        {
            return null;
        }
        var isHttp = resolved.Scheme is "http" or "https";
        if (requireHttp && !isHttp)
        {
            return null;
        }
        // A local file may link to local pages (samples, replays); a remote feed never reaches into the disk.
        return isHttp || (resolved.IsFile && baseAddress.IsFile) ? resolved : null;
    }

    // Feeds omit the offset often; an unspecified time is taken as UTC rather than as the server's local time.
    private static DateTimeOffset? ToOffset(DateTime? value) => value switch
    {
        null => null,
        { Kind: DateTimeKind.Unspecified } v => new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)),
        { } v => new DateTimeOffset(v.ToUniversalTime()),
    };

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
