using System.Security.Cryptography;
using System.Text;
using Marsad.Arabic;
using Marsad.Contracts;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Transforms.Text;

namespace Marsad.Classifier.Topics;

/// <summary>Training the topic model on the ANT corpus (<c>./marsad train topics</c>), and the splits it is measured on.</summary>
public static class TopicTraining
{
    /// <summary>
    /// Whether an article belongs to the held-out fifth that the shipped model never trains on: decided by a hash of
    /// its id, so the split is the same on every machine and run.
    /// </summary>
    public static bool IsHeldOut(string articleId) => SHA256.HashData(Encoding.UTF8.GetBytes(articleId))[0] % 5 == 0;

    /// <summary>
    /// Whether an article of the training part is set aside to choose the regularization
    /// (<c>./marsad train topics --tune</c>): a fifth of it, by another byte of the same hash, so the held-out fifth is
    /// never looked at before the final evaluation.
    /// </summary>
    public static bool IsValidation(string articleId) => SHA256.HashData(Encoding.UTF8.GetBytes(articleId))[1] % 5 == 0;

    /// <summary>The L2 weights <c>--tune</c> tries.</summary>
    public static IReadOnlyList<float> RegularizationCandidates { get; } = [0.03f, 0.1f, 0.3f, 1f];

    /// <summary>The L2 weight the shipped model was trained with: the best of the candidates on the validation split.</summary>
    public const float Regularization = 0.1f;

    /// <summary>Trains a model on <paramref name="articles"/> and writes it to <paramref name="path"/>.</summary>
    /// <param name="regularization">The L2 weight; <see cref="Regularization"/> unless a validation split says otherwise.</param>
    public static TopicClassifier Train(IEnumerable<LabelledArticle> articles, string path, float regularization = Regularization)
    {
        var ml = new MLContext(seed: 1);
        var inputs = articles.Select(article => TopicClassifier.Input(article.Title, article.Text, article.Url, article.Label)).ToList();
        // Each topic weighs as much as the others in total: macro-F1 counts culture, the rarest topic, as much as international news, which has eleven times its articles.
        var perLabel = inputs.CountBy(input => input.Label).ToDictionary();
        foreach (var input in inputs)
        {
            input.Weight = (float)inputs.Count / (perLabel.Count * perLabel[input.Label]);
        }
        var data = ml.Data.LoadFromEnumerable(inputs);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            // Unigrams, bigrams and character 4-grams, the most frequent only, so the model stays a few megabytes.
            .Append(ml.Transforms.Text.FeaturizeText("Words", TopicClassifier.WordFeatures(maximumUnigrams: 60_000, maximumBigrams: 40_000, maximumCharacterGrams: 20_000), nameof(TopicClassifier.TopicInput.Text)))
            .Append(ml.Transforms.Text.FeaturizeText("SiteWords", TopicClassifier.WordFeatures(maximumUnigrams: 20_000, maximumBigrams: 0, maximumCharacterGrams: 0), nameof(TopicClassifier.TopicInput.SiteWords)))
            .Append(ml.Transforms.Concatenate("Features", "Words", "SiteWords"))
            .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
            {
                LabelColumnName = "Label",
                FeatureColumnName = "Features",
                ExampleWeightColumnName = nameof(TopicClassifier.TopicInput.Weight),
                L1Regularization = 0f,
                L2Regularization = regularization,
                HistorySize = 20,
            }))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        var model = pipeline.Fit(data);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        ml.Model.Save(model, data.Schema, path);
        return new TopicClassifier(ml, model);
    }
}

/// <summary>Accuracy, macro-F1 and the confusion matrix of a classifier on labelled articles.</summary>
public sealed record TopicEvaluation(int Count, double Accuracy, double MacroF1, IReadOnlyList<string> Labels, int[,] Confusion, IReadOnlyDictionary<string, double> F1ByLabel)
{
    public static TopicEvaluation Of(TopicClassifier classifier, IEnumerable<LabelledArticle> articles)
    {
        var pairs = articles.Select(article => (Truth: article.Label, Predicted: classifier.Classify(article.Title, article.Text, article.Url)[0].Label)).ToList();
        var labels = classifier.Labels.Union(pairs.Select(pair => pair.Truth)).Order(StringComparer.Ordinal).ToList();
        var confusion = new int[labels.Count, labels.Count];
        foreach (var (truth, predicted) in pairs)
        {
            confusion[labels.IndexOf(truth), labels.IndexOf(predicted)]++;
        }
        var f1 = new Dictionary<string, double>();
        for (var i = 0; i < labels.Count; i++)
        {
            var truePositive = confusion[i, i];
            var predictedCount = Enumerable.Range(0, labels.Count).Sum(row => confusion[row, i]);
            var actualCount = Enumerable.Range(0, labels.Count).Sum(column => confusion[i, column]);
            if (actualCount == 0)
            {
                continue;   // a label this set has no article of (an outlet without culture pages) says nothing
            }
            var precision = predictedCount == 0 ? 0 : (double)truePositive / predictedCount;
            var recall = (double)truePositive / actualCount;
            f1[labels[i]] = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        }
        return new TopicEvaluation(pairs.Count, (double)pairs.Count(pair => pair.Truth == pair.Predicted) / Math.Max(1, pairs.Count),
            f1.Values.DefaultIfEmpty(0).Average(), labels, confusion, f1);
    }

    /// <summary>The confusion matrix as a Markdown table: rows are the corpus's labels, columns the predictions.</summary>
    public string ConfusionTable()
    {
        var builder = new StringBuilder();
        builder.AppendLine("| label \\ predicted | " + string.Join(" | ", Labels) + " | F1 |");
        builder.AppendLine("|---|" + string.Concat(Labels.Select(_ => "---|")) + "---|");
        for (var row = 0; row < Labels.Count; row++)
        {
            builder.AppendLine($"| {Labels[row]} | " + string.Join(" | ", Enumerable.Range(0, Labels.Count).Select(column => Confusion[row, column]))
                + $" | {(F1ByLabel.TryGetValue(Labels[row], out var f1) ? f1.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture) : "")} |");
        }
        return builder.ToString();
    }
}
