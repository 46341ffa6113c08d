using System.Text.Json;
using Marsad.Alerts;
using Marsad.Classifier;
using Marsad.Contracts;
using Marsad.Fetcher;
using Marsad.Hosting;
using Marsad.Indexer;
using Marsad.Parser;
using MassTransit;

namespace Marsad.Cli;

/// <summary>Every queue of the pipeline, by the message it takes, named as MassTransit names it.</summary>
public static class PipelineQueues
{
    public static readonly IReadOnlyDictionary<Type, string> ByMessage = new Dictionary<Type, string>
    {
        [typeof(FetchFeed)] = KebabCaseEndpointNameFormatter.Instance.Consumer<FetchFeedConsumer>(),
        [typeof(ArticleFetched)] = KebabCaseEndpointNameFormatter.Instance.Consumer<ArticleFetchedConsumer>(),
        [typeof(ArticleParsed)] = KebabCaseEndpointNameFormatter.Instance.Consumer<ArticleParsedConsumer>(),
        [typeof(ArticleClassified)] = KebabCaseEndpointNameFormatter.Instance.Consumer<ArticleClassifiedBatchConsumer>(),
        [typeof(ArticleIndexed)] = KebabCaseEndpointNameFormatter.Instance.Consumer<ArticleIndexedConsumer>(),
    };

    public static readonly IReadOnlyList<string> Names = [.. ByMessage.Values];
}

/// <summary>
/// The embedded mode's dead letters: each message that failed all its retries (MassTransit publishes a
/// <see cref="Fault{T}"/> for it) is written to the data folder's <see cref="FaultJournal"/>.
/// </summary>
public sealed class FaultJournalConsumer(FaultJournal journal) :
    IConsumer<Fault<FetchFeed>>,
    IConsumer<Fault<ArticleFetched>>,
    IConsumer<Fault<ArticleParsed>>,
    IConsumer<Fault<ArticleClassified>>,
    IConsumer<Fault<ArticleIndexed>>
{
    public Task Consume(ConsumeContext<Fault<FetchFeed>> context) => KeepAsync(context);

    public Task Consume(ConsumeContext<Fault<ArticleFetched>> context) => KeepAsync(context);

    public Task Consume(ConsumeContext<Fault<ArticleParsed>> context) => KeepAsync(context);

    public Task Consume(ConsumeContext<Fault<ArticleClassified>> context) => KeepAsync(context);

    public Task Consume(ConsumeContext<Fault<ArticleIndexed>> context) => KeepAsync(context);

    private Task KeepAsync<T>(ConsumeContext<Fault<T>> context) where T : class
    {
        var fault = context.Message;
        var exception = fault.Exceptions.FirstOrDefault();
        return journal.AddAsync(new JournaledFault
        {
            Id = fault.FaultId.ToString("N"),
            Queue = PipelineQueues.ByMessage[typeof(T)],
            MessageType = typeof(T).Name,
            Reason = exception?.Message ?? "(no reason recorded)",
            ExceptionType = exception?.ExceptionType,
            FailedAt = fault.Timestamp,
            MessageId = fault.FaultedMessageId?.ToString(),
            Message = JsonSerializer.SerializeToElement(fault.Message),
        }, context.CancellationToken);
    }
}

/// <summary>Sends what <c>errors replay</c> asked for back to the queue it failed in, within seconds of the asking.</summary>
public sealed class FaultReplayer(FaultJournal journal, IBus bus, ILogger<FaultReplayer> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            do
            {
                foreach (var fault in await journal.TakeReplayRequestsAsync(stoppingToken))
                {
                    await ReplayAsync(fault, stoppingToken);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task ReplayAsync(JournaledFault fault, CancellationToken cancellationToken)
    {
        try
        {
            var type = PipelineQueues.ByMessage.Keys.Single(message => message.Name == fault.MessageType);
            var endpoint = await bus.GetSendEndpoint(new Uri("queue:" + fault.Queue));
            await endpoint.Send(fault.Message.Deserialize(type)!, type, cancellationToken);
            logger.LogInformation("Replayed a {MessageType} to {Queue} (it failed at {FailedAt:u}: {Reason})", fault.MessageType, fault.Queue, fault.FailedAt, fault.Reason);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A letter that cannot even be sent (a journal from another version) stays a letter, saying why.
            logger.LogError(e, "Could not replay a {MessageType} to {Queue}", fault.MessageType, fault.Queue);
            await journal.AddAsync(fault with { ReplayRequested = false, Reason = $"replay failed ({e.Message}); before: {fault.Reason}" }, CancellationToken.None);
        }
    }
}
