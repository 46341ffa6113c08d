using System.Text.RegularExpressions;
using AngleSharp.Dom;

namespace Marsad.Parser;

/// <summary>
/// Takes out of a page what is never the article, before the main-text extractor scores what is left: navigation,
/// forms, figures and their captions, share and social bars, "related" and "read more" boxes, newsletter and cookie
/// banners, advertising, comments, and what the page hides. Readability alone keeps many of these when they sit
/// inside the article's container; on the extraction benchmark they were most of its false positives.
/// </summary>
public static partial class BoilerplateRemover
{
    private static readonly string[] NeverArticle =
    [
        "script", "style", "noscript", "template", "iframe", "svg", "canvas", "nav", "aside", "form", "button", "select",
        "input", "textarea", "figure", "figcaption", "picture", "video", "audio", "footer", "dialog",
    ];

    public static void Remove(IDocument document)
    {
        var pageText = ParagraphText(document.Body);
        // A tag or a class name is a hint, not proof: an element that holds much of the page's paragraph text stays
        // (a page wrapped whole in a <form>, a site that calls its article container "content hidden-print").
        bool Holds(IElement element) => ParagraphText(element) > pageText / 4;

        foreach (var element in document.QuerySelectorAll(string.Join(',', NeverArticle)).ToList())
        {
            if (!Holds(element))
            {
                element.Remove();
            }
        }
        foreach (var element in document.QuerySelectorAll("[hidden], [aria-hidden=true], [style*='display:none'], [style*='display: none']").ToList())
        {
            if (!Holds(element))
            {
                element.Remove();
            }
        }
        foreach (var element in document.QuerySelectorAll("[class], [id]").ToList())
        {
            if (element.Parent is not null && element != document.Body && element != document.DocumentElement && IsBoilerplate(element) && !Holds(element))
            {
                element.Remove();
            }
        }
    }

    private static int ParagraphText(IElement? element) =>
        element is null ? 0 : element.QuerySelectorAll("p").Sum(paragraph => paragraph.TextContent.Length);

    private static bool IsBoilerplate(IElement element)
    {
        // The article's own container is never removed, whatever its class says.
        if (element.GetAttribute("itemprop") is "articleBody" || element.LocalName is "article" or "main" or "p")
        {
            return false;
        }
        var names = (element.ClassName ?? "") + " " + (element.Id ?? "");
        return BoilerplateName().IsMatch(names);
    }

    // Matched against class and id: whole words or hyphen/underscore-separated parts.
    [GeneratedRegex(@"(?:^|[\s_-])(?:caption|credit|credits|byline|share|sharing|social|related|recirc|newsletter|promo|advert|advertisement|ads?|sponsor(?:ed)?|subscribe|subscription|signup|cookie|consent|breadcrumbs?|comments?|toolbar|popup|modal|outbrain|taboola|trending|most-popular|popular|read-?more|more-stories|recommended|tags|author-bio|bio|disclaimer|copyright|print-only|sr-only|visually-hidden|hidden)(?:$|[\s_-])", RegexOptions.IgnoreCase)]
    private static partial Regex BoilerplateName();
}
