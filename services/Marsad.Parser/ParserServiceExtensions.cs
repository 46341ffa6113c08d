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

    public static IBusRegistrationConfigurator AddParserConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<ArticleFetchedConsumer>();
        return bus;
    }
}
