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

    internal TopicClassifier(MLContext ml, ITransformer model)
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

    /// <param name="maximumCharacterGrams">
    /// How many character 4-grams (none when 0). They reach inside words that Arabic joins its clitics and endings to
    /// (وبالمفاوضات shares مفاو with مفاوضات), which word features see as different words; 4-grams did best on the
    /// validation split (<c>--tune</c>; docs/models/topics.md).
    /// </param>
    internal static TextFeaturizingEstimator.Options WordFeatures(int maximumUnigrams, int maximumBigrams, int maximumCharacterGrams) => new()
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

    internal static TopicInput Input(string title, string text, string? url, string label = "")
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

    internal sealed class TopicInput
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
