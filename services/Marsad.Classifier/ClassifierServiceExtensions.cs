using Marsad.Classifier.Entities;
using Marsad.Classifier.Languages;
using Marsad.Classifier.Topics;
using Marsad.Hosting;
using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Marsad.Classifier;

public static class ClassifierServiceExtensions
{
    /// <summary>The classifier as a service of its own: its consumers on the bus.</summary>
    public static IHostApplicationBuilder AddClassifierService(this IHostApplicationBuilder builder) =>
        builder.AddMarsadBus(bus => bus.AddClassifierConsumers());

    /// <summary>The classifier's consumers, and the shipped language and topic models and entity gazetteer they use (loaded once, at the first article).</summary>
    public static IBusRegistrationConfigurator AddClassifierConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.TryAddSingleton(_ => LanguageIdentifier.Shipped);
        bus.TryAddSingleton(_ => TopicClassifier.Shipped);
        bus.TryAddSingleton(_ => EntityExtractor.Shipped);
        bus.AddConsumer<ArticleParsedConsumer>();
        return bus;
    }
}
