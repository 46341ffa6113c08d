using Marsad.Contracts;
using Marsad.Search;
using Marsad.Subscriptions;
using Marsad.Testing;
using Microsoft.Extensions.DependencyInjection;

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
        var store = _bus.Services.GetRequiredService<ISearchStore>();
        await store.IndexAsync([new ArticleDocument
        {
            Id = "nato", Url = "https://news.example/nato", Title = "الناتو وأوكرانيا", Source = "وكالة", Language = "ar",
            Text = "قال الأمين العام لحلف الناتو إن الحلف سيواصل دعم أوكرانيا",
        }], CancellationToken.None);
        var subscription = await _bus.Services.GetRequiredService<SubscriptionStore>()
            .AddAsync("NATO", "الناتو AND أوكرانيا", null, null, DigestMode.Instant, null, CancellationToken.None);

        var indexed = new ArticleIndexed { ArticleId = "nato", Url = "https://news.example/nato", Title = "الناتو وأوكرانيا", Source = "وكالة", Language = "ar" };
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
