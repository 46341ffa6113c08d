using Marsad.Contracts;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Marsad.Feeds;

namespace Marsad.Fetcher;

/// <summary>
/// Asks for each registered feed to be fetched when it is due. Every fetcher runs one; a feed is claimed in the
/// registry before it is asked for, so of several pollers only one asks, and the request goes to whichever
/// fetcher takes it off the queue first.
/// </summary>
public sealed class FeedPoller(
    FeedRegistry registry,
    FeedSchedule schedule,
    IBusControl bus,
    TimeProvider timeProvider,
    ILogger<FeedPoller> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Requests are asked for once the bus's queues are bound (a request published before is lost until its claim lapses).
        await Task.Yield();
        if (await bus.WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromMinutes(1)) != BusHealthStatus.Healthy)
        {
            logger.LogWarning("The message bus is not ready after a minute; polling anyway, requests may wait for their claims to lapse");
        }
        using var timer = new PeriodicTimer(schedule.Tick, timeProvider);
        do
        {
            try
            {
                var now = timeProvider.GetUtcNow();
                // Shuffled, so pollers starting together do not all contend for the same first feeds.
                var due = (await registry.ListAsync(stoppingToken)).Where(feed => schedule.IsDue(feed, now)).ToArray();
                Random.Shared.Shuffle(due);
                foreach (var feed in due)
                {
                    var claimId = Guid.NewGuid().ToString("N");
                    var (claimed, _) = await registry.UpdateAsync(feed.Url, current => schedule.Claim(current, claimId, timeProvider.GetUtcNow()), stoppingToken, listedAtOnce: false);
                    if (claimed)
                    {
                        // Should this publish fail, the claim lapses after the fetch lease and the feed is claimed again.
                        await bus.Publish(new FetchFeed { FeedUrl = feed.Url, ClaimId = claimId }, stoppingToken);
                    }
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Polling the feed list failed; trying again in {Tick}", schedule.Tick);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
