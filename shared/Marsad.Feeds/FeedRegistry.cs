using Marsad.Hosting;
using Marsad.Search.Elasticsearch;
using Microsoft.Extensions.Options;
using Marsad.Contracts;

namespace Marsad.Feeds;

/// <summary>
/// A registered feed: its health (what the last fetches did, so a failing or silent feed is visible), its schedule
/// (when it is next due and how often it changes), and who is fetching it now (so several fetchers share one list).
/// </summary>
public sealed record FeedRecord
{
    public required string Id { get; init; }
    public required string Url { get; init; }
    public string? Title { get; init; }
    public DateTimeOffset AddedAt { get; init; }
    public bool Paused { get; init; }

    public DateTimeOffset? LastFetchAt { get; init; }
    public DateTimeOffset? LastSuccessAt { get; init; }
    public string? LastError { get; init; }

    /// <summary>Something the last fetch did that is not an error but worth knowing (items left for the next polls).</summary>
    public string? LastNotice { get; init; }
    public DateTimeOffset? FailingSince { get; init; }
    public int ConsecutiveFailures { get; init; }

    /// <summary>How many items the feed listed at its last fetch.</summary>
    public long ItemsSeen { get; init; }

    /// <summary>How many of its items became articles, over all its fetches.</summary>
    public long ArticlesPublished { get; init; }

    /// <summary>When an item this fetcher had not seen last appeared in the feed.</summary>
    public DateTimeOffset? LastNewItemAt { get; init; }

    /// <summary>The date of the newest item the feed lists (when it dates them): a feed stuck on old items shows here.</summary>
    public DateTimeOffset? NewestItemAt { get; init; }

    /// <summary>How many items a day the feed publishes (from its items' dates, or as observed when it has none).</summary>
    public double? ItemsPerDay { get; init; }

    /// <summary>How long after publication new items are typically first seen (a smoothed average).</summary>
    public TimeSpan? FirstSeenLatency { get; init; }

    /// <summary>The feed's own polling interval, adapted to how often it changes; null until its first fetch.</summary>
    public TimeSpan? Interval { get; init; }

    public DateTimeOffset? NextPollAt { get; init; }

    /// <summary>The claim of the fetch under way or asked for: whoever holds an unexpired claim is the only one fetching.</summary>
    public string? ClaimId { get; init; }

    public DateTimeOffset? ClaimedUntil { get; init; }

    /// <summary>The fetcher instance working on the claim (null while the fetch request waits in the queue).</summary>
    public string? FetchingBy { get; init; }

    /// <summary>The fetcher instance whose poller made the claim: if it dies between the claim and its request, nobody would ever take the claim up.</summary>
    public string? ClaimedBy { get; init; }

    public string? ETag { get; init; }
    public string? LastModified { get; init; }

    /// <summary>The WebSub hub this feed's updates are pushed from, once the feed names one and Marsad has a public address.</summary>
    public string? WebSubHub { get; init; }

    public string? WebSubTopic { get; init; }

    /// <summary>The secret the hub signs pushed content with (HMAC), this subscription's own.</summary>
    public string? WebSubSecret { get; init; }

    public DateTimeOffset? WebSubRequestedAt { get; init; }

    /// <summary>Until when the hub has confirmed it pushes (its verification's lease); polling meanwhile is only a safety net.</summary>
    public DateTimeOffset? WebSubLeaseUntil { get; init; }

    public string? WebSubError { get; init; }

    public bool HasWebSub(DateTimeOffset now) => WebSubLeaseUntil > now;

    public bool IsClaimed(DateTimeOffset now) => ClaimedUntil > now;
}

/// <summary>
/// The feed list, shared by the CLI, the api and every fetcher: the data folder's <c>feeds.json</c> in the embedded
/// mode, an Elasticsearch index in the distributed one. Every change is a read-decide-write of one feed that is
/// atomic across processes, which is what lets fetchers claim feeds without a coordinator.
/// </summary>
public abstract class FeedRegistry(TimeProvider timeProvider)
{
    public static string IdFor(string url) => ArticleIdentity.Hash(url)[..12];

    public abstract Task<IReadOnlyList<FeedRecord>> ListAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Gives <paramref name="change"/> the feed as it is now (null if not registered) and stores what it returns;
    /// null leaves it as it is. Returns whether anything was written and the feed as it now stands.
    /// <paramref name="listedAtOnce"/> false (the fetchers' frequent bookkeeping): a listing may show the change a
    /// second later; what is decided on the feed's current state is never affected.
    /// </summary>
    public abstract Task<(bool Changed, FeedRecord? Feed)> UpdateAsync(string url, Func<FeedRecord?, FeedRecord?> change, CancellationToken cancellationToken, bool listedAtOnce = true);

    /// <summary>Removes the feed with this id or URL; false when there is none.</summary>
    public abstract Task<bool> RemoveAsync(string idOrUrl, CancellationToken cancellationToken);

    /// <summary>Adds the feed if it is not registered yet; either way returns its record.</summary>
    public async Task<FeedRecord> AddAsync(string url, CancellationToken cancellationToken) =>
        (await UpdateAsync(url, existing => existing is null ? NewFeed(url) : null, cancellationToken)).Feed!;

