using Marsad.Contracts;
using Marsad.Search;
using Marsad.Subscriptions;
using Marsad.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Marsad.Alerts.Tests;

/// <summary>One Arabic article about NATO and Ukraine in the alerts service's store, and a subscription it matches.</summary>
internal static class NatoArticle
{
    public static readonly ArticleIndexed Indexed = new()
    {
        ArticleId = "nato", Url = "https://news.example/nato", Title = "الناتو وأوكرانيا", Source = "وكالة", Language = "ar",
    };

    /// <summary>Indexes the article (searchable at once) and subscribes to it; the subscription is returned.</summary>
    public static async Task<Subscription> IndexAndSubscribeAsync(ConsumerHarness alerts, string? webhook = null)
    {
        var store = alerts.Services.GetRequiredService<ISearchStore>();
        await store.IndexAsync([new ArticleDocument
        {
            Id = Indexed.ArticleId, Url = Indexed.Url, Title = Indexed.Title, Source = Indexed.Source, Language = Indexed.Language,
            Text = "قال الأمين العام لحلف الناتو إن الحلف سيواصل دعم أوكرانيا",
        }], CancellationToken.None);
        if (store is Marsad.Search.Elasticsearch.ElasticsearchSearchStore elasticsearch)
        {
            await elasticsearch.RefreshAsync(CancellationToken.None);
        }
        return await alerts.Services.GetRequiredService<SubscriptionStore>()
            .AddAsync("NATO", "الناتو AND أوكرانيا", webhook, null, DigestMode.Instant, null, CancellationToken.None);
    }
}
