using Marsad.Contracts;
using Marsad.Hosting;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Marsad.Fetcher;

/// <remarks>
/// Past the shutdown deadline a fetch is neither started nor continued, and the request is let go rather than
/// failed: the feed's claim runs out and a fetcher polls it again, so nothing is lost but a few minutes.
/// </remarks>
public sealed class FetchFeedConsumer(FeedFetcher fetcher, ShutdownDeadline shutdown, ILogger<FetchFeedConsumer> logger) : IConsumer<FetchFeed>
{
    public async Task Consume(ConsumeContext<FetchFeed> context)
    {
        if (shutdown.Passed)
        {
            return;
        }
        using var fetching = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, shutdown.Token);
        try
        {
            var outcome = await fetcher.FetchAsync(
                context.Message.FeedUrl,
                (article, token) => context.Publish(article, token),
                fetching.Token,
                context.Message.ClaimId,
                context.Message.PushedContent is { } pushed ? new PushedFeed(pushed, context.Message.PushedContentType) : null);
            await context.Publish(outcome, fetching.Token);
        }
        catch (OperationCanceledException) when (shutdown.Passed && !context.CancellationToken.IsCancellationRequested)
        {
            logger.LogInformation("Fetch of {FeedUrl} stopped at the shutdown deadline; the feed is polled again once its claim runs out", context.Message.FeedUrl);
        }
    }
}

public sealed class FetchFeedConsumerDefinition : ConsumerDefinition<FetchFeedConsumer>
{
    public FetchFeedConsumerDefinition()
    {
        // A feed fetch fans out to many page fetches; a few feeds at a time keep the host polite and its memory flat.
        ConcurrentMessageLimit = 4;
    }
}
