using MassTransit;

namespace Marsad.Classifier;

public static class ClassifierServiceExtensions
{
    public static IBusRegistrationConfigurator AddClassifierConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<ArticleParsedConsumer>();
        return bus;
    }
}
