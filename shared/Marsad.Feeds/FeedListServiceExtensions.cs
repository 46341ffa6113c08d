using Marsad.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Marsad.Feeds;

public static class FeedListServiceExtensions
{
    /// <summary>
    /// The feed list and its schedule, for the fetchers, the api and the CLI alike: kept beside the article store
    /// (the data folder, or Elasticsearch).
    /// </summary>
    public static IServiceCollection AddFeedList(this IServiceCollection services)
    {
        if (services.Any(service => service.ServiceType == typeof(FeedRegistry)))
        {
            return services; // the api and the fetchers share one list when they share a process
        }
        // Readiness: the list answers (in the distributed mode it lives in the cluster, which may be down).
        services.AddReadinessCheck<FeedRegistry>("feeds", async (registry, cancellationToken) => $"{(await registry.ListAsync(cancellationToken)).Count} feeds");
        services.AddOptions<FetcherOptions>().BindConfiguration(FetcherOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<FeedSchedule>();
        services.TryAddBesideStore<FeedRegistry>(
            (elasticsearch, clock) => new ElasticsearchFeedRegistry(elasticsearch, clock),
            (marsad, clock) => new FileFeedRegistry(marsad, clock));
        return services;
    }
}
