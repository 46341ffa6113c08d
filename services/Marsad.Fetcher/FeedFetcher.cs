using System.Collections.Concurrent;
using Marsad.Contracts;
using Marsad.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Marsad.Fetcher;

/// <summary>
/// Fetches one feed (conditionally), then every article page it lists that this fetcher has not handed on before,
/// and records the outcome on the feed's health. Knows nothing of the bus: what it finds goes to <c>publish</c>.
/// </summary>
public sealed class FeedFetcher(
    ContentFetcher contentFetcher,
    FeedRegistry registry,
    SeenArticles seenArticles,
    IOptions<FetcherOptions> options,
    TimeProvider timeProvider,
    ILogger<FeedFetcher> logger)
{
    // One fetch of a feed at a time: two racing fetches would both find the same items new and fetch them twice.
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _feedGates = new(StringComparer.Ordinal);

    public async Task<FeedFetched> FetchAsync(string feedUrl, Func<ArticleFetched, CancellationToken, Task> publish, CancellationToken cancellationToken)
    {
        var gate = _feedGates.GetOrAdd(feedUrl, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            return await FetchExclusiveAsync(feedUrl, publish, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<FeedFetched> FetchExclusiveAsync(string feedUrl, Func<ArticleFetched, CancellationToken, Task> publish, CancellationToken cancellationToken)
    {
        var startedAt = timeProvider.GetUtcNow();
        var feed = await registry.AddAsync(feedUrl, cancellationToken);
        var feedAddress = new Uri(feedUrl);

        FetchedContent content;
        ParsedFeed parsed;
        try
        {
            content = await contentFetcher.FetchAsync(feedAddress, new Validators(feed.ETag, feed.LastModified), options.Value.MaxFeedBytes, cancellationToken);
            if (content.NotModified)
            {
                await RecordAsync(feedUrl, startedAt, error: null, content.Validators, title: null, itemsSeen: 0, published: 0, cancellationToken);
                MarsadTelemetry.FeedsFetched.Add(1, new KeyValuePair<string, object?>("outcome", "not_modified"));
                return new FeedFetched { FeedUrl = feedUrl, FetchedAt = startedAt, NotModified = true };
            }
            parsed = FeedParser.Parse(content.Body, content.FinalAddress);
        }
        catch (Exception e) when (e is FetchFailedException or FeedFormatException)
        {
            logger.LogWarning("Feed {FeedUrl} failed: {Reason}", feedUrl, e.Message);
            await RecordAsync(feedUrl, startedAt, e.Message, validators: null, title: null, itemsSeen: 0, published: 0, cancellationToken);
            MarsadTelemetry.FeedsFetched.Add(1, new KeyValuePair<string, object?>("outcome", "failed"));
            return new FeedFetched { FeedUrl = feedUrl, FetchedAt = startedAt, Error = e.Message };
        }

        var source = parsed.Title ?? (feedAddress.IsFile ? Path.GetFileNameWithoutExtension(feedAddress.LocalPath) : feedAddress.Host);
        var candidates = parsed.Items
            .Select(item => (Item: item, Url: item.Link is null ? null : UrlCanonicalizer.Canonicalize(item.Link)))
            .Select(candidate => (candidate.Item, candidate.Url, Id: IdentityOf(candidate.Item, candidate.Url, feedUrl)))
            .DistinctBy(candidate => candidate.Id)
            .ToList();
        var fresh = candidates.Where(candidate => !seenArticles.Contains(candidate.Id)).ToList();

        await Parallel.ForEachAsync(
            fresh,
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.PageConcurrency, CancellationToken = cancellationToken },
            async (candidate, token) =>
            {
                var article = await FetchArticleAsync(candidate.Item, candidate.Url, candidate.Id, feedUrl, source, token);
                await publish(article, token);
                // Only once the broker has the article is it "seen": a crash in between means a refetch, not a loss.
                seenArticles.Add(candidate.Id);
            });

        await RecordAsync(feedUrl, startedAt, error: null, content.Validators, parsed.Title, parsed.Items.Count, fresh.Count, cancellationToken);
        MarsadTelemetry.FeedsFetched.Add(1, new KeyValuePair<string, object?>("outcome", "ok"));
        logger.LogInformation("Fetched feed {FeedUrl}: {Items} items, {New} new", feedUrl, parsed.Items.Count, fresh.Count);
        return new FeedFetched
        {
            FeedUrl = feedUrl,
            FetchedAt = startedAt,
            ItemsSeen = parsed.Items.Count,
            ArticlesPublished = fresh.Count,
            ArticlesAlreadyKnown = candidates.Count - fresh.Count,
        };
    }

    private async Task<ArticleFetched> FetchArticleAsync(ParsedFeedItem item, Uri? url, string articleId, string feedUrl, string source, CancellationToken cancellationToken)
    {
        var feedItem = new FeedItem
        {
            FeedUrl = feedUrl,
            Source = source,
            Title = item.Title,
            Summary = item.Summary,
            Author = item.Author,
            Published = item.Published,
        };
        if (url is null)
        {
            // No link: the feed's own text is the whole article.
            return new ArticleFetched { ArticleId = articleId, Url = feedUrl, Item = feedItem, FetchedAt = timeProvider.GetUtcNow(), FetchError = "The feed item has no link." };
        }
        try
        {
            var page = await contentFetcher.FetchAsync(url, validators: null, options.Value.MaxPageBytes, cancellationToken);
            MarsadTelemetry.ArticlesFetched.Add(1);
            return new ArticleFetched
            {
                ArticleId = articleId,
                Url = url.AbsoluteUri,
                Item = feedItem,
                FetchedAt = timeProvider.GetUtcNow(),
                Body = page.Body,
                ContentType = page.ContentType,
            };
        }
        catch (FetchFailedException e)
        {
            // The article still goes on: the parser falls back to the feed's summary, and the error travels with it.
            logger.LogWarning("Article page {Url} failed: {Reason}", url, e.Message);
            MarsadTelemetry.InputRejected.Add(1, new("stage", "fetch"), new("reason", "page_fetch_failed"));
            return new ArticleFetched { ArticleId = articleId, Url = url.AbsoluteUri, Item = feedItem, FetchedAt = timeProvider.GetUtcNow(), FetchError = e.Message };
        }
    }

    private static string IdentityOf(ParsedFeedItem item, Uri? canonicalUrl, string feedUrl) =>
        canonicalUrl is not null
            ? ArticleIdentity.ForUrl(canonicalUrl)
            : ArticleIdentity.Hash(feedUrl + "\n" + (item.Guid ?? item.Title ?? item.Summary ?? ""));

    private Task RecordAsync(string feedUrl, DateTimeOffset at, string? error, Validators? validators, string? title, int itemsSeen, int published, CancellationToken cancellationToken) =>
        registry.UpdateAsync(feedUrl, existing =>
        {
            var feed = existing ?? new FeedRecord { Id = FeedRegistry.IdFor(feedUrl), Url = feedUrl, AddedAt = at };
            return error is null
                ? feed with
                {
                    Title = title ?? feed.Title,
                    LastFetchAt = at,
                    LastSuccessAt = at,
                    LastError = null,
                    ConsecutiveFailures = 0,
                    ItemsSeen = feed.ItemsSeen + itemsSeen,
                    ArticlesPublished = feed.ArticlesPublished + published,
                    ETag = validators?.ETag,
                    LastModified = validators?.LastModified,
                }
                : feed with { LastFetchAt = at, LastError = error, ConsecutiveFailures = feed.ConsecutiveFailures + 1 };
        }, cancellationToken);
}
