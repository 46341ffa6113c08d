using System.Security.Cryptography;
using System.Text;
using Marsad.Arabic;
using Marsad.Contracts;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Transforms.Text;

namespace Marsad.Classifier.Topics;

/// <summary>
/// Topics of Arabic news, as a model trained with ML.NET on the labelled ANT corpus (the labels are the corpus's own:
/// culture, economy, internationalNews, middleEast, sport, technology): TF-IDF word unigrams, bigrams and character
/// 4-grams of the Arabic-normalised title and text, and a multiclass maximum-entropy classifier (L-BFGS), each topic
/// weighted by how rare it is. Trained by <c>./marsad train topics</c>; the model ships beside the binaries
/// (Models/topics.zip) and loads at start-up.
/// <para>
/// The labels are each outlet's own sections, and outlets draw the line between international news and the Middle
/// East differently (Al Arabiya has no Middle East section at all). So the words are also given a second time under
/// the name of the article's site ("feature augmentation", Daumé 2007): the model learns what all outlets share and,
/// for the sites it was trained on, where each draws its lines. An article from any other site has only the shared
/// part and is classified as before.
/// </para>
/// </summary>
public sealed partial class TopicClassifier
{
    /// <summary>Topics scoring below this are not reported (the best one always is).</summary>
    public const double MinimumScore = 0.2;

    public static string ShippedPath { get; } = Path.Combine(AppContext.BaseDirectory, "Models", "topics.zip");

    private static readonly Lazy<TopicClassifier> ShippedModel = new(() => Load(ShippedPath));

    /// <summary>The model shipped with Marsad.</summary>
    public static TopicClassifier Shipped => ShippedModel.Value;

    private readonly PredictionEngine<TopicInput, TopicOutput> _engine;
    private readonly string[] _labels;
    private readonly Lock _gate = new();

    private TopicClassifier(MLContext ml, ITransformer model)
    {
        _engine = ml.Model.CreatePredictionEngine<TopicInput, TopicOutput>(model);
        VBuffer<ReadOnlyMemory<char>> names = default;
        _engine.OutputSchema["Score"].GetSlotNames(ref names);
        _labels = names.DenseValues().Select(name => name.ToString()).ToArray();
    }

    public IReadOnlyList<string> Labels => _labels;