    /// <summary>Adds every feed not registered yet (an OPML list's); returns each one's record, in order.</summary>
    public virtual async Task<IReadOnlyList<FeedRecord>> AddManyAsync(IReadOnlyList<string> urls, CancellationToken cancellationToken)
    {
        var added = new List<FeedRecord>(urls.Count);
        foreach (var url in urls)
        {
            added.Add(await AddAsync(url, cancellationToken));
        }
        return added;
    }

    protected FeedRecord NewFeed(string url) => new() { Id = IdFor(url), Url = url, AddedAt = timeProvider.GetUtcNow() };

    public async Task<FeedRecord?> FindAsync(string idOrUrl, CancellationToken cancellationToken) =>
        (await ListAsync(cancellationToken)).FirstOrDefault(feed => feed.Id == idOrUrl || feed.Url == idOrUrl);

    /// <summary>Pauses (no more polling, health kept) or resumes a feed; null when there is no such feed.</summary>
    public async Task<FeedRecord?> SetPausedAsync(string idOrUrl, bool paused, CancellationToken cancellationToken)
    {
        if (await FindAsync(idOrUrl, cancellationToken) is not { } feed)
        {
            return null;
        }
        // Resumed, a feed is due at once.
        return (await UpdateAsync(feed.Url, existing => existing is null ? null : existing with { Paused = paused, NextPollAt = paused ? existing.NextPollAt : null }, cancellationToken)).Feed;
    }
}

/// <summary>The feed list of the embedded mode (and of services sharing one data folder): <c>feeds.json</c>.</summary>
public sealed class FileFeedRegistry(IOptions<MarsadOptions> options, TimeProvider timeProvider) : FeedRegistry(timeProvider)
{
    private readonly JsonListFile<FeedRecord> _file = new(Path.Combine(options.Value.DataDir, "feeds.json"));

    public override Task<IReadOnlyList<FeedRecord>> ListAsync(CancellationToken cancellationToken) => _file.ReadAsync(cancellationToken);

    public override Task<bool> RemoveAsync(string idOrUrl, CancellationToken cancellationToken) =>
        _file.UpdateAsync(feeds =>
        {
            var removed = feeds.RemoveAll(feed => feed.Id == idOrUrl || feed.Url == idOrUrl) > 0;
            return (removed, removed);
        }, cancellationToken);

    /// <summary>One write of the file for the whole list: a feed at a time rewrote it once per feed (thousands of times for one OPML list).</summary>
    public override Task<IReadOnlyList<FeedRecord>> AddManyAsync(IReadOnlyList<string> urls, CancellationToken cancellationToken) =>
        _file.UpdateAsync(feeds =>
        {
            var byUrl = feeds.ToDictionary(feed => feed.Url);
            var count = feeds.Count;
            var records = new List<FeedRecord>(urls.Count);
            foreach (var url in urls)
            {
                if (!byUrl.TryGetValue(url, out var record))
                {
                    byUrl[url] = record = NewFeed(url);
                    feeds.Add(record);
                }
                records.Add(record);
            }
            return (feeds.Count > count, (IReadOnlyList<FeedRecord>)records);
        }, cancellationToken);

    public override Task<(bool Changed, FeedRecord? Feed)> UpdateAsync(string url, Func<FeedRecord?, FeedRecord?> change, CancellationToken cancellationToken, bool listedAtOnce = true) =>
        _file.UpdateAsync(feeds =>
        {
            var index = feeds.FindIndex(feed => feed.Url == url);
            var current = index >= 0 ? feeds[index] : null;
            var updated = change(current);
            if (updated is null || Equals(current, updated))
            {
                return (false, (false, current));
            }
            if (index >= 0)
            {
                feeds[index] = updated;
            }
            else
            {
                feeds.Add(updated);
            }
            return (true, (true, (FeedRecord?)updated));
        }, cancellationToken);
}

/// <summary>The feed list of the distributed mode, in Elasticsearch (<c>Elasticsearch:FeedsIndex</c>), one document a feed.</summary>
public sealed class ElasticsearchFeedRegistry(ElasticsearchOptions options, TimeProvider timeProvider) : FeedRegistry(timeProvider)
{
    private readonly ElasticsearchDocuments<FeedRecord> _documents = new(options, options.FeedsIndex, feed => feed.Id);

    public override Task<IReadOnlyList<FeedRecord>> ListAsync(CancellationToken cancellationToken) => _documents.ListAsync(cancellationToken);

    public override async Task<bool> RemoveAsync(string idOrUrl, CancellationToken cancellationToken) =>
        await _documents.DeleteAsync(Uri.IsWellFormedUriString(idOrUrl, UriKind.Absolute) ? IdFor(idOrUrl) : idOrUrl, cancellationToken);

    public override Task<(bool Changed, FeedRecord? Feed)> UpdateAsync(string url, Func<FeedRecord?, FeedRecord?> change, CancellationToken cancellationToken, bool listedAtOnce = true) =>
        _documents.UpdateAsync(IdFor(url), current => change(current) is { } updated && !Equals(current, updated) ? updated : null, cancellationToken, listedAtOnce);
}
