using System.Xml;
using System.Xml.Linq;

namespace Marsad.Fetcher;

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
        XDocument document;
        try
        {
            using var reader = XmlReader.Create(path, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
            document = XDocument.Load(reader);
        }
        catch (XmlException e)
        {
            throw new FeedFormatException($"{path} is not a readable OPML file: {e.Message}", e);
        }
        var baseUri = new Uri(path);
        return document.Descendants("outline")
            .Select(outline => (string?)outline.Attribute("xmlUrl"))
            .Where(xmlUrl => !string.IsNullOrWhiteSpace(xmlUrl))
            .Select(xmlUrl => new Uri(baseUri, xmlUrl!.Trim()).AbsoluteUri)
            .Distinct()
            .ToList();
    }
}
