using Marsad.Contracts;
using Marsad.Hosting;
using Marsad.Search;
using MassTransit;

namespace Marsad.Indexer;

/// <summary>
/// Writes classified articles to the store in batches (one commit per batch), then announces each as indexed.
/// A re-delivered article is recognised by its id and announced as already indexed, never written twice.
/// </summary>
public sealed class ArticleClassifiedBatchConsumer(ISearchStore store) : IConsumer<Batch<ArticleClassified>>
{
    public async Task Consume(ConsumeContext<Batch<ArticleClassified>> context)
    {
        var articles = context.Message.Select(message => message.Message).ToList();
        var outcomes = await store.IndexAsync(articles.Select(ToDocument).ToList(), context.CancellationToken);
        for (var i = 0; i < articles.Count; i++)
        {
            var article = articles[i];
            var alreadyIndexed = outcomes[i] == IndexOutcome.AlreadyIndexed;
            MarsadTelemetry.ArticlesIndexed.Add(1, new KeyValuePair<string, object?>("outcome", alreadyIndexed ? "already_indexed" : "indexed"));
            await context.Publish(new ArticleIndexed
            {
                ArticleId = article.ArticleId,
                Url = article.Content.Url,
                Title = article.Content.Title,
                Source = article.Content.Source,
                Published = article.Content.Published,
                Language = article.Language,
                Topics = article.Topics.Select(topic => topic.Label).ToList(),
                AlreadyIndexed = alreadyIndexed,
                FetchedAt = article.Content.FetchedAt,
            }, context.CancellationToken);
        }
    }

    public static ArticleDocument ToDocument(ArticleClassified article) => new()
    {
        Id = article.ArticleId,
        Url = article.Content.Url,
        Title = article.Content.Title,
        Text = article.Content.Text,
        Source = article.Content.Source,
        Language = article.Language,
        Published = article.Content.Published,
        Author = article.Content.Author,
        Topics = article.Topics.Select(topic => topic.Label).ToList(),
        Entities = article.Entities.Select(entity => entity.Normalized).ToList(),
    };
}

public sealed class ArticleClassifiedBatchConsumerDefinition : ConsumerDefinition<ArticleClassifiedBatchConsumer>
{
    public const int BatchSize = 100;

    public ArticleClassifiedBatchConsumerDefinition()
    {
        // Prefetch must cover a whole batch, or MassTransit silently caps batches at the prefetch count.
        Endpoint(endpoint => endpoint.PrefetchCount = BatchSize * 2);
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ArticleClassifiedBatchConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        consumerConfigurator.Options<BatchOptions>(batch => batch
            .SetMessageLimit(BatchSize)
            .SetTimeLimit(TimeSpan.FromMilliseconds(200))
            .SetConcurrencyLimit(1));
    }
}
