using Marsad.Search;
using MassTransit;
using Microsoft.Extensions.Hosting;

namespace Marsad.Indexer;

public static class IndexerServiceExtensions
{
    public static IHostApplicationBuilder AddIndexer(this IHostApplicationBuilder builder)
    {
        builder.Services.AddMarsadSearchStore();
        return builder;
    }

    public static IBusRegistrationConfigurator AddIndexerConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<ArticleClassifiedBatchConsumer, ArticleClassifiedBatchConsumerDefinition>();
        return bus;
    }
}
