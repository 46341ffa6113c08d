using System.Xml;
using System.Xml.Linq;

namespace Marsad.Feeds;

/// <summary>Turns what a user names (a feed URL, a feed file, a folder of feed files, an OPML file) into feed addresses.</summary>
public static class FeedSources
{
    private static readonly string[] FeedFileExtensions = [".xml", ".rss", ".atom", ".rdf", ".opml"];

    public static IReadOnlyList<string> Expand(string source)
    {
        if (Uri.TryCreate(source, UriKind.Absolute, out var url) && url.Scheme is "http" or "https")
        {
            return [url.AbsoluteUri];
        }
        var path = Path.GetFullPath(source);
        if (Directory.Exists(path))
        {
            return Directory.EnumerateFiles(path)
                .Where(file => FeedFileExtensions.Contains(Path.GetExtension(file), StringComparer.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal)
                .SelectMany(Expand)
                .Distinct()
                .ToList();
        }
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No feed URL, file or folder named '{source}'.", source);
        }
        return IsOpml(path) ? ReadOpml(path) : [new Uri(path).AbsoluteUri];
    }

    private static bool IsOpml(string path)
    {
        if (path.EndsWith(".opml", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        using var reader = XmlReader.Create(path, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
        try
        {
            return reader.MoveToContent() == XmlNodeType.Element && reader.LocalName == "opml";
        }
        catch (XmlException)
        {
            return false;
        }
    }

    private static IReadOnlyList<string> ReadOpml(string path)
    {
        using var file = File.OpenRead(path);
        return ReadOpml(file, path, new Uri(path));
    }

    /// <summary>
    /// The feed URLs an OPML list names (each outline's xmlUrl), relative ones read against <paramref name="baseUri"/>
    /// (dropped without one). Read as bytes, so the list's own encoding declaration is honoured.
    /// </summary>
    public static IReadOnlyList<string> ReadOpml(Stream content, string name, Uri? baseUri)
    {
        XDocument document;
        try
        {
            using var reader = XmlReader.Create(content, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
            document = XDocument.Load(reader);
        }
        catch (XmlException e)
        {
            throw new FeedFormatException($"{name} is not a readable OPML file: {e.Message}", e);
        }
        if (document.Root?.Name.LocalName != "opml")
        {
            throw new FeedFormatException($"{name} is not an OPML file: its root element is <{document.Root?.Name.LocalName}>.");
        }
        return document.Descendants("outline")
            .Select(outline => ((string?)outline.Attribute("xmlUrl"))?.Trim())
            .Where(xmlUrl => !string.IsNullOrEmpty(xmlUrl))
            .Select(xmlUrl => (baseUri is null ? Uri.TryCreate(xmlUrl, UriKind.Absolute, out var url) : Uri.TryCreate(baseUri, xmlUrl, out url)) ? url.AbsoluteUri : null)
            .OfType<string>()
            .Distinct()
            .ToList();
    }

    /// <summary>The feeds as an OPML 2.0 subscription list (title and feed URL of each), as feed readers import it.</summary>
    public static string ToOpml(IEnumerable<FeedRecord> feeds, string title)
    {
        var document = new XDocument(
            new XDeclaration("1.0", "utf-8", null),
            new XElement("opml",
                new XAttribute("version", "2.0"),
                new XElement("head", new XElement("title", title)),
                new XElement("body", feeds.Select(feed => new XElement("outline",
                    new XAttribute("type", "rss"),
                    new XAttribute("text", feed.Title ?? feed.Url),
                    new XAttribute("title", feed.Title ?? feed.Url),
                    new XAttribute("xmlUrl", feed.Url))))));
        using var writer = new Utf8StringWriter();
        document.Save(writer);
        return writer.ToString();
    }

    private sealed class Utf8StringWriter : StringWriter
    {
        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;
    }
}
