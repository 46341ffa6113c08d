using Marsad.Contracts;
using Marsad.Testing;

namespace Marsad.Alerts.Tests;

/// <summary>The alerts service's consumer on MassTransit's test harness, over the embedded store and the data folder's subscriptions.</summary>
public sealed class ArticleIndexedConsumerTests : IAsyncLifetime
{
    private ConsumerHarness _bus = null!;

    public async Task InitializeAsync() =>
        _bus = await ConsumerHarness.StartAsync(builder => builder.AddAlerts(), bus => bus.AddAlertsConsumers());

    public async Task DisposeAsync() => await _bus.DisposeAsync();

    [Fact]
    public async Task An_indexed_article_is_matched_once_and_its_alerts_announced()
    {
        var subscription = await NatoArticle.IndexAndSubscribeAsync(_bus);

        var indexed = NatoArticle.Indexed;
        await _bus.Harness.Bus.Publish(indexed);
        await _bus.Harness.Bus.Publish(indexed with { AlreadyIndexed = true });

        await _bus.PublishedAsync<ArticleMatched>(TimeSpan.FromSeconds(30));
        for (var tries = 0; tries < 300 && _bus.Harness.Published.Select<ArticleMatched>().Count() < 2; tries++)
        {
            await Task.Delay(50);
        }
        var matched = _bus.Harness.Published.Select<ArticleMatched>().Select(published => published.Context.Message).ToList();
        Assert.Equal(2, matched.Count);
        Assert.Equal(subscription.Id, Assert.Single(matched.SelectMany(match => match.Alerts)).SubscriptionId);
    }
}
