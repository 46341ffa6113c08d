using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace Marsad.Feeds;

[JsonConverter(typeof(FeedStatusJsonConverter))]
public enum FeedStatus
{
    /// <summary>Not fetched yet.</summary>
    New,
    Ok,
    /// <summary>The last fetch failed; it is tried again with growing pauses, never given up on.</summary>
    Failing,
    /// <summary>The feed answers but has had nothing new for longer than <see cref="FetcherOptions.StalledAfter"/>.</summary>
    Stalled,
    Paused,
}

/// <summary>Statuses as lower-case words in JSON ("ok", "failing", "stalled"…).</summary>
public sealed class FeedStatusJsonConverter() : JsonStringEnumConverter<FeedStatus>(JsonNamingPolicy.CamelCase);

/// <summary>What one successful fetch of a feed saw: what the schedule and the health record learn from.</summary>
public sealed record FeedObservation(
    string? Title,
    int ItemsSeen,
    int ArticlesPublished,
    IReadOnlyList<DateTimeOffset> ItemDates,
    IReadOnlyList<DateTimeOffset> NewItemDates,
    Validators? Validators,
    string? Notice = null);

/// <summary>
/// When each feed is fetched, and who fetches it. A feed's interval follows how often it publishes (one new item a
/// poll, within <see cref="FetcherOptions.MinPollInterval"/> and <see cref="FetcherOptions.MaxPollInterval"/>); a
/// failing feed is tried again after pauses that double up to <see cref="FetcherOptions.MaxFailureBackoff"/> and
/// then stay there, so it is never dropped and comes back by itself. A fetch is claimed in the registry first, so
/// of several fetchers only one fetches a feed at a time; a claim not finished within
/// <see cref="FetcherOptions.FetchLease"/> (its fetcher died) lapses and the feed is claimed again.
/// </summary>
public sealed class FeedSchedule(IOptions<FetcherOptions> options, TimeProvider timeProvider)
{
    private static readonly TimeSpan RateWindow = TimeSpan.FromDays(7);
    private FetcherOptions Options => options.Value;

    public TimeSpan ShortestInterval => Min(Options.MinPollInterval, Options.PollInterval);
    public TimeSpan LongestInterval => Max(Options.MaxPollInterval, Options.PollInterval);

    /// <summary>How often the poller looks for due feeds: often enough for the shortest interval.</summary>
    public TimeSpan Tick => Min(ShortestInterval, TimeSpan.FromSeconds(15));

    public bool IsDue(FeedRecord feed, DateTimeOffset now) =>
        !feed.Paused && !IsHeld(feed, now) && (feed.NextPollAt ?? DateTimeOffset.MinValue) <= now;

    /// <summary>The poller's claim: the feed is due and nobody holds it, so it is this request's until the lease ends.</summary>
    public FeedRecord? Claim(FeedRecord? feed, string claimId, DateTimeOffset now) =>
        feed is not null && IsDue(feed, now)
            ? feed with { ClaimId = claimId, ClaimedUntil = now + Options.FetchLease, FetchingBy = null, ClaimedBy = FetcherInstance.Name }
            : null;

    /// <summary>
    /// A fetcher starting on the feed: with the claim it was asked under (and nobody working on it yet), or with no
    /// claim at all when nobody holds the feed (a one-off "fetch now"). Null: somebody else is on it.
    /// </summary>
    public FeedRecord? Start(FeedRecord feed, string? claimId, DateTimeOffset now)
    {
        var mine = claimId is not null && feed.ClaimId == claimId && feed.FetchingBy is null;
        return mine || !IsHeld(feed, now)
            ? feed with { ClaimId = claimId ?? Guid.NewGuid().ToString("N"), ClaimedUntil = now + Options.FetchLease, FetchingBy = FetcherInstance.Name }
            : null;
    }

