using Marsad.Classifier.Entities;
using Marsad.Classifier.Languages;
using Marsad.Classifier.Topics;
using Microsoft.Extensions.Options;

namespace Marsad.Classifier;

/// <summary>
/// The model files the classifier runs on; by default those shipped beside the binaries (<c>Models/</c>, made by
/// <c>./marsad train</c>). Every one must be there when the service starts: a classifier that tagged no entity or
/// guessed no topic would look healthy while indexing poorer articles.
/// </summary>
public sealed class ClassifierOptions
{
    public const string Section = "Classifier";

    public string LanguageModel { get; set; } = LanguageIdentifier.ShippedPath;

    public string TopicModel { get; set; } = TopicClassifier.ShippedPath;

    public string EntityModel { get; set; } = EntityTagger.ShippedPath;

    /// <summary>The word clusters the entity model was trained with.</summary>
    public string WordClusters { get; set; } = Entities.WordClusters.ShippedPath;

    public IEnumerable<(string Setting, string Path)> Files() =>
    [
        (nameof(LanguageModel), LanguageModel),
        (nameof(TopicModel), TopicModel),
        (nameof(EntityModel), EntityModel),
        (nameof(WordClusters), WordClusters),
    ];
}

/// <summary>Refuses to start, naming the file and the setting, when a model is missing.</summary>
public sealed class ClassifierModelsPresent : IValidateOptions<ClassifierOptions>
{
    public ValidateOptionsResult Validate(string? name, ClassifierOptions options)
    {
        var missing = options.Files()
            .Where(file => !File.Exists(file.Path))
            .Select(file => $"the model file {Path.GetFullPath(file.Path)} ({ClassifierOptions.Section}:{file.Setting}) is missing; train it with ./marsad train, or point {ClassifierOptions.Section}:{file.Setting} at one")
            .ToList();
        return missing.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(missing);
    }
}
