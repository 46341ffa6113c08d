using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Marsad.Testing;

/// <summary>
/// Real text whose language someone else declared, for testing and measuring language identification: the
/// readability test pages that declare their language, the real publisher feeds that declare theirs, and the
/// translated messages of the programs installed on this machine (gettext catalogues under /usr/share/locale).
/// </summary>
public static partial class LanguageSamples
{
    /// <summary>Texts shorter than this say too little to be judged by.</summary>
    public const int MinimumLetters = 40;

    static LanguageSamples() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>The article text of each readability test page whose metadata declares a language, with that language (two letters).</summary>
    public static IEnumerable<(string Language, string Text)> ReadabilityPages()
    {
        var folder = RepoPaths.SharedFile("data", "html-pages", "mozilla-readability-testpages", "test", "test-pages");
        foreach (var page in Directory.EnumerateDirectories(folder).Order(StringComparer.Ordinal))
        {
            using var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(page, "expected-metadata.json")));
            if (metadata.RootElement.TryGetProperty("lang", out var lang) && lang.GetString() is { Length: >= 2 } code)
            {
                yield return (code[..2].ToLowerInvariant(), PlainText(File.ReadAllText(Path.Combine(page, "expected.html"))));
            }
        }
    }

    /// <summary>The titles and summaries of each publisher feed (in ../shared/data/feeds) that declares its language, decoded as it declares.</summary>
    public static IEnumerable<(string Language, string Text)> PublisherFeeds()
    {
        foreach (var path in Directory.EnumerateFiles(RepoPaths.SharedFile("data", "feeds"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var bytes = File.ReadAllBytes(path);
            var xml = Encoding.UTF8.GetString(bytes);
            if (Charset().Match(xml[..Math.Min(200, xml.Length)]) is { Success: true } charset && TryEncoding(charset.Groups[1].Value) is { } feedEncoding)
            {
                xml = feedEncoding.GetString(bytes);
            }
            if (FeedLanguage().Match(xml) is not { Success: true } declared || declared.Groups[1].Length < 2)
            {
                continue;
            }
            var text = string.Join('\n', FeedText().Matches(xml).Select(match => PlainText(match.Groups[1].Value)));
            if (text.Count(char.IsLetter) >= MinimumLetters)
            {
                yield return (declared.Groups[1].Value[..2].ToLowerInvariant(), text);
            }
        }
    }

    /// <summary>Translations from the gettext catalogues installed under /usr/share/locale (what exists depends on the machine).</summary>
    public static IEnumerable<(string Language, string Text)> GettextMessages(IEnumerable<string> languages)
    {
        foreach (var language in languages.Order(StringComparer.Ordinal))
        {
            var folder = Path.Combine("/usr/share/locale", language, "LC_MESSAGES");
            if (!Directory.Exists(folder))
            {
                continue;
            }
            foreach (var message in Directory.EnumerateFiles(folder, "*.mo").Order(StringComparer.Ordinal).SelectMany(MoTranslations)
                .Where(message => message.Count(char.IsLetter) >= MinimumLetters).Distinct().Take(500))
            {
                yield return (language, message);
            }
        }
    }

    /// <summary>The translated strings of a compiled gettext catalogue (.mo): a little-endian header, then a table of (length, offset) pairs.</summary>
    private static IEnumerable<string> MoTranslations(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 28 || BitConverter.ToUInt32(bytes, 0) != 0x950412de)
        {
            yield break;
        }
        var count = BitConverter.ToInt32(bytes, 8);
        var originals = BitConverter.ToInt32(bytes, 12);
        var translations = BitConverter.ToInt32(bytes, 16);
        var encoding = CatalogueEncoding(String(bytes, translations, Encoding.UTF8));
        for (var index = 1; index < count; index++)
        {
            // Plural forms are separated by NUL; the first says enough. A "translation" equal to the original is English left untranslated.
            var original = String(bytes, originals + index * 8, encoding).Split('\0')[0];
            var translation = String(bytes, translations + index * 8, encoding).Split('\0')[0];
            if (translation != original)
            {
                yield return translation;
            }
        }
    }

    private static string String(byte[] bytes, int entry, Encoding encoding)
    {
        var length = BitConverter.ToInt32(bytes, entry);
        var offset = BitConverter.ToInt32(bytes, entry + 4);
        return offset + length <= bytes.Length ? encoding.GetString(bytes, offset, length) : "";
    }

    private static Encoding CatalogueEncoding(string header) => Charset().Match(header) is { Success: true } charset && TryEncoding(charset.Groups[1].Value) is { } declared ? declared : Encoding.UTF8;

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

    private static string PlainText(string html) => WebUtility.HtmlDecode(Tag().Replace(WebUtility.HtmlDecode(html.Replace("<![CDATA[", "").Replace("]]>", "")), " "));

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"(?:charset|encoding)=[""']?([A-Za-z0-9_-]+)")]
    private static partial Regex Charset();

    [GeneratedRegex(@"<(?:dc:)?language>\s*([A-Za-z]{2})", RegexOptions.IgnoreCase)]
    private static partial Regex FeedLanguage();

    [GeneratedRegex(@"<(?:title|description|summary|content:encoded|content)\b[^>]*>(.*?)</(?:title|description|summary|content:encoded|content)>", RegexOptions.Singleline)]
    private static partial Regex FeedText();
}