    public FeedRecord AfterSuccess(FeedRecord feed, string claimId, FeedObservation seen, DateTimeOffset startedAt)
    {
        var now = timeProvider.GetUtcNow();
        var firstFetch = feed.LastSuccessAt is null;
        var datedRate = RateFromDates(seen.ItemDates, now);
        var current = feed.Interval ?? Options.PollInterval;
        // Pushed by a hub: polling is only a safety net. Dated items tell the rate outright (about one new item a poll); undated, the interval halves when something
        // new came and grows by half when nothing did.
        var interval = feed.HasWebSub(now) ? LongestInterval : datedRate switch
        {
            > 0 => Clamp(TimeSpan.FromDays(1 / datedRate.Value)),
            0 => LongestInterval,
            _ => Clamp(seen.ArticlesPublished > 0 ? current / 2 : current * 1.5),
        };
        var ratePerDay = datedRate ?? ObservedRate(feed, seen.ArticlesPublished, firstFetch, now);
        var newest = seen.ItemDates.Where(date => date <= now + TimeSpan.FromHours(1)).DefaultIfEmpty().Max();
        return Release(feed, claimId) with
        {
            Title = seen.Title ?? feed.Title,
            LastFetchAt = startedAt,
            LastSuccessAt = startedAt,
            LastError = null,
            LastNotice = seen.Notice,
            FailingSince = null,
            ConsecutiveFailures = 0,
            ItemsSeen = seen.ItemsSeen,
            ArticlesPublished = feed.ArticlesPublished + seen.ArticlesPublished,
            LastNewItemAt = seen.ArticlesPublished > 0 ? now : feed.LastNewItemAt,
            NewestItemAt = newest == default ? feed.NewestItemAt : Latest(newest, feed.NewestItemAt),
            ItemsPerDay = ratePerDay ?? feed.ItemsPerDay,
            FirstSeenLatency = firstFetch ? feed.FirstSeenLatency : Smoothed(feed.FirstSeenLatency, seen.NewItemDates, now),
            Interval = interval,
            NextPollAt = now + interval,
            ETag = seen.Validators?.ETag ?? feed.ETag,
            LastModified = seen.Validators?.LastModified ?? feed.LastModified,
        };
    }

    /// <summary>A 304: the feed is as it was, which says it changes less often than it is polled.</summary>
    public FeedRecord AfterNotModified(FeedRecord feed, string claimId, Validators validators, DateTimeOffset startedAt) =>
        AfterSuccess(feed, claimId, new FeedObservation(null, (int)feed.ItemsSeen, 0, [], [], validators), startedAt);

    public FeedRecord AfterFailure(FeedRecord feed, string claimId, string error, DateTimeOffset startedAt)
    {
        var now = timeProvider.GetUtcNow();
        var failures = feed.ConsecutiveFailures + 1;
        return Release(feed, claimId) with
        {
            LastFetchAt = startedAt,
            LastError = error,
            FailingSince = feed.FailingSince ?? startedAt,
            ConsecutiveFailures = failures,
            NextPollAt = now + Backoff(failures),
        };
    }

    /// <summary>Gives the claim back unfinished (the fetcher is stopping): the feed is due again at once.</summary>
    public FeedRecord? Abandon(FeedRecord? feed, string claimId) =>
        feed is not null && feed.ClaimId == claimId ? Release(feed, claimId) : null;

    /// <summary>The pause before the next try after <paramref name="failures"/> failures in a row: doubling, capped, ±10 % so failing feeds do not fall into step.</summary>
    public TimeSpan Backoff(int failures)
    {
        var doubled = Options.PollInterval * Math.Pow(2, Math.Min(failures, 30));
        var capped = Min(doubled, Max(Options.MaxFailureBackoff, Options.PollInterval));
        return capped * (0.9 + 0.2 * Random.Shared.NextDouble());
    }

