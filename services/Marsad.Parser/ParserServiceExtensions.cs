using Marsad.Hosting;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Marsad.Parser;

public static class ParserServiceExtensions
{
    public static IHostApplicationBuilder AddParser(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ArticleParser>();
        return builder;
    }

    /// <summary>The parser as a service of its own: its registrations and its consumers on the bus.</summary>
    public static IHostApplicationBuilder AddParserService(this IHostApplicationBuilder builder) =>
        builder.AddParser().AddMarsadBus(bus => bus.AddParserConsumers());

    public static IBusRegistrationConfigurator AddParserConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<ArticleFetchedConsumer>();
        return bus;
    }
}
