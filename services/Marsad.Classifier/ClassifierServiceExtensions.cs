using Marsad.Classifier.Entities;
using Marsad.Classifier.Languages;
using Marsad.Classifier.Topics;
using Marsad.Hosting;
using MassTransit;
using Marsad.Search;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Hosting;

namespace Marsad.Classifier;

public static class ClassifierServiceExtensions
{
    /// <summary>The classifier as a service of its own: its consumers on the bus.</summary>
    public static IHostApplicationBuilder AddClassifierService(this IHostApplicationBuilder builder) =>
        builder.AddMarsadBus(bus => bus.AddClassifierConsumers());

    /// <summary>
    /// The classifier's consumers, and the language, topic and entity models they use (<see cref="ClassifierOptions"/>:
    /// checked to be there at start, loaded once, at the first article), with search's entity aliases as gazetteer.
    /// </summary>
    public static IBusRegistrationConfigurator AddClassifierConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddOptions<ClassifierOptions>().BindConfiguration(ClassifierOptions.Section).ValidateOnStart();
        bus.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClassifierOptions>, ClassifierModelsPresent>());
        bus.TryAddSingleton(services => LanguageIdentifier.Load(Models(services).LanguageModel));
        bus.TryAddSingleton(services => TopicClassifier.Load(Models(services).TopicModel));
        bus.TryAddSingleton(services =>
        {
            var models = Models(services);
            return new EntityExtractor(EntityAliases.Shipped, EntityTagger.Load(models.EntityModel, WordClusters.Load(models.WordClusters)));
        });
        bus.AddConsumer<ArticleParsedConsumer>();
        return bus;
    }

    private static ClassifierOptions Models(IServiceProvider services) => services.GetRequiredService<IOptions<ClassifierOptions>>().Value;
}
