namespace Marsad.Feeds;

/// <summary>A feed as users see it (CLI <c>feeds list --json</c>, <c>GET /api/feeds</c>): its health and schedule, not its bookkeeping.</summary>
public sealed record FeedView(
    string Id,
    string Url,
    string? Title,
    FeedStatus Status,
    DateTimeOffset AddedAt,
    DateTimeOffset? LastFetchAt,
    DateTimeOffset? LastSuccessAt,
    string? LastError,
    string? LastNotice,
    DateTimeOffset? FailingSince,
    int ConsecutiveFailures,
    long ItemsSeen,
    long ArticlesPublished,
    DateTimeOffset? LastNewItemAt,
    DateTimeOffset? NewestItemAt,
    double? ItemsPerDay,
    double? FirstSeenLatencySeconds,
    double? IntervalSeconds,
    DateTimeOffset? NextPollAt,
    string? FetchingBy,
    string? WebSubHub,
    DateTimeOffset? WebSubActiveUntil,
    string? WebSubError)
{
    public static FeedView Of(FeedRecord feed, FeedSchedule schedule, DateTimeOffset now) => new(
        feed.Id,
        feed.Url,
        feed.Title,
        schedule.StatusOf(feed, now),
        feed.AddedAt,
        feed.LastFetchAt,
        feed.LastSuccessAt,
        feed.LastError,
        feed.LastNotice,
        feed.FailingSince,
        feed.ConsecutiveFailures,
        feed.ItemsSeen,
        feed.ArticlesPublished,
        feed.LastNewItemAt,
        feed.NewestItemAt,
        feed.ItemsPerDay is { } rate ? Math.Round(rate, 2) : null,
        feed.FirstSeenLatency?.TotalSeconds,
        feed.Interval?.TotalSeconds,
        feed.Paused ? null : feed.NextPollAt,
        feed.IsClaimed(now) ? feed.FetchingBy : null,
        feed.WebSubHub,
        feed.HasWebSub(now) ? feed.WebSubLeaseUntil : null,
        feed.WebSubError);

    /// <summary>One line of health for people: what state the feed is in and since when.</summary>
    public string HealthLine(DateTimeOffset now) => Status switch
    {
        FeedStatus.New => "not fetched yet",
        FeedStatus.Paused => "paused",
        FeedStatus.Failing => $"failing ×{ConsecutiveFailures} since {FailingSince:yyyy-MM-dd HH:mm}: {LastError} (next try {When(NextPollAt, now)})",
        FeedStatus.Stalled => $"stalled: nothing new since {(NewestItemAt ?? LastNewItemAt ?? AddedAt):yyyy-MM-dd HH:mm}",
        _ => $"ok {LastSuccessAt:yyyy-MM-dd HH:mm}" + (WebSubActiveUntil is { } until ? $", pushed by {WebSubHub} until {until:yyyy-MM-dd}" : ""),
    };

    private static string When(DateTimeOffset? at, DateTimeOffset now) =>
        at is not { } time ? "now" : time <= now ? "now" : time - now < TimeSpan.FromHours(1) ? $"in {(time - now).TotalMinutes:0} min" : $"at {time:yyyy-MM-dd HH:mm}";
}
