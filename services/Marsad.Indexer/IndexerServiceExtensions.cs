using Marsad.Hosting;
using Marsad.Search;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Marsad.Indexer;

public static class IndexerServiceExtensions
{
    public static IHostApplicationBuilder AddIndexer(this IHostApplicationBuilder builder)
    {
        builder.Services.AddMarsadSearchStore();
        builder.Services.AddHostedService<SearchStorePreparation>();
        return builder;
    }

    /// <summary>The indexer as a service of its own: its registrations and its consumers on the bus.</summary>
    public static IHostApplicationBuilder AddIndexerService(this IHostApplicationBuilder builder) =>
        builder.AddIndexer().AddMarsadBus(bus => bus.AddIndexerConsumers());

    /// <summary>The indexer's consumer, and the story linker it keeps for the life of the process.</summary>
    public static IBusRegistrationConfigurator AddIndexerConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.TryAddSingleton<StoryLinker>();
        bus.AddConsumer<ArticleClassifiedBatchConsumer, ArticleClassifiedBatchConsumerDefinition>();
        return bus;
    }
}
