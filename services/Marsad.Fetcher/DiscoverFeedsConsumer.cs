using Marsad.Contracts;
using Marsad.Feeds;
using MassTransit;

namespace Marsad.Fetcher;

/// <summary>Answers the api's question about an address a user gives: the fetcher's client (address guard, politeness, robots.txt) looks.</summary>
public sealed class DiscoverFeedsConsumer(FeedDiscovery discovery) : IConsumer<DiscoverFeeds>
{
    public async Task Consume(ConsumeContext<DiscoverFeeds> context)
    {
        if (!Uri.TryCreate(context.Message.Url, UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https"))
        {
            await context.RespondAsync(new FeedsDiscovered { Error = $"'{context.Message.Url}' is not an http(s) address." });
            return;
        }
        try
        {
            var discovered = await discovery.DiscoverAsync(address, context.CancellationToken);
            await context.RespondAsync(new FeedsDiscovered { FeedUrls = discovered.FeedUrls, Warning = discovered.Warning });
        }
        catch (FeedFormatException e)
        {
            await context.RespondAsync(new FeedsDiscovered { Error = e.Message });
        }
    }
}
