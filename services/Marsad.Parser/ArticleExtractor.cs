using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;
using SmartReader;

namespace Marsad.Parser;

/// <summary>What the parser found in a page (the contract's shape of <c>./marsad extract --json</c>).</summary>
public sealed record ExtractedArticle(string Title, string Text, string? Author, DateTimeOffset? Published, string? Language, string? Url);

/// <summary>
/// Main text and metadata from an article page, with SmartReader (a port of Mozilla's Readability). The text keeps
/// paragraph breaks and loses invisible direction marks, which would otherwise split Arabic words in the index.
/// </summary>
public static partial class ArticleExtractor
{
    /// <summary>Below this many characters of body, a page is taken to hold no article (an index page, a video, a paywall).</summary>
    public const int MinimumArticleChars = 80;

    public static async Task<ExtractedArticle?> ExtractAsync(byte[] body, string? contentType, string? url, CancellationToken cancellationToken)
    {
        using var document = await HtmlDecoder.ParseAsync(body, contentType, url, cancellationToken);
        return Extract(document, url);
    }

    /// <summary>The article in <paramref name="html"/>, or null when the page holds none.</summary>
    public static ExtractedArticle? Extract(string html, string? url)
    {
        using var document = new HtmlParser().ParseDocument(html);
        return Extract(document, url);
    }

    private static ExtractedArticle? Extract(AngleSharp.Dom.IDocument document, string? url)
    {
        BoilerplateRemover.Remove(document);
        var reader = new Reader(url ?? "https://localhost/", document.DocumentElement.OuterHtml);
        Article article;
        try
        {
            article = reader.GetArticle();
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or NullReferenceException)
        {
            return null;
        }
        var text = CleanText(string.Join('\n', (article.TextContent ?? "").Split('\n').Select(line => BoilerplateRemover.IsBoilerplateLine(line) && line.Trim().Length > 0 ? "" : line)));
        // Not article.IsReadable: Readability's 500-character threshold turns away real wire briefs of two or three
        // sentences, which are a large share of Arabic news feeds.
        if (text.Length < MinimumArticleChars)
        {
            return null;
        }
        return new ExtractedArticle(
            CleanText(article.Title),
            text,
            NullIfBlank(article.Author) ?? NullIfBlank(article.Byline),
            article.PublicationDate is { } date ? new DateTimeOffset(DateTime.SpecifyKind(date, date.Kind == DateTimeKind.Unspecified ? DateTimeKind.Utc : date.Kind)) : null,
            NullIfBlank(article.Language),
            url);
    }

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
