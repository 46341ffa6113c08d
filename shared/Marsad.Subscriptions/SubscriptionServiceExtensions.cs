using Marsad.Hosting;
using Marsad.Search.Elasticsearch;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Marsad.Subscriptions;

public static class SubscriptionServiceExtensions
{
    /// <summary>Where subscriptions and the alert log users read are kept: beside the article store (the data folder, or Elasticsearch), for the alerts and api services alike.</summary>
    public static IServiceCollection AddSubscriptionStore(this IServiceCollection services)
    {
        services.TryAddSingleton<SubscriptionStore>(provider => provider.GetRequiredService<IOptions<MarsadOptions>>().Value.Store == StoreKind.Elasticsearch
            ? new ElasticsearchSubscriptionStore(provider.GetRequiredService<IOptions<ElasticsearchOptions>>().Value, provider.GetRequiredService<TimeProvider>())
            : new FileSubscriptionStore(provider.GetRequiredService<IOptions<MarsadOptions>>(), provider.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<AlertLog>(provider => provider.GetRequiredService<IOptions<MarsadOptions>>().Value.Store == StoreKind.Elasticsearch
            ? new ElasticsearchAlertLog(provider.GetRequiredService<IOptions<ElasticsearchOptions>>().Value)
            : new FileAlertLog(provider.GetRequiredService<IOptions<MarsadOptions>>()));
        return services;
    }
}
