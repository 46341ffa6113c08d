using Marsad.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Marsad.Subscriptions;

public static class SubscriptionServiceExtensions
{
    /// <summary>Where subscriptions and the alert log users read are kept: beside the article store (the data folder, or Elasticsearch), for the alerts and api services alike.</summary>
    public static IServiceCollection AddSubscriptionStore(this IServiceCollection services)
    {
        services.TryAddBesideStore<SubscriptionStore>(
            (elasticsearch, clock) => new ElasticsearchSubscriptionStore(elasticsearch, clock),
            (marsad, clock) => new FileSubscriptionStore(marsad, clock));
        return services.TryAddBesideStore<AlertLog>(
            (elasticsearch, _) => new ElasticsearchAlertLog(elasticsearch),
            (marsad, _) => new FileAlertLog(marsad));
    }
}
