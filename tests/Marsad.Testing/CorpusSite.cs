using System.Net;
using System.Text;
using System.Text.RegularExpressions;
namespace Marsad.Testing;

/// <summary>Serves ANT corpus articles from loopback the way news sites do: RSS feeds listing article pages.</summary>
public static partial class CorpusSite
{
    /// <summary>The first <paramref name="count"/> ANT articles with a body of at least 200 characters, one per title.</summary>
    public static IReadOnlyList<AntArticle> LoadArabicNews(int count) =>
        AntCorpus.Files()
            .Select(AntCorpus.Read)
            .OfType<AntArticle>()
            .Where(article => article.Text.Length >= 200)
            .DistinctBy(article => article.Title)
            .Take(count)
            .ToList();

    /// <summary>Puts every article on the server as a page, listed in <paramref name="feedCount"/> feeds; returns the feed URLs.</summary>
    /// <param name="unreadableEvery">Every so many articles (0: none) the page holds no article and its item no summary: the parser can do nothing with it.</param>
    public static IReadOnlyList<string> Publish(LocalHttpServer server, IReadOnlyList<AntArticle> articles, int feedCount, int unreadableEvery = 0)
    {
        var feeds = new List<string>();
        var perFeed = (articles.Count + feedCount - 1) / feedCount;
        for (var feed = 0; feed * perFeed < articles.Count; feed++)
        {
            var items = new StringBuilder();
            foreach (var (article, index) in articles.Select((article, index) => (article, index)).Skip(feed * perFeed).Take(perFeed))
            {
                var path = $"/{SourceName().Replace(article.Source, "-").ToLowerInvariant()}/{index}.html";
                var unreadable = unreadableEvery > 0 && index % unreadableEvery == unreadableEvery - 1;
                server.Put(path, ServedResource.Text(unreadable ? "<!DOCTYPE html><html><head><title>x</title></head><body></body></html>" : Page(article), "text/html; charset=utf-8"));
                items.Append($"<item><title>{WebUtility.HtmlEncode(article.Title)}</title><link>{path}</link>")
                     .Append(article.Published is { } published ? $"<pubDate>{published:R}</pubDate>" : "")
                     .Append("</item>");
            }
            feeds.Add(server.Put($"/feeds/{feed}.xml", ServedResource.Text(
                $"<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>bench feed {feed}</title>{items}</channel></rss>",
                "application/rss+xml; charset=utf-8")).AbsoluteUri);
        }
        return feeds;
    }

    /// <summary>The article as a news site's page: its title and its paragraphs in an article element.</summary>
    public static string Page(AntArticle article)
    {
        var paragraphs = string.Concat(article.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(paragraph => $"<p>{WebUtility.HtmlEncode(paragraph)}</p>"));
        return $"""
            <!DOCTYPE html><html lang="{article.Language}" dir="{(article.Language == "ar" ? "rtl" : "ltr")}"><head><meta charset="utf-8"><title>{WebUtility.HtmlEncode(article.Title)}</title></head>
            <body><nav><a href="/">{(article.Language == "ar" ? "الرئيسية" : "Home")}</a> <a href="/world">{(article.Language == "ar" ? "العالم" : "World")}</a></nav>
            <article><h1>{WebUtility.HtmlEncode(article.Title)}</h1>{paragraphs}</article>
            <aside><h3>{(article.Language == "ar" ? "اقرأ أيضا" : "Read more")}</h3><ul><li><a href="/x">…</a></li></ul></aside><footer>©</footer></body></html>
            """;
    }

    [GeneratedRegex("[^A-Za-z0-9]+")]
    private static partial Regex SourceName();
}
