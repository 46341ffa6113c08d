using Marsad.Hosting;
using Marsad.Search.Lucene;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Marsad.Search;

public static class SearchStoreServiceExtensions
{
    /// <summary>The store chosen by the <c>Store</c> setting; one instance per process, shared by indexer and API.</summary>
    public static IServiceCollection AddMarsadSearchStore(this IServiceCollection services)
    {
        services.TryAddSingleton<ISearchStore>(provider =>
        {
            var options = provider.GetRequiredService<IOptions<MarsadOptions>>().Value;
            return options.Store switch
            {
                StoreKind.Lucene => new LuceneSearchStore(options.IndexPath),
                _ => throw new OptionsValidationException(nameof(MarsadOptions.Store), typeof(MarsadOptions),
                    [$"Store={options.Store} is not available in this build yet; use Store=Lucene (the embedded index)."]),
            };
        });
        return services;
    }
}
