using Marsad.Hosting;
using Marsad.Search.Elasticsearch;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

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
        services.AddOptions<ElasticsearchOptions>().BindConfiguration(ElasticsearchOptions.Section);
        services.TryAddSingleton<FeedRegistry>(provider => provider.GetRequiredService<IOptions<MarsadOptions>>().Value.Store == StoreKind.Elasticsearch
            ? new ElasticsearchFeedRegistry(provider.GetRequiredService<IOptions<ElasticsearchOptions>>().Value, provider.GetRequiredService<TimeProvider>())
            : new FileFeedRegistry(provider.GetRequiredService<IOptions<MarsadOptions>>(), provider.GetRequiredService<TimeProvider>()));
        return services;
    }
}
