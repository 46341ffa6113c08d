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
        // The body the page itself declares (microdata), and what contains it, is never removed.
        var declared = document.QuerySelectorAll("[itemprop=articleBody]")
            .SelectMany(AncestorsAndSelf).ToHashSet();
        // A tag or a class name is a hint, not proof: an element that holds much of the page's paragraph text stays
        // (a page wrapped whole in a <form>, a site that calls its article container "content hidden-print").
        bool Holds(IElement element) => declared.Contains(element) || ParagraphText(element) > pageText / 4;

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
        // Lists and blocks that are mostly links: "you may also like", tag clouds, menus without a <nav>.
        foreach (var element in document.QuerySelectorAll("ul, ol, dl, div, section, table").ToList())
        {
            if (element.Parent is not null && LinkDensity(element) > (element.LocalName is "ul" or "ol" or "dl" ? 0.5 : 0.7) && !Holds(element))
            {
                element.Remove();
            }
        }
    }

    private static IEnumerable<IElement> AncestorsAndSelf(IElement element)
    {
        for (var current = element; current is not null; current = current.ParentElement)
        {
            yield return current;
        }
    }

    /// <summary>The share of an element's visible text (not scripts or styles) that is the text of its links.</summary>
    public static double LinkDensity(IElement element)
    {
        int all = 0, linked = 0;
        foreach (var text in element.GetDescendants().OfType<IText>())
        {
            if (text.ParentElement?.LocalName is "script" or "style" or "noscript" or "template")
            {
                continue;
            }
            var length = text.Data.Trim().Length;
            all += length;
            if (text.ParentElement?.Closest("a") is not null)
            {
                linked += length;
            }
        }
        return all == 0 ? 0 : (double)linked / all;
    }

    /// <summary>
    /// Whether a line of extracted text is page furniture rather than article: a bare address, a date stamp,
    /// a "read more" or "sign in" prompt, a photo credit, a copyright notice (in English, French and Arabic).
    /// </summary>
    public static bool IsBoilerplateLine(string line)
    {
        var text = line.Trim();
        return text.Length == 0
            || (text.Length < 120 && (FurnitureLine().IsMatch(text) || DateStampLine().IsMatch(text)))
            || (text.Length < 300 && CreditOrCopyright().IsMatch(text))
            || BareAddress().IsMatch(text)
            || !text.Any(char.IsLetterOrDigit);
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

    [GeneratedRegex(@"^(?:sign (?:in|up)|log ?in|subscribe|advertisement|share(?: this(?: article)?)?|read more|see more:?|see also|don'?t miss|you may also like|related(?: articles| stories| content)?:?|more from|continue reading(?: below)?|click here|follow us|recommended|trending|most (?:read|popular)|lire aussi|à lire aussi|voir aussi|اقرأ أيضا|اقرأ ايضا|إقرأ أيضا|اقرا ايضا|شاهد أيضا|شاهد ايضا|أخبار ذات صلة|اخبار ذات صلة|مواضيع ذات صلة|تابعونا|تابعنا على|اشترك)\b", RegexOptions.IgnoreCase)]
    private static partial Regex FurnitureLine();

    [GeneratedRegex(@"^\|?\s*(?:published|updated|posted|last updated|mis à jour|publié le)?[\s:|,]*(?:\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?\s*[A-Z]{0,4},?\s*)?(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s*)?(?:\d{1,2}\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}(?:\s*\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?\s*[A-Z]{0,4})?\s*$|^(?:published|updated|posted)(?:\s+\S+){0,4}\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex DateStampLine();

    [GeneratedRegex(@"(?:\bcredit:|\bphoto(?:graph)?:|\bimage:|\bpicture:|©|\bcopyright\b|\(ap photo|\bgetty images\b|all rights reserved|جميع الحقوق محفوظة|حقوق النشر)", RegexOptions.IgnoreCase)]
    private static partial Regex CreditOrCopyright();

    [GeneratedRegex(@"^(?:https?://|www\.)\S+$", RegexOptions.IgnoreCase)]
    private static partial Regex BareAddress();

    // Matched against class and id: whole words or hyphen/underscore-separated parts.
    [GeneratedRegex(@"(?:^|[\s_-])(?:caption|credit|credits|byline|share|sharing|social|related|recirc|newsletter|promo|advert|advertisement|ads?|sponsor(?:ed)?|subscribe|subscription|signup|cookie|consent|breadcrumbs?|comments?|toolbar|popup|modal|outbrain|taboola|trending|most-popular|popular|read-?more|more-stories|recommended|tags|author-bio|bio|disclaimer|copyright|print-only|sr-only|visually-hidden|hidden)(?:$|[\s_-])", RegexOptions.IgnoreCase)]
    private static partial Regex BoilerplateName();
}