    public FeedStatus StatusOf(FeedRecord feed, DateTimeOffset now)
    {
        if (feed.Paused)
        {
            return FeedStatus.Paused;
        }
        if (feed.ConsecutiveFailures > 0)
        {
            return FeedStatus.Failing;
        }
        if (feed.LastSuccessAt is null)
        {
            return FeedStatus.New;
        }
        // The newest item's own date when the feed gives dates (a feed stuck on old items is found at once), else when something new last appeared.
        var lastNews = feed.NewestItemAt ?? feed.LastNewItemAt ?? feed.AddedAt;
        return now - lastNews > Options.StalledAfter && now - feed.AddedAt > Options.StalledAfter ? FeedStatus.Stalled : FeedStatus.Ok;
    }

    /// <summary>
    /// Items a day from the items' own dates: those of the last seven days over the time they span (at least an hour).
    /// Null when the feed dates none of its items; zero when none is recent.
    /// </summary>
    public static double? RateFromDates(IReadOnlyList<DateTimeOffset> dates, DateTimeOffset now)
    {
        if (dates.Count == 0)
        {
            return null;
        }
        var recent = dates.Where(date => date > now - RateWindow && date <= now + TimeSpan.FromHours(1)).ToList();
        if (recent.Count == 0)
        {
            return 0;
        }
        var span = Max(now - recent.Min(), TimeSpan.FromHours(1));
        return recent.Count / span.TotalDays;
    }

    // A claim held by a fetcher on this machine whose process is gone is not held (a killed run is not waited out).
    private static bool IsHeld(FeedRecord feed, DateTimeOffset now) =>
        feed.IsClaimed(now) && !((feed.FetchingBy ?? feed.ClaimedBy) is { } holder && FetcherInstance.IsGoneFromThisMachine(holder));

    private static FeedRecord Release(FeedRecord feed, string claimId) =>
        feed.ClaimId == claimId ? feed with { ClaimId = null, ClaimedUntil = null, FetchingBy = null, ClaimedBy = null } : feed;

    // Undated items: new items over the time since the last look, smoothed over about a day.
    private static double? ObservedRate(FeedRecord feed, int newItems, bool firstFetch, DateTimeOffset now)
    {
        if (firstFetch || feed.LastSuccessAt is not { } previous || now <= previous)
        {
            return null; // the first fetch sees the feed's whole backlog, not its rate
        }
        var elapsed = now - previous;
        var weight = 1 - Math.Exp(-elapsed.TotalDays);
        var observed = newItems / elapsed.TotalDays;
        return feed.ItemsPerDay is { } before ? before + weight * (observed - before) : observed;
    }

    private static TimeSpan? Smoothed(TimeSpan? before, IReadOnlyList<DateTimeOffset> newItemDates, DateTimeOffset now)
    {
        // Items dated more than a day back were back-dated or re-published, not late: they say nothing of latency.
        var latencies = newItemDates.Select(date => now - date).Where(latency => latency >= TimeSpan.Zero && latency <= TimeSpan.FromDays(1)).Order().ToList();
        if (latencies.Count == 0)
        {
            return before;
        }
        var median = latencies[latencies.Count / 2];
        return before is { } previous ? previous + (median - previous) * 0.3 : median;
    }

    private TimeSpan Clamp(TimeSpan interval) => Max(ShortestInterval, Min(LongestInterval, interval));

    private static DateTimeOffset Latest(DateTimeOffset a, DateTimeOffset? b) => b is { } other && other > a ? other : a;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}

/// <summary>This fetcher process, as named in the claims it holds.</summary>
public static class FetcherInstance
{
    public static string Name { get; } = $"{Environment.MachineName}/{Environment.ProcessId}";

    public static bool IsGoneFromThisMachine(string instance)
    {
        var slash = instance.LastIndexOf('/');
        if (slash < 0 || instance[..slash] != Environment.MachineName || !int.TryParse(instance[(slash + 1)..], out var processId))
        {
            return false;
        }
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(processId);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true; // no such process
        }
    }
}

/// <summary>What a feed's last answer carried for the next conditional request (<c>If-None-Match</c>, <c>If-Modified-Since</c>).</summary>
public sealed record Validators(string? ETag, string? LastModified);
