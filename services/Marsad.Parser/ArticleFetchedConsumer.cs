using Marsad.Contracts;
using MassTransit;

namespace Marsad.Parser;

public sealed class ArticleFetchedConsumer(ArticleParser parser) : IConsumer<ArticleFetched>
{
    public async Task Consume(ConsumeContext<ArticleFetched> context)
    {
        var parsed = await parser.ParseAsync(context.Message, context.CancellationToken);
        await context.Publish(parsed, context.CancellationToken);
    }
}
