using System.Diagnostics;
using Marsad.Contracts;
using Marsad.Hosting;
using Marsad.Search;
using MassTransit;

namespace Marsad.Indexer;

/// <summary>
/// Writes classified articles to the store in batches (one durable write per batch), then announces each as
/// indexed. A re-delivered article is recognised by its id and announced as already indexed, never written twice.
/// An article the store refuses for good goes alone to this endpoint's error queue with the reason; the rest of its
/// batch is unaffected. Each article is first linked to the first article of its story.
/// </summary>
public sealed class ArticleClassifiedBatchConsumer(ISearchStore store, StoryLinker stories) : IConsumer<Batch<ArticleClassified>>
{
    // MassTransit's own header for why a message is in an error queue.
    public const string FaultReasonHeader = "MT-Fault-Message";

    public async Task Consume(ConsumeContext<Batch<ArticleClassified>> context)
    {
        var articles = context.Message.Select(message => message.Message).ToList();
        var documents = await stories.LinkAsync(articles.Select(ToDocument).ToList(), context.CancellationToken);
        var results = await store.IndexAsync(documents, context.CancellationToken);
        stories.Remember(documents.Where((_, i) => results[i].Outcome != IndexOutcome.Rejected));
        for (var i = 0; i < articles.Count; i++)
        {
            var article = articles[i];
            if (results[i].Outcome == IndexOutcome.Rejected)
            {
                await DeadLetterAsync(context, context.Message[i], results[i].Reason ?? "refused by the store");
                continue;
            }
            var alreadyIndexed = results[i].Outcome == IndexOutcome.AlreadyIndexed;
            MarsadTelemetry.ArticlesIndexed.Add(1, new KeyValuePair<string, object?>("outcome", alreadyIndexed ? "already_indexed" : "indexed"));
            if (!alreadyIndexed && article.Content.FetchedAt is { } fetchedAt)
            {
                MarsadTelemetry.SinceFetch.Record((DateTimeOffset.UtcNow - fetchedAt).TotalSeconds, new KeyValuePair<string, object?>("stage", "indexed"));
            }
            using var trace = ContinueTraceOf(context.Message[i], article.ArticleId);
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
                StoryId = documents[i].StoryId,
            }, context.CancellationToken);
        }
    }

    /// <summary>
    /// A batch is one consume of many articles, each with a trace of its own; the consume's span belongs to one of
    /// them. What is done for an article (its announcement) goes on in the article's own trace, linked to the batch.
    /// </summary>
    private static Activity? ContinueTraceOf(ConsumeContext<ArticleClassified> item, string articleId)
    {
        // MassTransit carries the sender's span as a W3C id in this header.
        var parent = item.Headers.Get<string>(MassTransit.Logging.DiagnosticHeaders.ActivityId);
        if (parent is null || !ActivityContext.TryParse(parent, null, out var context))
        {
            return null;
        }
        return MarsadTelemetry.ActivitySource.StartActivity(
            "index article",
            ActivityKind.Internal,
            context,
            tags: [new("marsad.article.id", articleId)],
            links: Activity.Current is { } batch ? [new ActivityLink(batch.Context)] : null);
    }

    private static async Task DeadLetterAsync(ConsumeContext context, ConsumeContext<ArticleClassified> item, string reason)
    {
        MarsadTelemetry.InputRejected.Add(1, new("stage", "index"), new("reason", "rejected_by_store"));
        var input = item.ReceiveContext.InputAddress;
        var errorQueue = await context.GetSendEndpoint(new UriBuilder(input) { Path = input.AbsolutePath + "_error" }.Uri);
        await errorQueue.Send(item.Message, send =>
        {
            send.Headers.Set(FaultReasonHeader, reason);
            send.Headers.Set("MT-Fault-InputAddress", input.ToString());
        }, context.CancellationToken);
        await context.Publish(new ArticleRejected
        {
            ArticleId = item.Message.ArticleId,
            Url = item.Message.Content.Url,
            Stage = "indexer",
            Reason = reason,
        }, context.CancellationToken);
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
        Image = article.Content.ImageUrl,
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
