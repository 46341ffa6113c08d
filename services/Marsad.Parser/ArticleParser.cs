using Marsad.Contracts;
using Marsad.Hosting;
using Microsoft.Extensions.Logging;

namespace Marsad.Parser;

/// <summary>
/// The parser's whole decision for one fetched article: the page's article if it has one, else the feed item's
/// summary (flagged), else nothing can be made of it and the message is unprocessable.
/// </summary>
public sealed class ArticleParser(ILogger<ArticleParser> logger)
{
    public async Task<ArticleParsed> ParseAsync(ArticleFetched fetched, CancellationToken cancellationToken)
    {
        ExtractedArticle? extracted = null;
        string? notAnArticle = fetched.FetchError is { } error ? "no page: " + error : "no page";
        if (fetched.Body is { Length: > 0 } body)
        {
            (extracted, notAnArticle) = await ArticleExtractor.JudgeAsync(body, fetched.ContentType, fetched.Url, cancellationToken);
            // A paywall's or a video page's teaser gives way to the feed's summary when there is one.
            if (notAnArticle is not null && !string.IsNullOrWhiteSpace(fetched.Item.Summary))
            {
                extracted = null;
            }
            if (notAnArticle is not null)
            {
                logger.LogInformation("No article in {Url} ({Reason}); using the feed's summary", fetched.Url, notAnArticle);
                MarsadTelemetry.InputRejected.Add(1, new("stage", "extract"), new("reason", notAnArticle));
            }
        }

        var text = extracted?.Text ?? ArticleExtractor.TextOfFragment(fetched.Item.Summary);
        var title = FirstNonBlank(fetched.Item.Title is { } feedTitle ? ArticleExtractor.TextOfFragment(feedTitle) : null, extracted?.Title);
        if (text.Length == 0)
        {
            MarsadTelemetry.InputRejected.Add(1, new("stage", "parse"), new("reason", "no_text"));
            throw new UnprocessableMessageException(
                $"No article text in {fetched.Url}: {fetched.FetchError ?? "the page holds no article"} and the feed item has no summary.");
        }

        MarsadTelemetry.ArticlesParsed.Add(1, new KeyValuePair<string, object?>("from", extracted is null ? "summary" : "page"));
        return new ArticleParsed
        {
            ArticleId = fetched.ArticleId,
            Content = new ArticleContent
            {
                Url = fetched.Url,
                Source = fetched.Item.Source,
                // The feed's title is the editor's; a page's <title> often carries the site's name as well.
                Title = title ?? text[..Math.Min(text.Length, 120)],
                Text = text,
                Author = extracted?.Author ?? fetched.Item.Author,
                ImageUrl = fetched.Item.ImageUrl ?? WebAddress(extracted?.Image, fetched.Url),
                Published = fetched.Item.Published ?? extracted?.Published,
                LanguageHint = extracted?.Language,
                ExtractedFromPage = extracted is not null,
                NotAnArticle = notAnArticle,
                FetchedAt = fetched.FetchedAt,
            },
        };
    }

    // A page's og:image may be relative; only a web address is kept.
    private static string? WebAddress(string? image, string pageUrl) =>
        Uri.TryCreate(pageUrl, UriKind.Absolute, out var page) && Uri.TryCreate(page, image?.Trim(), out var address) && address.Scheme is "http" or "https"
            ? address.AbsoluteUri
            : null;

    private static string? FirstNonBlank(params string?[] values) => values.FirstOrDefault(value => !string.IsNullOrWhiteSpace(value));
}
