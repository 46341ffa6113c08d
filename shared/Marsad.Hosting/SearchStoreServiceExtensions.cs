using Marsad.Search;
using Marsad.Search.Elasticsearch;
using Marsad.Search.Lucene;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Marsad.Hosting;

public static class SearchStoreServiceExtensions
{
    /// <summary>The store chosen by the <c>Store</c> setting; one instance per process, shared by indexer and API.</summary>
    public static IServiceCollection AddMarsadSearchStore(this IServiceCollection services)
    {
        if (services.Any(service => service.ServiceType == typeof(ISearchStore)))
        {
            return services; // the api, indexer and alerts share one store when they share a process
        }
        services.AddOptions<ElasticsearchOptions>().BindConfiguration(ElasticsearchOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<MarsadOptions>>().Value;
            return options.Aliases is { Length: > 0 } path ? EntityAliases.Load(path) : EntityAliases.Shipped;
        });
        services.TryAddSingleton<ISearchStore>(provider =>
        {
            var options = provider.GetRequiredService<IOptions<MarsadOptions>>().Value;
            var aliases = provider.GetRequiredService<EntityAliases>();
            return options.Store switch
            {
                StoreKind.Lucene => new LuceneSearchStore(options.IndexPath, aliases),
                StoreKind.Elasticsearch => new ElasticsearchSearchStore(
                    provider.GetRequiredService<IOptions<ElasticsearchOptions>>().Value,
                    provider.GetRequiredService<ILogger<ElasticsearchSearchStore>>(),
                    aliases),
                _ => throw new OptionsValidationException(nameof(MarsadOptions.Store), typeof(MarsadOptions), [$"Unknown store {options.Store}."]),
            };
        });
        services.AddReadinessCheck<ISearchStore>("store", async (store, cancellationToken) => $"{await store.CountAsync(cancellationToken)} articles");
        return services;
    }

    /// <summary>
    /// Registers something kept beside the article store (the feed list, the subscriptions, the alert log): in
    /// Elasticsearch when the <c>Store</c> setting says so (the distributed mode), else in the data folder.
    /// </summary>
    public static IServiceCollection TryAddBesideStore<TService>(this IServiceCollection services,
        Func<ElasticsearchOptions, TimeProvider, TService> inElasticsearch, Func<IOptions<MarsadOptions>, TimeProvider, TService> inDataFolder)
        where TService : class
    {
        services.AddOptions<ElasticsearchOptions>().BindConfiguration(ElasticsearchOptions.Section);
        services.TryAddSingleton(provider =>
        {
            var marsad = provider.GetRequiredService<IOptions<MarsadOptions>>();
            var clock = provider.GetRequiredService<TimeProvider>();
            return marsad.Value.Store == StoreKind.Elasticsearch
                ? inElasticsearch(provider.GetRequiredService<IOptions<ElasticsearchOptions>>().Value, clock)
                : inDataFolder(marsad, clock);
        });
        return services;
    }
}
