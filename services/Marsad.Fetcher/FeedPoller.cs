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
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PollInterval, timeProvider);
        do
        {
            try
            {
                var now = timeProvider.GetUtcNow();
                foreach (var feed in await registry.ListAsync(stoppingToken))
                {
                    if (feed.LastFetchAt is null || now - feed.LastFetchAt >= options.Value.PollInterval)
                    {
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