    public static TopicClassifier Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No topic model at {Path.GetFullPath(path)} (train one with ./marsad train topics).", path);
        }
        var ml = new MLContext(seed: 1);
        return new TopicClassifier(ml, ml.Model.Load(path, out _));
    }

    /// <summary>The article's topics, best first, with the model's probabilities.</summary>
    /// <param name="url">The article's address: its site, when the model was trained on it, sharpens the guess.</param>
    public IReadOnlyList<TopicScore> Classify(string title, string text, string? url = null)
    {
        TopicOutput output;
        var input = Input(title, text, url);
        // A prediction engine is not thread-safe; classification is quick next to everything else an article goes through.
        lock (_gate)
        {
            output = _engine.Predict(input);
        }
        return output.Score
            .Select((score, index) => new TopicScore(_labels[index], Math.Round(score, 3)))
            .OrderByDescending(topic => topic.Score)
            .Where((topic, rank) => rank == 0 || topic.Score >= MinimumScore)
            .ToList();
    }

    /// <summary>Trains a model on <paramref name="articles"/> and writes it to <paramref name="path"/>.</summary>
    /// <param name="regularization">The L2 weight; <see cref="Regularization"/> unless a validation split says otherwise.</param>
    public static TopicClassifier Train(IEnumerable<LabelledArticle> articles, string path, float regularization = Regularization)
    {
        var ml = new MLContext(seed: 1);
        var inputs = articles.Select(article => Input(article.Title, article.Text, article.Url, article.Label)).ToList();
        // Each topic weighs as much as the others in total: macro-F1 counts culture, the rarest topic, as much as international news, which has eleven times its articles.
        var perLabel = inputs.CountBy(input => input.Label).ToDictionary();
        foreach (var input in inputs)
        {
            input.Weight = (float)inputs.Count / (perLabel.Count * perLabel[input.Label]);
        }
        var data = ml.Data.LoadFromEnumerable(inputs);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            // Unigrams, bigrams and character 4-grams, the most frequent only, so the model stays a few megabytes.
            .Append(ml.Transforms.Text.FeaturizeText("Words", WordFeatures(maximumUnigrams: 60_000, maximumBigrams: 40_000, maximumCharacterGrams: 20_000), nameof(TopicInput.Text)))
            .Append(ml.Transforms.Text.FeaturizeText("SiteWords", WordFeatures(maximumUnigrams: 20_000, maximumBigrams: 0, maximumCharacterGrams: 0), nameof(TopicInput.SiteWords)))
            .Append(ml.Transforms.Concatenate("Features", "Words", "SiteWords"))
            .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
            {
                LabelColumnName = "Label",
                FeatureColumnName = "Features",
                ExampleWeightColumnName = nameof(TopicInput.Weight),
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

    /// <param name="maximumCharacterGrams">
    /// How many character 4-grams (none when 0). They reach inside words that Arabic joins its clitics and endings to
    /// (وبالمفاوضات shares مفاو with مفاوضات), which word features see as different words: macro-F1 0.892 → 0.899 on
    /// the validation split (<c>--tune</c>), where 3-grams gave 0.898.
    /// </param>
    private static TextFeaturizingEstimator.Options WordFeatures(int maximumUnigrams, int maximumBigrams, int maximumCharacterGrams) => new()
    {
        CaseMode = TextNormalizingEstimator.CaseMode.Lower,
        KeepDiacritics = false,
        KeepPunctuations = false,
        KeepNumbers = false,
        CharFeatureExtractor = maximumCharacterGrams > 0
            ? new WordBagEstimator.Options { NgramLength = 4, UseAllLengths = false, MaximumNgramsCount = [maximumCharacterGrams], Weighting = NgramExtractingEstimator.WeightingCriteria.TfIdf }
            : null,
        WordFeatureExtractor = maximumBigrams > 0
            ? new WordBagEstimator.Options { NgramLength = 2, UseAllLengths = true, MaximumNgramsCount = [maximumUnigrams, maximumBigrams], Weighting = NgramExtractingEstimator.WeightingCriteria.TfIdf }
            : new WordBagEstimator.Options { NgramLength = 1, MaximumNgramsCount = [maximumUnigrams], Weighting = NgramExtractingEstimator.WeightingCriteria.TfIdf },
        Norm = TextFeaturizingEstimator.NormFunction.L2,
    };

    private static TopicInput Input(string title, string text, string? url, string label = "")
    {
        var prepared = Prepare(title, text);
        var site = SiteOf(url);
        return new TopicInput
        {
            Text = prepared,
            // Each word again, prefixed with the site's name (letters only, so the tokenizer keeps it one word).
            SiteWords = site.Length == 0 ? "" : string.Join(' ', prepared.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(word => site + word)),
            Label = label,
        };
    }

    /// <summary>The site an article is from, as one latin word: its host without "www." and without dots (arabiccnncom).</summary>
    public static string SiteOf(string? url)
    {
        if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var address) || address.Host.Length == 0)
        {
            return "";
        }
        var host = address.Host.StartsWith("www.", StringComparison.OrdinalIgnoreCase) ? address.Host[4..] : address.Host;
        return string.Concat(host.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit));
    }

    // The same folding as search (hamza, taa marbuta, alef maqsura, tashkeel, digits), the article and the
    // conjunction و taken off words long enough to keep a stem, so الحكومة and حكومة are one feature; the title counts twice.
    private static string Prepare(string title, string text) =>
        ArticlePrefix().Replace(ArabicNormalizer.Normalize(title + "\n" + title + "\n" + text), "");

    [System.Text.RegularExpressions.GeneratedRegex(@"(?<![\p{L}\p{M}])(?:وال|بال|كال|فال|لل|ال)(?=\p{L}{3,})")]
    private static partial System.Text.RegularExpressions.Regex ArticlePrefix();

    private sealed class TopicInput
    {
        public string Text { get; set; } = "";

        public string SiteWords { get; set; } = "";

        public string Label { get; set; } = "";

        public float Weight { get; set; } = 1;
    }

    private sealed class TopicOutput
    {
        public string PredictedLabel { get; set; } = "";

        public float[] Score { get; set; } = [];
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
