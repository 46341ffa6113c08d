using System.Text.RegularExpressions;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using SmartReader;

namespace Marsad.Parser;

/// <summary>What the parser found in a page (the contract's shape of <c>./marsad extract --json</c>, extended at the end).</summary>
public sealed record ExtractedArticle(
    string Title,
    string Text,
    string? Author,
    DateTimeOffset? Published,
    string? Language,
    string? Url,
    DateTimeOffset? Modified = null,
    string? CanonicalUrl = null,
    string? Image = null);

/// <summary>
/// The parser's verdict on a page: its article, or why it is not one (an index page, a video, a paywall). A paywall
/// or video page may still have some text (the teaser), kept in <see cref="Article"/> beside the reason.
/// </summary>
public sealed record Extraction(ExtractedArticle? Article, string? NotAnArticle)
{
    public static Extraction Found(ExtractedArticle article) => new(article, null);

    public static Extraction Rejected(string reason, ExtractedArticle? teaser = null) => new(teaser, reason);
}

/// <summary>
/// Main text and metadata from an article page. Page furniture is removed first (<see cref="BoilerplateRemover"/>),
/// then SmartReader (a port of Mozilla's Readability) finds the main text, and lines that are still furniture are
/// dropped. Metadata comes from JSON-LD, meta tags and the page (<see cref="PageMetadata"/>). The text keeps paragraph
/// breaks and loses invisible direction marks, which would otherwise split Arabic words in the index.
/// </summary>
public static partial class ArticleExtractor
{
    /// <summary>Below this many characters of body, a page is taken to hold no article (an index page, a video, a paywall).</summary>
    public const int MinimumArticleChars = 80;

    /// <summary>The page's text as the parser reads it, also the teaser of a paywall or video page; null when there is none.</summary>
    public static async Task<ExtractedArticle?> ExtractAsync(byte[] body, string? contentType, string? url, CancellationToken cancellationToken) =>
        (await JudgeAsync(body, contentType, url, cancellationToken)).Article;

    /// <summary>The page's article, or the reason it has none.</summary>
    public static async Task<Extraction> JudgeAsync(byte[] body, string? contentType, string? url, CancellationToken cancellationToken)
    {
        using var document = await HtmlDecoder.ParseAsync(body, contentType, url, cancellationToken);
        return Judge(document, url);
    }

    /// <summary>The article in <paramref name="html"/>, or null when the page holds none.</summary>
    public static ExtractedArticle? Extract(string html, string? url)
    {
        using var document = new HtmlParser().ParseDocument(html);
        return Judge(document, url).Article;
    }

    private static Extraction Judge(AngleSharp.Dom.IDocument document, string? url)
    {
        var metadata = PageMetadata.Read(document, url);
        // Read before cleaning, and only where it can decide anything: a page that declares itself an article is not an index.
        var declaredArticle = metadata.ArticleBody is not null || metadata.PageType is "article";
        var pageLinkDensity = !declaredArticle && document.Body is { } body ? BoilerplateRemover.LinkDensity(body) : 0;
        BoilerplateRemover.Remove(document);
        Article article;
        try
        {
            // The cleaned document itself, not its HTML written out and parsed again. Removing elements leaves
            // neighbouring text nodes apart, as a new parse would not: they are joined first.
            document.Normalize();
            article = (document is IHtmlDocument html
                ? new Reader(url ?? "https://localhost/", html)
                : new Reader(url ?? "https://localhost/", document.DocumentElement.OuterHtml)).GetArticle();
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or NullReferenceException)
        {
            return Extraction.Rejected("the page could not be read as an article");
        }
        var text = WithoutFurniture(article.TextContent);
        // A page whose JSON-LD states a body much longer than what was found: the extractor missed the article
        // (split into several containers, or drawn by a script); the publisher's own text is the better one.
        if (metadata.ArticleBody is { } declared && CleanText(declared) is { } declaredText && declaredText.Length > 2 * Math.Max(text.Length, MinimumArticleChars))
        {
            text = declaredText;
        }

        // A front page: mostly links, not declared an article, and what reads as an article in it is a short teaser;
        // or a page at the site's root that calls itself a website.
        var atRoot = url is not null && Uri.TryCreate(url, UriKind.Absolute, out var address) && address.AbsolutePath is "/" or "/index.html" or "/index.php";
        if ((!declaredArticle && pageLinkDensity > 0.5 && text.Length < 1500)
            || (atRoot && metadata.PageType is null or "website"))
        {
            return Extraction.Rejected("an index page: mostly links to other pages");
        }
        // Not article.IsReadable: Readability's 500-character threshold turns away real wire briefs of two or three
        // sentences, which are a large share of Arabic news feeds.
        if (text.Length < MinimumArticleChars)
        {
            return Extraction.Rejected("too little text for an article");
        }
        var found = new ExtractedArticle(
            metadata.Title ?? CleanText(article.Title),
            text,
            metadata.Author ?? NullIfBlank(article.Author) ?? NullIfBlank(article.Byline),
            metadata.Published ?? (article.PublicationDate is { } date ? new DateTimeOffset(DateTime.SpecifyKind(date, date.Kind == DateTimeKind.Unspecified ? DateTimeKind.Utc : date.Kind)) : null),
            metadata.Language ?? NullIfBlank(article.Language),
            url,
            metadata.Modified,
            metadata.CanonicalUrl,
            metadata.Image);
        if (metadata.PageType is { } type && type.StartsWith("video", StringComparison.Ordinal) && text.Length < 500)
        {
            return Extraction.Rejected("a video page", found);
        }
        if (metadata.AccessibleForFree == false && text.Length < 600)
        {
            return Extraction.Rejected("a paywall: the article is for subscribers", found);
        }
        return Extraction.Found(found);
    }

    private static string WithoutFurniture(string? text) =>
        CleanText(string.Join('\n', (text ?? "").Split('\n').Select(line => line.Trim().Length > 0 && BoilerplateRemover.IsBoilerplateLine(line) ? "" : line)));

    /// <summary>Plain text of an HTML fragment (a feed's summary), cleaned like extracted text.</summary>
    public static string TextOfFragment(string? html)
    {
        if (string.IsNullOrWhiteSpace(html))
        {
            return "";
        }
        using var document = new HtmlParser().ParseDocument("<body>" + html + "</body>");
        return CleanText(document.Body?.TextContent);
    }

    /// <summary>One space between words, one blank line between paragraphs, no bidi or zero-width controls.</summary>
    public static string CleanText(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "";
        }
        var withoutControls = InvisibleControls().Replace(text, "");
        var lines = withoutControls.Split('\n')
            .Select(line => HorizontalSpace().Replace(line, " ").Trim());
        var paragraphs = new List<string>();
        var current = new List<string>();
        foreach (var line in lines)
        {
            if (line.Length == 0)
            {
                Flush();
            }
            else
            {
                current.Add(line);
            }
        }
        Flush();
        return string.Join("\n\n", paragraphs);

        void Flush()
        {
            if (current.Count > 0)
            {
                paragraphs.Add(string.Join("\n", current));
                current.Clear();
            }
        }
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    [GeneratedRegex("[\u200B\u200E\u200F\u202A-\u202E\u2066-\u2069\u061C\uFEFF]")]
    private static partial Regex InvisibleControls();

    [GeneratedRegex(@"[ \t\r\f\v\u00A0]+")]
    private static partial Regex HorizontalSpace();
}
