using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using Marsad.Arabic;

namespace Marsad.Parser;

/// <summary>What a page says about its article, read before any cleaning, from the most deliberate source first:
/// JSON-LD (schema.org NewsArticle and kin), then Open Graph and article meta tags, then microdata and the page's own
/// elements, then the address and the text (a date in the URL; an Arabic date such as «الخميس 2 مارس 2017»).</summary>
public sealed partial record PageMetadata(
    string? Title,
    string? Author,
    DateTimeOffset? Published,
    DateTimeOffset? Modified,
    string? CanonicalUrl,
    string? Language,
    string? Image,
    string? ArticleBody,
    string? PageType,
    bool? AccessibleForFree)
{
    private static readonly string[] ArticleTypes =
        ["NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle", "BlogPosting", "OpinionNewsArticle", "WebPage", "LiveBlogPosting"];

    public static PageMetadata Read(IDocument document, string? url)
    {
        var jsonLd = JsonLdArticles(document).Select(article => (JsonElement?)article).FirstOrDefault();
        string? Meta(params string[] names) => names
            .Select(name => document.QuerySelector($"meta[property='{name}'], meta[name='{name}'], meta[itemprop='{name}']")?.GetAttribute("content"))
            .FirstOrDefault(value => !string.IsNullOrWhiteSpace(value))?.Trim();

        var title = Text(jsonLd, "headline") ?? Meta("og:title", "twitter:title") ?? document.QuerySelector("h1")?.TextContent.Trim()
            ?? WithoutSiteName(document.Title, Meta("og:site_name"));
        var author = AuthorOf(jsonLd) ?? NotAddress(Meta("author", "article:author", "parsely-author", "sailthru.author", "dc.creator"))
            ?? document.QuerySelector("[itemprop=author] [itemprop=name], [itemprop=author], [rel=author]")?.TextContent.Trim();
        var published = Date(Text(jsonLd, "datePublished")) ?? Date(Meta("article:published_time", "og:published_time", "datePublished",
                "pubdate", "publishdate", "publish-date", "date", "dc.date.issued", "dc.date", "sailthru.date", "parsely-pub-date"))
            ?? Date(document.QuerySelector("[itemprop=datePublished]")?.GetAttribute("datetime") ?? document.QuerySelector("[itemprop=datePublished]")?.GetAttribute("content"))
            ?? Date(document.QuerySelector("article time[datetime], time[pubdate], time[datetime]")?.GetAttribute("datetime"))
            ?? UrlDate(url) ?? ArabicDate(document.Body?.TextContent);
        var modified = Date(Text(jsonLd, "dateModified")) ?? Date(Meta("article:modified_time", "og:updated_time", "dateModified", "last-modified"))
            ?? Date(document.QuerySelector("[itemprop=dateModified]")?.GetAttribute("datetime"));
        var canonical = Absolute(document.QuerySelector("link[rel=canonical]")?.GetAttribute("href"), url) ?? Absolute(Meta("og:url"), url);
        var language = LanguageCode(document.DocumentElement.GetAttribute("lang"))
            ?? LanguageCode(document.QuerySelector("meta[http-equiv='content-language' i]")?.GetAttribute("content"))
            ?? LanguageCode(Meta("og:locale", "inLanguage")) ?? LanguageCode(Text(jsonLd, "inLanguage"));
        var image = Absolute(Meta("og:image", "twitter:image", "twitter:image:src"), url) ?? Absolute(ImageOf(jsonLd), url);
        var accessible = jsonLd is { } article && article.TryGetProperty("isAccessibleForFree", out var free)
            ? free.ValueKind switch
            {
                JsonValueKind.False => false,
                JsonValueKind.True => true,
                JsonValueKind.String => !string.Equals(free.GetString(), "false", StringComparison.OrdinalIgnoreCase),
                _ => null,
            }
            : (bool?)null;
        return new PageMetadata(Clean(title), Clean(author), published, modified, canonical, language, image,
            Text(jsonLd, "articleBody"), Meta("og:type")?.ToLowerInvariant(), accessible);
    }

    /// <summary>Every JSON-LD object on the page whose type is an article, including those inside @graph and arrays.</summary>
    private static IEnumerable<JsonElement> JsonLdArticles(IDocument document)
    {
        foreach (var script in document.QuerySelectorAll("script[type='application/ld+json']"))
        {
            JsonDocument parsed;
            try
            {
                parsed = JsonDocument.Parse(script.TextContent, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            }
            catch (JsonException)
            {
                continue;   // a page's broken JSON-LD is its problem; the other sources still count
            }
            foreach (var candidate in Flatten(parsed.RootElement).Where(IsArticle))
            {
                yield return candidate;
            }
        }
    }

    private static IEnumerable<JsonElement> Flatten(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray().SelectMany(Flatten))
            {
                yield return item;
            }
        }
        else if (element.ValueKind == JsonValueKind.Object)
        {
            yield return element;
            if (element.TryGetProperty("@graph", out var graph))
            {
                foreach (var item in Flatten(graph))
                {
                    yield return item;
                }
            }
        }
    }

    private static bool IsArticle(JsonElement element) =>
        element.TryGetProperty("@type", out var type)
        && (type.ValueKind == JsonValueKind.String ? [type.GetString() ?? ""] : type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.ToString()) : [])
            .Any(name => ArticleTypes.Contains(name, StringComparer.OrdinalIgnoreCase))
        && (element.TryGetProperty("headline", out _) || element.TryGetProperty("articleBody", out _));

    private static string? Text(JsonElement? element, string property) =>
        element is { } value && value.TryGetProperty(property, out var found) && found.ValueKind == JsonValueKind.String
            && !string.IsNullOrWhiteSpace(found.GetString()) ? found.GetString()!.Trim() : null;

    private static string? AuthorOf(JsonElement? element)
    {
        if (element is not { } article || !article.TryGetProperty("author", out var author))
        {
            return null;
        }
        static string? Name(JsonElement value) => value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Object when value.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String => name.GetString(),
            _ => null,
        };
        var names = (author.ValueKind == JsonValueKind.Array ? author.EnumerateArray().Select(Name) : [Name(author)])
            .Where(name => !string.IsNullOrWhiteSpace(name)).Select(name => name!.Trim()).Distinct().ToList();
        return names.Count > 0 ? NotAddress(string.Join(", ", names)) : null;
    }

    private static string? ImageOf(JsonElement? element)
    {
        if (element is not { } article || !article.TryGetProperty("image", out var image))
        {
            return null;
        }
        var first = image.ValueKind == JsonValueKind.Array ? image.EnumerateArray().FirstOrDefault() : image;
        return first.ValueKind switch
        {
            JsonValueKind.String => first.GetString(),
            JsonValueKind.Object when first.TryGetProperty("url", out var address) && address.ValueKind == JsonValueKind.String => address.GetString(),
            _ => null,
        };
    }

    private static string? NotAddress(string? value) =>
        value is null || value.StartsWith("http", StringComparison.OrdinalIgnoreCase) ? null : value;

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : ArticleExtractor.CleanText(value).Replace('\n', ' ');

    private static string? WithoutSiteName(string? title, string? siteName)
    {
        if (string.IsNullOrWhiteSpace(title))
        {
            return null;
        }
        var parts = SiteSeparator().Split(title);
        return parts.Length > 1 ? parts.OrderByDescending(part => part.Length).First().Trim()
            : siteName is not null ? title.Replace(siteName, "").Trim(' ', '|', '-') : title.Trim();
    }

    private static string? Absolute(string? address, string? pageUrl)
    {
        if (string.IsNullOrWhiteSpace(address))
        {
            return null;
        }
        if (Uri.TryCreate(address.Trim(), UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https")
        {
            return absolute.AbsoluteUri;
        }
        return pageUrl is not null && Uri.TryCreate(pageUrl, UriKind.Absolute, out var page) && Uri.TryCreate(page, address.Trim(), out var resolved)
            ? resolved.AbsoluteUri : null;
    }

    private static string? LanguageCode(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        var code = value.Trim().Split('-', '_', ',', ';')[0].ToLowerInvariant();
        return code.Length is 2 or 3 && code.All(char.IsAsciiLetterLower) ? code : null;
    }

    /// <summary>A machine-readable date (ISO 8601, RFC 1123 and kin), kept with its offset; UTC when it has none.</summary>
    public static DateTimeOffset? Date(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        var text = ArabicNormalizer.Normalize(value.Trim());
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var date)
            && date.Year is > 1990 and < 2100 ? date : null;
    }

    /// <summary>A date in the article's address: /2019/11/19/ or 2019-11-19.</summary>
    public static DateTimeOffset? UrlDate(string? url)
    {
        if (url is null || UrlDatePattern().Match(url) is not { Success: true } match)
        {
            return null;
        }
        var (year, month, day) = (int.Parse(match.Groups["y"].Value, CultureInfo.InvariantCulture),
            int.Parse(match.Groups["m"].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups["d"].Value, CultureInfo.InvariantCulture));
        return year is > 1990 and < 2100 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month)
            ? new DateTimeOffset(year, month, day, 0, 0, 0, TimeSpan.Zero) : null;
    }

    /// <summary>
    /// The first Gregorian date written out in Arabic: a day, a month by any of its names (Egyptian and Gulf يناير…,
    /// Levantine and Iraqi كانون الثاني…, Maghrebi جانفي…), a year, in Arabic-Indic or ASCII digits. A Hijri date
    /// beside it (جمادى الآخرة 1438 هـ) is not a Gregorian month and is passed over.
    /// </summary>
    public static DateTimeOffset? ArabicDate(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        foreach (Match match in ArabicDatePattern().Matches(ArabicNormalizer.Normalize(text)))
        {
            var day = int.Parse(match.Groups["d"].Value, CultureInfo.InvariantCulture);
            var year = int.Parse(match.Groups["y"].Value, CultureInfo.InvariantCulture);
            var month = ArabicMonths.First(entry => entry.Names.Contains(Regex.Replace(match.Groups["m"].Value, @"\s+", " "))).Month;
            if (year is > 1990 and < 2100 && day >= 1 && day <= DateTime.DaysInMonth(year, month))
            {
                return new DateTimeOffset(year, month, day, 0, 0, 0, TimeSpan.Zero);
            }
        }
        return null;
    }

    // Folded as the normaliser folds them (ة → ه, أ → ا).
    private static readonly (int Month, string[] Names)[] ArabicMonths =
    [
        (1, ["يناير", "كانون الثاني", "جانفي"]),
        (2, ["فبراير", "شباط", "فيفري"]),
        (3, ["مارس", "اذار"]),
        (4, ["ابريل", "نيسان", "افريل"]),
        (5, ["مايو", "ايار", "ماي"]),
        (6, ["يونيو", "يونيه", "حزيران", "جوان"]),
        (7, ["يوليو", "يوليه", "تموز", "جويليه"]),
        (8, ["اغسطس", "اب", "اوت"]),
        (9, ["سبتمبر", "ايلول"]),
        (10, ["اكتوبر", "تشرين الاول"]),
        (11, ["نوفمبر", "تشرين الثاني"]),
        (12, ["ديسمبر", "كانون الاول"]),
    ];

    [GeneratedRegex(@"(?<!\d)(?<d>\d{1,2})\s*(?:من\s+)?(?<m>كانون الثاني|كانون الاول|تشرين الاول|تشرين الثاني|يناير|فبراير|مارس|ابريل|مايو|يونيو|يونيه|يوليو|يوليه|اغسطس|سبتمبر|اكتوبر|نوفمبر|ديسمبر|شباط|اذار|نيسان|ايار|حزيران|تموز|اب|ايلول|جانفي|فيفري|افريل|ماي|جوان|جويليه|اوت)\s*[,،/-]?\s*(?<y>\d{4})(?!\d)")]
    private static partial Regex ArabicDatePattern();

    [GeneratedRegex(@"/(?<y>(?:19|20)\d{2})[/-](?<m>\d{1,2})[/-](?<d>\d{1,2})(?:/|-|\.|$)|(?<y>(?:19|20)\d{2})-(?<m>\d{2})-(?<d>\d{2})")]
    private static partial Regex UrlDatePattern();

    [GeneratedRegex(@"\s+[|–—-]\s+|\s+[|•]\s*")]
    private static partial Regex SiteSeparator();
}
