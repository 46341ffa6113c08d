using Marsad.Contracts;
using Marsad.Hosting;
using MassTransit;

namespace Marsad.Alerts;

public sealed class ArticleIndexedConsumer(SubscriptionMatcher matcher) : IConsumer<ArticleIndexed>
{
    public async Task Consume(ConsumeContext<ArticleIndexed> context)
    {
        var alerts = await matcher.MatchAsync(context.Message.ArticleId, context.Message.Published, context.CancellationToken);
        if (alerts.Count > 0)
        {
            MarsadTelemetry.AlertsRaised.Add(alerts.Count);
        }
        if (!context.Message.AlreadyIndexed && context.Message.FetchedAt is { } fetchedAt)
        {
            MarsadTelemetry.SinceFetch.Record((DateTimeOffset.UtcNow - fetchedAt).TotalSeconds, new KeyValuePair<string, object?>("stage", "matched"));
        }
        await context.Publish(new ArticleMatched { ArticleId = context.Message.ArticleId, Alerts = alerts }, context.CancellationToken);
    }
}
