using Marsad.Hosting;
using MassTransit;
using Microsoft.Extensions.Hosting;

namespace Marsad.Classifier;

public static class ClassifierServiceExtensions
{
    /// <summary>The classifier as a service of its own: its consumers on the bus.</summary>
    public static IHostApplicationBuilder AddClassifierService(this IHostApplicationBuilder builder) =>
        builder.AddMarsadBus(bus => bus.AddClassifierConsumers());

    public static IBusRegistrationConfigurator AddClassifierConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<ArticleParsedConsumer>();
        return bus;
    }
}
