using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using CodeHollow.FeedReader;
using Marsad.Feeds;

namespace Marsad.Fetcher;

/// <param name="Encoding">The character encoding the feed was read in (lower-case, as IANA names it).</param>
/// <param name="Repaired">The feed broke XML's rules and was mended to be read (see <c>FeedParser.Repaired</c>).</param>
/// <param name="Hub">The WebSub hub the feed names (<c>&lt;link rel="hub"&gt;</c>), which pushes its updates to subscribers.</param>
/// <param name="Self">The feed's own address as it names it (<c>rel="self"</c>): the topic to subscribe to at the hub.</param>
public sealed record ParsedFeed(string? Title, IReadOnlyList<ParsedFeedItem> Items, string? Encoding = null, bool Repaired = false, Uri? Hub = null, Uri? Self = null);

/// <summary>An item with its link resolved to an absolute URL (null when the item has none).</summary>
public sealed record ParsedFeedItem(Uri? Link, string? Guid, string? Title, string? Summary, string? Author, DateTimeOffset? Published, Uri? Image = null);

/// <summary>
/// RSS 0.9x/1.0/2.0 and Atom through CodeHollow.FeedReader, and JSON Feed 1.0/1.1, with links resolved against the
/// feed's address and each item's picture (image enclosure, media:content, media:thumbnail) kept.
/// </summary>
public static partial class FeedParser
{
    static FeedParser()
    {
        // windows-1256 and ISO-8859-6 feeds are common in Arabic news; .NET Core only knows them through this provider.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    /// <param name="contentType">The HTTP Content-Type, whose charset decides for bytes that are not UTF-8 and declare nothing.</param>
    /// <param name="maxBytes">The most a gzip-compressed file is allowed to become (a server that sends .xml.gz as XML).</param>
    public static ParsedFeed Parse(byte[] content, Uri feedAddress, string? contentType = null, int maxBytes = 10 * 1024 * 1024)
    {
        if (content is [0x1F, 0x8B, ..])
        {
            content = Gunzipped(content, maxBytes);
        }
        if (IsJson(content))
        {
            return ParseJsonFeed(content, feedAddress);
        }
        Feed feed;
        (string Xml, string Encoding, bool Repaired) loaded;
        try
        {
            loaded = Load(content, CharsetOf(contentType));
        }
        catch (XmlException e)
        {
            throw new FeedFormatException($"Not a readable RSS or Atom feed: {e.Message}", e);
        }
        try
        {
            feed = FeedReader.ReadFromString(loaded.Xml);
        }
        catch (Exception e) when (e is XmlException or CodeHollow.FeedReader.Parser.FeedTypeNotSupportedException
                                      or ArgumentException or InvalidOperationException or NullReferenceException)
        {
            // A feed with nothing in it yet (<rss version="2.0"/>, no channel) is empty, not broken.
            if (EmptyFeedRoot().IsMatch(loaded.Xml))
            {
                return new ParsedFeed(null, [], loaded.Encoding, loaded.Repaired);
            }
            throw new FeedFormatException($"Not a readable RSS or Atom feed: {e.Message}", e);
        }

        // A feed's own <link> points at the site, not at the feed; relative item links are relative to the document.
        var items = feed.Items
            .Select(item => new ParsedFeedItem(
                ResolveLink(item.Link, feedAddress) ?? AbsoluteHttp(item.Id),
                NullIfBlank(item.Id),
                Demoronized(NullIfBlank(item.Title?.Trim())),
                Demoronized(NullIfBlank(item.Content) ?? NullIfBlank(item.Description)),
                Demoronized(NullIfBlank(item.Author)),
                ToOffset(item.PublishingDate),
                ImageOf(item.SpecificItem?.Element, feedAddress)))
            .ToList();
        var links = feed.SpecificFeed?.Element?.Elements().Where(element => element.Name.LocalName == "link").ToList() ?? [];
        Uri? Linked(string rel) => links.Where(link => (string?)link.Attribute("rel") == rel)
            .Select(link => ResolveLink((string?)link.Attribute("href"), feedAddress)).FirstOrDefault(address => address is { Scheme: "http" or "https" });
        return new ParsedFeed(Demoronized(NullIfBlank(feed.Title?.Trim())), items, loaded.Encoding, loaded.Repaired, Linked("hub"), Linked("self"));
    }

    /// <summary>
    /// The feed as XML text. No DTD is ever fetched (old RSS 0.91 feeds that name Netscape's still parse); entities
    /// the document declares itself are expanded up to <see cref="MaxCharactersFromEntities"/>, so an entity bomb
    /// (billion laughs) is an error, not a billion characters. The encoding comes from the BOM or the XML
    /// declaration, as XML says, except that ISO-8859-1 and US-ASCII are read as windows-1252, as browsers do (feeds
    /// that declare them are full of windows-1252's curly quotes); a feed that breaks XML's rules the way real
    /// publishers' feeds do is repaired (<see cref="Repaired"/>) and read once more.
    /// </summary>
    private static (string Xml, string Encoding, bool Repaired) Load(byte[] content, Encoding? httpCharset)
    {
        try
        {
            var encoding = DocumentEncoding(content);
            // Declared Latin-1 but written in UTF-8 (a template's stale declaration): multi-byte UTF-8 sequences do
            // not happen by chance in Latin-1 text, so the bytes are believed.
            if (Latin1Labels.Contains(encoding) && IsUtf8WithMultibyteSequences(content))
            {
                using var utf8 = XmlReader.Create(new StringReader(EncodingAttribute().Replace(Encoding.UTF8.GetString(content), "", 1)), ReaderSettings);
                return (XmlTextOf(utf8), "utf-8", false);
            }
            if (Latin1Labels.Contains(encoding))
            {
                using var latin = XmlReader.Create(new StringReader(EncodingAttribute().Replace(Windows1252.GetString(content), "", 1)), ReaderSettings);
                return (XmlTextOf(latin), encoding, false);
            }
            using var reader = XmlReader.Create(new MemoryStream(content, writable: false), ReaderSettings);
            return (XmlTextOf(reader), encoding, false);
        }
        catch (XmlException e) when (!e.Message.Contains("MaxCharactersFromEntities", StringComparison.Ordinal) && Repaired(content, httpCharset) is { } repaired)
        {
            using var reader = XmlReader.Create(new StringReader(repaired.Text), ReaderSettings);
            return (XmlTextOf(reader), repaired.Encoding, true);
        }
    }

    // The document read through the DTD-safe reader, as text for CodeHollow.FeedReader.
    private static string XmlTextOf(XmlReader reader) =>
        System.Xml.Linq.XDocument.Load(reader).ToString(System.Xml.Linq.SaveOptions.DisableFormatting);

    /// <summary>The encoding XML's own rules give a document: its byte-order mark, the pattern of its first bytes, its declaration, else UTF-8.</summary>
    private static string DocumentEncoding(byte[] content) => content switch
    {
        [0x00, 0x00, 0xFE, 0xFF, ..] or [0x00, 0x00, 0x00, 0x3C, ..] => "utf-32be",
        [0xFF, 0xFE, 0x00, 0x00, ..] or [0x3C, 0x00, 0x00, 0x00, ..] => "utf-32le",
        [0xFE, 0xFF, ..] or [0x00, 0x3C, 0x00, 0x3F, ..] => "utf-16be",
        [0xFF, 0xFE, ..] or [0x3C, 0x00, 0x3F, 0x00, ..] => "utf-16le",
        [0xEF, 0xBB, 0xBF, ..] => "utf-8",
        _ => DeclaredEncoding().Match(Encoding.ASCII.GetString(content, 0, Math.Min(content.Length, 200))) is { Success: true } declared
            ? declared.Groups[1].Value.ToLowerInvariant()
            : "utf-8",
    };

    // A gzip file served as the feed itself (no Content-Encoding to undo it): decompressed, within the size cap.
    private static byte[] Gunzipped(byte[] content, int maxBytes)
    {
        using var gzip = new System.IO.Compression.GZipStream(new MemoryStream(content), System.IO.Compression.CompressionMode.Decompress);
        using var output = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        try
        {
            while ((read = gzip.Read(buffer)) > 0)
            {
                if (output.Length + read > maxBytes)
                {
                    throw new FeedFormatException($"The feed is gzip-compressed and larger than the {maxBytes}-byte cap once decompressed.");
                }
                output.Write(buffer, 0, read);
            }
        }
        catch (InvalidDataException e)
        {
            throw new FeedFormatException($"The feed looks gzip-compressed but is not readable gzip: {e.Message}", e);
        }
        return output.ToArray();
    }

    private static bool IsUtf8WithMultibyteSequences(byte[] content)
    {
        if (!content.Any(b => b >= 0x80))
        {
            return false;
        }
        try
        {
            _ = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetCharCount(content);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private const long MaxCharactersFromEntities = 100_000;

    private static readonly XmlReaderSettings ReaderSettings = new()
    {
        DtdProcessing = DtdProcessing.Parse,
        XmlResolver = null,
        MaxCharactersFromEntities = MaxCharactersFromEntities,
    };

    private static readonly HashSet<string> Latin1Labels = ["iso-8859-1", "iso8859-1", "latin1", "l1", "us-ascii", "ascii", "iso_8859-1", "cp819"];

    private static Encoding Windows1252 => Encoding.GetEncoding("windows-1252");

    /// <summary>
    /// What real feeds get wrong, mended: bytes in a legacy encoding with none declared (or declared UTF-8), text or
    /// whitespace before the XML declaration, and HTML entities (&amp;nbsp;) that XML does not define. Null when
    /// nothing needed mending, so the first error stands.
    /// </summary>
    private static (string Text, string Encoding)? Repaired(byte[] content, Encoding? httpCharset)
    {
        var (text, encoding) = Decode(content, httpCharset);
        var start = text.IndexOf('<');
        if (start > 0)
        {
            text = text[start..];
        }
        // A string carries no encoding of its own; the declaration's would only contradict it.
        text = EncodingAttribute().Replace(text, "", 1);
        // Control characters XML 1.0 forbids (a stray U+000F in a title); a bare & (an unescaped query string in a
        // link); and &#X41; with a capital X, which XML does not allow either.
        text = ForbiddenControlCharacter().Replace(text, "");
        text = BareAmpersand().Replace(text, "&amp;");
        text = UppercaseHexReference().Replace(text, "&#x");
        text = HtmlEntity().Replace(text, entity => XmlEntities.Contains(entity.Groups[1].Value) || WebUtility.HtmlDecode(entity.Value) is not { Length: > 0 } decoded || decoded == entity.Value
            ? entity.Value
            : $"&#{char.ConvertToUtf32(decoded, 0)};");
        return (text, encoding);
    }

    private static readonly HashSet<string> XmlEntities = ["amp", "lt", "gt", "quot", "apos"];

    /// <summary>
    /// The feed's text: by its byte-order mark, else its declared encoding when the bytes fit it, else UTF-8 when they
    /// are UTF-8, else the charset the server named, else windows-1256 or ISO-8859-6 when its high bytes read as
    /// Arabic letters (Arabic news without a declaration), else windows-1252.
    /// </summary>
    private static (string Text, string Encoding) Decode(byte[] content, Encoding? httpCharset)
    {
        var strictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        if (content is [0xFE, 0xFF, ..])
        {
            return (Encoding.BigEndianUnicode.GetString(content, 2, content.Length - 2), "utf-16be");
        }
        if (content is [0xFF, 0xFE, ..])
        {
            return (Encoding.Unicode.GetString(content, 2, content.Length - 2), "utf-16le");
        }
        if (content is [0xEF, 0xBB, 0xBF, ..])
        {
            content = content[3..];
        }
        var prefix = Encoding.ASCII.GetString(content, 0, Math.Min(content.Length, 200));
        if (DeclaredEncoding().Match(prefix) is { Success: true } declared && TryEncoding(declared.Groups[1].Value) is { } encoding && encoding.CodePage != Encoding.UTF8.CodePage)
        {
            return (encoding.GetString(content), encoding.WebName);
        }
        try
        {
            return (strictUtf8.GetString(content), "utf-8");
        }
        catch (DecoderFallbackException)
        {
            var guessed = httpCharset ?? ArabicSingleByte(content) ?? Encoding.GetEncoding("windows-1252");
            return (guessed.GetString(content), guessed.WebName);
        }
    }

    private static Encoding[] ArabicSingleByteEncodings => [Encoding.GetEncoding("windows-1256"), Encoding.GetEncoding("iso-8859-6")];

    /// <summary>
    /// Arabic in a single-byte encoding is words of high bytes side by side (every letter is one); Latin-1 text has
    /// a high byte here and there between ASCII letters (é, ã). Most high bytes in runs, read as Arabic letters:
    /// Arabic, in whichever of windows-1256 and ISO-8859-6 reads more of them as letters (the two place ط ظ ع غ and
    /// the letters from ف on differently). Null: not Arabic.
    /// </summary>
    private static Encoding? ArabicSingleByte(byte[] content)
    {
        var high = 0;
        var inRuns = 0;
        for (var i = 0; i < content.Length; i++)
        {
            if (content[i] < 0x80)
            {
                continue;
            }
            high++;
            if ((i > 0 && content[i - 1] >= 0x80) || (i + 1 < content.Length && content[i + 1] >= 0x80))
            {
                inRuns++;
            }
        }
        var highBytes = content.Where(b => b >= 0x80).ToArray();
        var (best, letters) = ArabicSingleByteEncodings
            .Select(encoding => (Encoding: encoding, Letters: encoding.GetString(highBytes).Count(c => c is >= '\u0621' and <= '\u064A')))
            .MaxBy(candidate => candidate.Letters);
        return inRuns * 2 > high && letters * 2 > high ? best : null;
    }

    private static Encoding? CharsetOf(string? contentType) =>
        System.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var mediaType) && mediaType.CharSet is { Length: > 0 } charset
            ? TryEncoding(charset.Trim('"'))
            : null;

    private static Encoding? TryEncoding(string name)
    {
        try
        {
            return Encoding.GetEncoding(name);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"(?<=<\?xml[^>]*?)\s+encoding\s*=\s*[""'][^""']*[""']")]
    private static partial Regex EncodingAttribute();

    [GeneratedRegex(@"<\?xml[^>]*?encoding\s*=\s*[""']([A-Za-z0-9_.:-]+)[""']")]
    private static partial Regex DeclaredEncoding();

    [GeneratedRegex("[\u0000-\u0008\u000B\u000C\u000E-\u001F]")]
    private static partial Regex ForbiddenControlCharacter();

    [GeneratedRegex("&(?!#[0-9]+;|#[xX][0-9A-Fa-f]+;|[A-Za-z][A-Za-z0-9]{1,31};)")]
    private static partial Regex BareAmpersand();

    [GeneratedRegex("&#X(?=[0-9A-Fa-f]+;)")]
    private static partial Regex UppercaseHexReference();

    [GeneratedRegex(@"^\s*(<\?xml[^>]*\?>\s*)?(<!--.*?-->\s*)*<(rss|rdf:RDF|feed)\b[^>]*?(/>|>\s*(<channel>\s*</channel>\s*)?</(rss|rdf:RDF|feed)>)\s*$", RegexOptions.Singleline)]
    private static partial Regex EmptyFeedRoot();

    [GeneratedRegex("&([A-Za-z][A-Za-z0-9]{1,31});")]
    private static partial Regex HtmlEntity();

    private static Uri? ResolveLink(string? link, Uri baseAddress)
    {
        if (string.IsNullOrWhiteSpace(link) || !Uri.TryCreate(baseAddress, link.Trim(), out var resolved))
        {
            return null;
        }
        // A local file may link to local pages (samples, replays); a remote feed never reaches into the disk.
        return resolved.Scheme is "http" or "https" || (resolved.IsFile && baseAddress.IsFile) ? resolved : null;
    }

    private static readonly System.Xml.Linq.XNamespace MediaRss = "http://search.yahoo.com/mrss/";

    /// <summary>
    /// The item's picture: an RSS enclosure or Atom enclosure link of an image type, else Media RSS content that is an
    /// image, else a Media RSS thumbnail (inside media:group too). Only a web address is kept.
    /// </summary>
    private static Uri? ImageOf(System.Xml.Linq.XElement? item, Uri feedAddress)
    {
        if (item is null)
        {
            return null;
        }
        static bool IsImage(System.Xml.Linq.XElement element, string typeAttribute) =>
            ((string?)element.Attribute(typeAttribute))?.StartsWith("image/", StringComparison.OrdinalIgnoreCase) == true
            || (string?)element.Attribute("medium") == "image";
        var candidates = item.Elements()
            .Where(element => element.Name.LocalName == "enclosure" && IsImage(element, "type"))
            .Select(element => (string?)element.Attribute("url"))
            .Concat(item.Elements().Where(element => element.Name.LocalName == "link" && (string?)element.Attribute("rel") == "enclosure" && IsImage(element, "type"))
                .Select(element => (string?)element.Attribute("href")))
            .Concat(item.Descendants(MediaRss + "content").Where(element => IsImage(element, "type")).Select(element => (string?)element.Attribute("url")))
            .Concat(item.Descendants(MediaRss + "thumbnail").Select(element => (string?)element.Attribute("url")));
        return candidates.Select(candidate => ResolveLink(candidate, feedAddress)).FirstOrDefault(image => image is { Scheme: "http" or "https" });
    }

    // A guid stands in for a missing link only when it is a web address itself; "item-42" is a name, not a page.
    private static Uri? AbsoluteHttp(string? guid) =>
        Uri.TryCreate(guid?.Trim(), UriKind.Absolute, out var address) && address.Scheme is "http" or "https" ? address : null;

    // Feeds omit the offset often; an unspecified time is taken as UTC rather than as the server's local time.
    private static DateTimeOffset? ToOffset(DateTime? value) => value switch
    {
        null => null,
        { Kind: DateTimeKind.Unspecified } v => new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)),
        { } v => new DateTimeOffset(v.ToUniversalTime()),
    };

    /// <summary>
    /// C1 control characters (U+0080–U+009F) never belong in news text; where they appear, a windows-1252 byte (a
    /// curly quote, a dash, €) was carried over as its Latin-1 code point. They are put back as what was meant.
    /// </summary>
    private static string? Demoronized(string? text)
    {
        if (text is null || !text.Any(character => character is >= '\u0080' and <= '\u009F'))
        {
            return text;
        }
        var windows1252 = Encoding.GetEncoding("windows-1252");
        return string.Create(text.Length, text, (target, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var character = source[i];
                target[i] = character is >= '\u0080' and <= '\u009F' && windows1252.GetString([(byte)character]) is [var meant] && meant != '\uFFFD' ? meant : character;
            }
        });
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
