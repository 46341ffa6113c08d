using Marsad.Contracts;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Marsad.Fetcher;

/// <summary>Asks for every registered feed to be fetched once per poll interval.</summary>
public sealed class FeedPoller(
    FeedRegistry registry,
    IBus bus,
    IOptions<FetcherOptions> options,
    TimeProvider timeProvider,
    ILogger<FeedPoller> logger) : BackgroundService
{
    // When this poller last asked for each feed: a fetch still under way is not asked for again.
    private readonly Dictionary<string, DateTimeOffset> _requestedAt = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.PollInterval;
        using var timer = new PeriodicTimer(interval, timeProvider);
        do
        {
            try
            {
                var now = timeProvider.GetUtcNow();
                foreach (var feed in await registry.ListAsync(stoppingToken))
                {
                    var lastAsked = _requestedAt.GetValueOrDefault(feed.Url, DateTimeOffset.MinValue);
                    var inFlight = lastAsked > (feed.LastFetchAt ?? DateTimeOffset.MinValue);
                    var due = feed.LastFetchAt is null || now - feed.LastFetchAt >= interval;
                    // A request that got lost (a crashed fetcher) is asked again after a few intervals.
                    if (due && (!inFlight || now - lastAsked >= interval * 5))
                    {
                        _requestedAt[feed.Url] = now;
                        await bus.Publish(new FetchFeed { FeedUrl = feed.Url }, stoppingToken);
                    }
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Polling the feed list failed; trying again next interval");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
