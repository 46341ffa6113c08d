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
}
