using System.Diagnostics;
using System.Collections.Concurrent;
using Marsad.Contracts;
using Marsad.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Marsad.Feeds;

namespace Marsad.Fetcher;

/// <summary>
/// Fetches one feed (conditionally), then every article page it lists that this fetcher has not handed on before,
/// and records the outcome on the feed's health and schedule. The feed is claimed in the registry first, so no
/// two fetchers (of one process or several) fetch it at once. Knows nothing of the bus: what it finds goes to
/// <c>publish</c>.
/// </summary>
public sealed class FeedFetcher(
    ContentFetcher contentFetcher,
    FeedRegistry registry,
    FeedSchedule schedule,
    WebSubSubscriber webSub,
    SeenArticles seenArticles,
    IOptions<FetcherOptions> options,
    TimeProvider timeProvider,
    ILogger<FeedFetcher> logger)
{
    // One fetch of a feed at a time in this process (the registry's claim covers other processes): two racing
    // fetches would both find the same items new and fetch them twice.
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _feedGates = new(StringComparer.Ordinal);

    /// <param name="claimId">The poller's claim this fetch was asked under; none for a one-off fetch.</param>
    /// <param name="pushed">The feed's content as its WebSub hub pushed it: read instead of fetched.</param>
    public async Task<FeedFetched> FetchAsync(string feedUrl, Func<ArticleFetched, CancellationToken, Task> publish, CancellationToken cancellationToken,
        string? claimId = null, PushedFeed? pushed = null)
    {
        var gate = _feedGates.GetOrAdd(feedUrl, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            var startedAt = timeProvider.GetUtcNow();
            var (started, feed) = await registry.UpdateAsync(
                feedUrl,
                current => schedule.Start(current ?? new FeedRecord { Id = FeedRegistry.IdFor(feedUrl), Url = feedUrl, AddedAt = startedAt }, claimId, startedAt),
                cancellationToken, listedAtOnce: false);
            if (!started)
            {
                logger.LogInformation("Feed {FeedUrl} is being fetched by {Fetcher}; this request is dropped", feedUrl, feed?.FetchingBy ?? "another fetcher");
                return new FeedFetched { FeedUrl = feedUrl, FetchedAt = startedAt, AlreadyBeingFetched = true, Error = $"already being fetched by {feed?.FetchingBy ?? "another fetcher"}" };
            }
            try
            {
                return await FetchClaimedAsync(feed!, publish, startedAt, pushed, cancellationToken);
            }
            catch when (cancellationToken.IsCancellationRequested)
            {
                // Stopping mid-fetch: the claim is given back so another fetcher takes the feed now, not when the lease ends.
                await registry.UpdateAsync(feedUrl, current => schedule.Abandon(current, feed!.ClaimId!), CancellationToken.None, listedAtOnce: false);
                throw;
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<FeedFetched> FetchClaimedAsync(FeedRecord feed, Func<ArticleFetched, CancellationToken, Task> publish, DateTimeOffset startedAt, PushedFeed? pushed, CancellationToken cancellationToken)
    {
        var feedUrl = feed.Url;
        var claimId = feed.ClaimId!;
        var feedAddress = new Uri(feedUrl);

        FetchedContent content;
        ParsedFeed parsed;
        try
        {
            content = pushed is not null
                ? new FetchedContent(pushed.Content, pushed.ContentType, new Validators(feed.ETag, feed.LastModified), NotModified: false, feedAddress)
                : await contentFetcher.FetchAsync(feedAddress, new Validators(feed.ETag, feed.LastModified), options.Value.MaxFeedBytes, cancellationToken);
            if (content.NotModified)
            {
                await registry.UpdateAsync(feedUrl, current => current is null ? null : schedule.AfterNotModified(current, claimId, content.Validators, startedAt), cancellationToken, listedAtOnce: false);
                MarsadTelemetry.FeedsFetched.Add(1, new KeyValuePair<string, object?>("outcome", "not_modified"));
                return new FeedFetched { FeedUrl = feedUrl, FetchedAt = startedAt, NotModified = true };
            }
            parsed = FeedParser.Parse(content.Body, content.FinalAddress, content.ContentType, options.Value.MaxFeedBytes);
        }
        catch (Exception e) when (e is FetchFailedException or FeedFormatException)
        {
            MarsadTelemetry.FetchErrors.Add(1, new("what", "feed"), new("kind", e is FetchFailedException failed ? failed.Kind : "format"));
            logger.LogWarning("Feed {FeedUrl} failed: {Reason}", feedUrl, e.Message);
            await registry.UpdateAsync(feedUrl, current => current is null ? null : schedule.AfterFailure(current, claimId, e.Message, startedAt), cancellationToken, listedAtOnce: false);
            MarsadTelemetry.FeedsFetched.Add(1, new KeyValuePair<string, object?>("outcome", "failed"));
            return new FeedFetched { FeedUrl = feedUrl, FetchedAt = startedAt, Error = e.Message };
        }

        var source = parsed.Title ?? (feedAddress.IsFile ? Path.GetFileNameWithoutExtension(feedAddress.LocalPath) : feedAddress.Host);
        var candidates = parsed.Items
            .Select(item => (Item: item, Url: item.Link is null ? null : UrlCanonicalizer.Canonicalize(item.Link)))
            .Select(candidate => (candidate.Item, candidate.Url, Id: IdentityOf(candidate.Item, candidate.Url, feedUrl)))
            .DistinctBy(candidate => candidate.Id)
            .ToList();
        var unseen = candidates.Where(candidate => !seenArticles.Contains(candidate.Id)).ToList();
        var cap = options.Value.MaxItemsPerFetch;
        var fresh = unseen.Count <= cap
            ? unseen
            : unseen.OrderByDescending(candidate => candidate.Item.Published ?? DateTimeOffset.MinValue).Take(cap).ToList();
        var notice = unseen.Count > cap
            ? $"The feed listed {unseen.Count:N0} new items; the newest {cap:N0} were taken (Fetcher:MaxItemsPerFetch), the rest follow on the next polls."
            : null;
        if (notice is not null)
        {
            logger.LogWarning("Feed {FeedUrl}: {Notice}", feedUrl, notice);
        }

        var feedFetch = Activity.Current?.Context;
        await Parallel.ForEachAsync(
            fresh,
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.PageConcurrency, CancellationToken = cancellationToken },
            async (candidate, token) =>
            {
                using var trace = StartArticleTrace(candidate.Id, candidate.Url, feedUrl, feedFetch);
                var article = await FetchArticleAsync(candidate.Item, candidate.Url, candidate.Id, feedUrl, source, token);
                await publish(article, token);
                // Only once the broker has the article is it "seen": a crash in between means a refetch, not a loss.
                seenArticles.Add(candidate.Id);
            });

        var seen = new FeedObservation(
            parsed.Title,
            parsed.Items.Count,
            fresh.Count,
            parsed.Items.Select(item => item.Published).OfType<DateTimeOffset>().ToList(),
            fresh.Select(candidate => candidate.Item.Published).OfType<DateTimeOffset>().ToList(),
            content.Validators,
            notice);
        var (_, recorded) = await registry.UpdateAsync(feedUrl, current => current is null ? null : schedule.AfterSuccess(current, claimId, seen, startedAt), cancellationToken, listedAtOnce: false);
        if (recorded is not null)
        {
            await webSub.SubscribeIfDueAsync(recorded, parsed, cancellationToken);
        }
        MarsadTelemetry.FeedsFetched.Add(1, new KeyValuePair<string, object?>("outcome", "ok"));
        logger.LogInformation("Fetched feed {FeedUrl}: {Items} items, {New} new", feedUrl, parsed.Items.Count, fresh.Count);
        return new FeedFetched
        {
            FeedUrl = feedUrl,
            FetchedAt = startedAt,
            ItemsSeen = parsed.Items.Count,
            ArticlesPublished = fresh.Count,
            ArticlesAlreadyKnown = candidates.Count - unseen.Count,
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
            ImageUrl = item.Image?.AbsoluteUri,
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
            MarsadTelemetry.FetchErrors.Add(1, new("what", "page"), new("kind", e.Kind));
            return new ArticleFetched { ArticleId = articleId, Url = url.AbsoluteUri, Item = feedItem, FetchedAt = timeProvider.GetUtcNow(), FetchError = e.Message };
        }
    }

    /// <summary>
    /// Each article is a trace of its own, from its page fetch through parsing, classification and indexing to its
    /// alerts (MassTransit carries the context in every message), linked to the feed fetch it came from rather than
    /// buried in it: a feed of fifty items is fifty traces an operator can follow one by one.
    /// </summary>
    private static Activity? StartArticleTrace(string articleId, Uri? url, string feedUrl, ActivityContext? feedFetch)
    {
        Activity.Current = null; // this flow's own: the loop gives every article an execution context of its own
        var activity = MarsadTelemetry.ActivitySource.StartActivity(
            "article",
            ActivityKind.Internal,
            parentContext: default,
            tags: [new("marsad.article.id", articleId), new("marsad.feed.url", feedUrl), new("url.full", url?.AbsoluteUri)],
            links: feedFetch is { } feed ? [new ActivityLink(feed)] : null);
        return activity;
    }

    private static string IdentityOf(ParsedFeedItem item, Uri? canonicalUrl, string feedUrl) =>
        canonicalUrl is not null
            ? ArticleIdentity.ForUrl(canonicalUrl)
            : ArticleIdentity.Hash(feedUrl + "\n" + (item.Guid ?? item.Title ?? item.Summary ?? ""));
}

/// <summary>A feed's content as its WebSub hub pushed it.</summary>
public sealed record PushedFeed(byte[] Content, string? ContentType);
