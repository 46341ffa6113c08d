using System.Diagnostics;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Marsad.Feeds;

namespace Marsad.Fetcher.Tests;

/// <summary>When feeds are polled: intervals that follow the feed, back-off that never gives up, claims that keep two fetchers off one feed.</summary>
public sealed class FeedScheduleTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly FetcherOptions _options = new()
    {
        PollInterval = TimeSpan.FromMinutes(5),
        MinPollInterval = TimeSpan.FromMinutes(1),
        MaxPollInterval = TimeSpan.FromHours(1),
        MaxFailureBackoff = TimeSpan.FromHours(6),
        StalledAfter = TimeSpan.FromDays(3),
        FetchLease = TimeSpan.FromMinutes(5),
    };

    private FeedSchedule Schedule() => new(Options.Create(_options), _clock);

    private DateTimeOffset Now => _clock.GetUtcNow();

    private FeedRecord NewFeed() => new() { Id = "f1", Url = "https://news.example/rss", AddedAt = Now - TimeSpan.FromDays(30) };

    // A fetch as the fetcher makes it: claim, start, record what was seen.
    private FeedRecord Fetched(FeedSchedule schedule, FeedRecord feed, FeedObservation seen)
    {
        var started = schedule.Start(feed, claimId: null, Now)!;
        return schedule.AfterSuccess(started, started.ClaimId!, seen, Now);
    }

    private static FeedObservation Seen(int items, int fresh, IEnumerable<DateTimeOffset>? dates = null, IEnumerable<DateTimeOffset>? freshDates = null) =>
        new("Feed", items, fresh, (dates ?? []).ToList(), (freshDates ?? []).ToList(), null);

    [Fact]
    public void A_busy_feed_is_polled_about_once_per_new_item_and_a_quiet_one_at_the_longest_interval()
    {
        var schedule = Schedule();
        // Twenty items ten minutes apart: 144 a day, so a ten-minute interval.
        var busy = Fetched(schedule, NewFeed(), Seen(20, 20, Enumerable.Range(0, 20).Select(i => Now - TimeSpan.FromMinutes(10 * i))));
        Assert.InRange(busy.Interval!.Value, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(11));
        Assert.InRange(busy.ItemsPerDay!.Value, 130, 160);
        Assert.Equal(Now + busy.Interval, busy.NextPollAt);

        // A flood of items a second apart: never faster than the shortest interval.
        var flood = Fetched(schedule, NewFeed(), Seen(500, 500, Enumerable.Range(0, 500).Select(i => Now - TimeSpan.FromSeconds(i))));
        Assert.Equal(TimeSpan.FromMinutes(1), flood.Interval);

        // Newest item ten days old: nothing recent, so the longest interval.
        var quiet = Fetched(schedule, NewFeed(), Seen(5, 5, Enumerable.Range(10, 5).Select(i => Now - TimeSpan.FromDays(i))));
        Assert.Equal(TimeSpan.FromHours(1), quiet.Interval);
        Assert.Equal(0, quiet.ItemsPerDay);
    }

    [Fact]
    public void An_undated_feed_polls_faster_when_something_new_came_and_slower_when_nothing_did_within_bounds()
    {
        var schedule = Schedule();
        var feed = Fetched(schedule, NewFeed(), Seen(10, 10));
        Assert.Equal(TimeSpan.FromMinutes(2.5), feed.Interval);
        feed = Fetched(schedule, feed, Seen(10, 3));
        Assert.Equal(TimeSpan.FromMinutes(1.25), feed.Interval);
        feed = Fetched(schedule, feed, Seen(10, 2));
        Assert.Equal(TimeSpan.FromMinutes(1), feed.Interval);
        for (var poll = 0; poll < 20; poll++)
        {
            _clock.Advance(feed.Interval!.Value);
            feed = Fetched(schedule, feed, Seen(10, 0));
        }
        Assert.Equal(TimeSpan.FromHours(1), feed.Interval);
        Assert.NotNull(feed.ItemsPerDay); // observed once there was a fetch before to measure from
    }

    [Fact]
    public void A_failing_feed_backs_off_doubling_up_to_the_cap_keeps_being_tried_and_revives_by_itself()
    {
        var schedule = Schedule();
        var feed = NewFeed();
        var waits = new List<TimeSpan>();
        for (var failure = 1; failure <= 40; failure++)
        {
            var started = schedule.Start(feed, null, Now)!;
            feed = schedule.AfterFailure(started, started.ClaimId!, "answered 500", Now);
            Assert.Equal(failure, feed.ConsecutiveFailures);
            Assert.Equal(FeedStatus.Failing, schedule.StatusOf(feed, Now));
            Assert.False(schedule.IsDue(feed, Now));
            waits.Add(feed.NextPollAt!.Value - Now);
            _clock.Advance(feed.NextPollAt!.Value - Now);
            Assert.True(schedule.IsDue(feed, Now), "a failing feed is always due again");
        }
        // 10 min, 20, 40, … (±10 %), then six hours (±10 %) for as long as it fails.
        Assert.InRange(waits[0], TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(11));
        Assert.InRange(waits[1], TimeSpan.FromMinutes(18), TimeSpan.FromMinutes(22));
        Assert.All(waits.Skip(8), wait => Assert.InRange(wait, TimeSpan.FromHours(5.4), TimeSpan.FromHours(6.6)));
        Assert.Equal(feed.LastFetchAt - waits.Take(39).Aggregate(TimeSpan.Zero, (sum, wait) => sum + wait), feed.FailingSince);

        feed = Fetched(schedule, feed, Seen(3, 3));
        Assert.Equal(FeedStatus.Ok, schedule.StatusOf(feed, Now));
        Assert.Equal(0, feed.ConsecutiveFailures);
        Assert.Null(feed.LastError);
        Assert.Null(feed.FailingSince);
    }

    [Fact]
    public void A_feed_that_answers_but_has_nothing_new_for_days_is_stalled()
    {
        var schedule = Schedule();
        var feed = Fetched(schedule, NewFeed(), Seen(3, 3, [Now - TimeSpan.FromHours(1)]));
        Assert.Equal(FeedStatus.Ok, schedule.StatusOf(feed, Now));
        _clock.Advance(TimeSpan.FromDays(2));
        feed = Fetched(schedule, feed, Seen(3, 0, [Now - TimeSpan.FromDays(2)]));
        Assert.Equal(FeedStatus.Ok, schedule.StatusOf(feed, Now));
        _clock.Advance(TimeSpan.FromDays(2));
        feed = Fetched(schedule, feed, Seen(3, 0, [Now - TimeSpan.FromDays(4)]));
        Assert.Equal(FeedStatus.Stalled, schedule.StatusOf(feed, Now));
        // Something new: no longer stalled.
        feed = Fetched(schedule, feed, Seen(4, 1, [Now - TimeSpan.FromMinutes(3)], [Now - TimeSpan.FromMinutes(3)]));
        Assert.Equal(FeedStatus.Ok, schedule.StatusOf(feed, Now));
        Assert.Equal(FeedStatus.Paused, schedule.StatusOf(feed with { Paused = true }, Now));
    }

    [Fact]
    public void First_seen_latency_is_measured_on_new_items_after_the_first_fetch()
    {
        var schedule = Schedule();
        var feed = Fetched(schedule, NewFeed(), Seen(3, 3, [Now - TimeSpan.FromHours(5)], [Now - TimeSpan.FromHours(5)]));
        Assert.Null(feed.FirstSeenLatency); // the backlog says nothing of how fast news is seen
        _clock.Advance(TimeSpan.FromMinutes(5));
        feed = Fetched(schedule, feed, Seen(4, 1, [Now - TimeSpan.FromMinutes(2)], [Now - TimeSpan.FromMinutes(2)]));
        Assert.Equal(TimeSpan.FromMinutes(2), feed.FirstSeenLatency);
        _clock.Advance(TimeSpan.FromMinutes(5));
        feed = Fetched(schedule, feed, Seen(5, 1, [Now - TimeSpan.FromMinutes(4)], [Now - TimeSpan.FromMinutes(4)]));
        Assert.InRange(feed.FirstSeenLatency!.Value, TimeSpan.FromMinutes(2.5), TimeSpan.FromMinutes(2.7));
    }

    [Fact]
    public void A_claimed_feed_is_fetched_once_under_its_claim_and_a_lapsed_claim_is_taken_over()
    {
        var schedule = Schedule();
        var feed = NewFeed();
        Assert.True(schedule.IsDue(feed, Now));
        var claimed = schedule.Claim(feed, "claim-a", Now)!;
        Assert.Null(schedule.Claim(claimed, "claim-b", Now)); // a second poller does not ask again
        Assert.False(schedule.IsDue(claimed, Now));

        var started = schedule.Start(claimed, "claim-a", Now)!;
        Assert.Equal(FetcherInstance.Name, started.FetchingBy);
        Assert.Null(schedule.Start(started, "claim-a", Now)); // the same request delivered again while it runs
        Assert.Null(schedule.Start(started, null, Now)); // a "fetch now" while it runs
        Assert.Null(schedule.Start(claimed, "claim-b", Now)); // a stale request

        // The fetcher dies (elsewhere): once the lease ends the feed is due and claimed again.
        var lost = started with { FetchingBy = "another-machine/123" };
        _clock.Advance(_options.FetchLease - TimeSpan.FromSeconds(1));
        Assert.False(schedule.IsDue(lost, Now));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(schedule.IsDue(lost, Now));
        var retaken = schedule.Claim(lost, "claim-c", Now)!;
        Assert.Equal("claim-c", retaken.ClaimId);

        // The old fetcher finishing late records its outcome but leaves the new claim alone.
        var late = schedule.AfterSuccess(retaken, "claim-a", Seen(1, 1), Now);
        Assert.Equal("claim-c", late.ClaimId);
        var done = schedule.AfterSuccess(schedule.Start(retaken, "claim-c", Now)!, "claim-c", Seen(1, 0), Now);
        Assert.Null(done.ClaimId);
        Assert.Null(done.FetchingBy);
    }

    [Fact]
    public void A_claim_held_by_a_process_of_this_machine_that_is_gone_is_not_waited_out()
    {
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        process.WaitForExit();
        var schedule = Schedule();
        var started = schedule.Start(NewFeed(), null, Now)!;
        Assert.False(schedule.IsDue(started, Now));
        var orphaned = started with { FetchingBy = $"{Environment.MachineName}/{process.Id}" };
        Assert.True(schedule.IsDue(orphaned, Now));
        Assert.NotNull(schedule.Start(orphaned, null, Now));
    }

    [Fact]
    public void A_claim_whose_poller_died_before_any_fetcher_took_it_up_is_not_waited_out()
    {
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        process.WaitForExit();
        var schedule = Schedule();
        var claimed = schedule.Claim(NewFeed(), "claim-a", Now)!;
        Assert.Equal(FetcherInstance.Name, claimed.ClaimedBy);
        Assert.False(schedule.IsDue(claimed, Now)); // this process's poller is alive: its request is on its way

        // Killed between the claim and its request: no request will ever come, and the feed is due again at once.
        var orphaned = claimed with { ClaimedBy = $"{Environment.MachineName}/{process.Id}" };
        Assert.True(schedule.IsDue(orphaned, Now));
        var retaken = schedule.Claim(orphaned, "claim-b", Now)!;
        // A request of the dead poller's that did reach the queue finds the feed held by the new claim.
        Assert.Null(schedule.Start(retaken, "claim-a", Now));
        Assert.NotNull(schedule.Start(retaken, "claim-b", Now));

        // On another machine a dead poller cannot be seen: its claim lapses with the lease, as before.
        Assert.False(schedule.IsDue(claimed with { ClaimedBy = "another-machine/123" }, Now));
    }

    [Fact]
    public void A_paused_feed_is_never_due()
    {
        var schedule = Schedule();
        Assert.False(schedule.IsDue(NewFeed() with { Paused = true }, Now));
        Assert.Null(schedule.Claim(NewFeed() with { Paused = true }, "c", Now));
    }
}
