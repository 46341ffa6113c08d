using Marsad.Contracts;
using Marsad.Indexer;
using Marsad.Search;
using Marsad.Search.Elasticsearch;
using Marsad.Testing;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Marsad.Indexer.Tests;

/// <summary>The indexer's consumer on MassTransit's test harness, writing to a real Elasticsearch server.</summary>
[Trait(Needs.Trait, Needs.Elasticsearch)]
public sealed class ArticleClassifiedBatchConsumerTests : IAsyncLifetime
{
    private readonly string _prefix = "marsad-test-indexer-" + Guid.NewGuid().ToString("N")[..8];
    private ServiceProvider _provider = null!;
    private ITestHarness _harness = null!;

    public async Task InitializeAsync()
    {
        var store = new ElasticsearchSearchStore(
            new ElasticsearchOptions { Url = ElasticsearchServer.Url, ServerMajorVersion = ElasticsearchServer.MajorVersion, IndexPrefix = _prefix },
            NullLogger<ElasticsearchSearchStore>.Instance);
        _provider = new ServiceCollection()
            .AddSingleton<ISearchStore>(store)
            .AddMassTransitTestHarness(bus =>
            {
                bus.DisableUsageTelemetry();
                bus.AddIndexerConsumers();
            })
            .BuildServiceProvider(validateScopes: true);
        _harness = _provider.GetRequiredService<ITestHarness>();
        await _harness.Start();
    }

    public async Task DisposeAsync()
    {
        await _harness.Stop();
        await _provider.DisposeAsync();
        await ElasticsearchServer.DeleteAsync(_prefix);
    }

    private static ArticleClassified Article(string id, string source = "وكالة") => new()
    {
        ArticleId = id,
        Language = "ar",
        Content = new ArticleContent
        {
            Url = "https://news.example/" + id,
            Source = source,
            Title = "عنوان " + id,
            Text = "نص الخبر عن الناتو وأوكرانيا",
            Published = new DateTimeOffset(2022, 1, 7, 10, 0, 0, TimeSpan.Zero),
        },
    };

    [Fact]
    public async Task A_refused_article_goes_alone_to_the_error_queue_with_the_reason_and_the_others_are_announced()
    {
        await _harness.Bus.PublishBatch([Article("good-1"), Article("bad", source: new string('x', 40_000)), Article("good-2")]);

        Assert.True(await _harness.Published.Any<ArticleRejected>(), "no ArticleRejected was published");
        var rejected = _harness.Published.Select<ArticleRejected>().Single().Context.Message;
        Assert.Equal("bad", rejected.ArticleId);
        Assert.Equal("indexer", rejected.Stage);
        Assert.Contains("immense term", rejected.Reason, StringComparison.Ordinal);

        var announced = _harness.Published.Select<ArticleIndexed>().Select(published => published.Context.Message.ArticleId).Order().ToList();
        Assert.Equal(["good-1", "good-2"], announced);

        var deadLettered = Assert.Single(_harness.Sent.Select<ArticleClassified>());
        Assert.Equal("bad", deadLettered.Context.Message.ArticleId);
        Assert.EndsWith("_error", deadLettered.Context.DestinationAddress!.AbsolutePath, StringComparison.Ordinal);
        Assert.Contains("immense term", deadLettered.Context.Headers.Get<string>(ArticleClassifiedBatchConsumer.FaultReasonHeader), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_redelivered_batch_is_announced_as_already_indexed()
    {
        await _harness.Bus.Publish(Article("once"));
        Assert.True(await _harness.Published.Any<ArticleIndexed>(message => message.Context.Message.ArticleId == "once" && !message.Context.Message.AlreadyIndexed));
        await _harness.Bus.Publish(Article("once"));
        Assert.True(await _harness.Published.Any<ArticleIndexed>(message => message.Context.Message.ArticleId == "once" && message.Context.Message.AlreadyIndexed));
    }
}
