using Marsad.Cli;
using Marsad.Contracts;
using Marsad.Hosting;
using Marsad.Parser;
using Marsad.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Marsad.EndToEnd.Tests;

/// <summary>
/// The consumers the marsad command adds to the embedded pipeline, on MassTransit's test harness behind the parser:
/// a message that fails for good is kept in the data folder's journal, and the one-shot run counts what it sees.
/// </summary>
public sealed class CliConsumerTests : IAsyncLifetime
{
    private readonly RunTracker _tracker = new();
    private ConsumerHarness _bus = null!;

    public async Task InitializeAsync() =>
        _bus = await ConsumerHarness.StartAsync(
            builder =>
            {
                builder.AddParser();
                builder.Services.AddSingleton(_tracker);
                builder.Services.AddSingleton(services => new FaultJournal(services.GetRequiredService<Microsoft.Extensions.Options.IOptions<MarsadOptions>>().Value.DataDir));
            },
            bus =>
            {
                bus.AddParserConsumers();
                bus.AddConsumer<FaultJournalConsumer>();
                bus.AddConsumer<RunTrackerConsumer>();
            });

    public async Task DisposeAsync() => await _bus.DisposeAsync();

    [Fact]
    public async Task An_article_the_parser_cannot_use_is_journaled_with_its_reason_and_counted_as_failed()
    {
        await _bus.Harness.Bus.Publish(new FeedFetched { FeedUrl = "https://news.example/rss", FetchedAt = DateTimeOffset.UtcNow, ArticlesPublished = 1 });
        await _bus.Harness.Bus.Publish(new ArticleFetched
        {
            ArticleId = "empty", Url = "https://news.example/empty", FetchedAt = DateTimeOffset.UtcNow,
            Item = new FeedItem { FeedUrl = "https://news.example/rss", Source = "وكالة" },
        });

        var journal = _bus.Services.GetRequiredService<FaultJournal>();
        IReadOnlyList<ErrorQueueSummary> queues = [];
        for (var tries = 0; tries < 200 && queues.Count == 0; tries++)
        {
            queues = await journal.ListAsync(CancellationToken.None);
            await Task.Delay(50);
        }
        var queue = Assert.Single(queues);
        Assert.Equal(PipelineQueues.ByMessage[typeof(ArticleFetched)], queue.Queue);
        for (var tries = 0; tries < 200 && _tracker.Summary.Failed == 0; tries++)
        {
            await Task.Delay(50);
        }
        Assert.Equal(new RunSummary(Fetched: 1, Indexed: 0, Duplicates: 0, Failed: 1, Alerts: 0), _tracker.Summary);
        Assert.Contains(_tracker.Errors, error => error.Contains("No article text", StringComparison.Ordinal));
    }
}
