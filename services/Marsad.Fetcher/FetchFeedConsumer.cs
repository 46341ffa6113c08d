using Marsad.Contracts;
using MassTransit;

namespace Marsad.Fetcher;

public sealed class FetchFeedConsumer(FeedFetcher fetcher) : IConsumer<FetchFeed>
{
    public async Task Consume(ConsumeContext<FetchFeed> context)
    {
        var outcome = await fetcher.FetchAsync(
            context.Message.FeedUrl,
            (article, token) => context.Publish(article, token),
            context.CancellationToken,
            context.Message.ClaimId,
            context.Message.PushedContent is { } pushed ? new PushedFeed(pushed, context.Message.PushedContentType) : null);
        await context.Publish(outcome, context.CancellationToken);
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
