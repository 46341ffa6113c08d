using System.Globalization;
using Marsad.Search;

namespace Marsad.Classifier.Entities;

/// <summary>
/// A named-entity tagger for Arabic news: an averaged perceptron (Collins 2002) that tags tokens left to right with
/// IOB2 tags of the three kinds (person, place, organisation), from the words around a token, its prefixes and
/// suffixes, the tags it has already given, what the gazetteer says about the token, and the word clusters of the
/// token and its neighbours (<see cref="WordClusters"/>). Trained by <c>./marsad train entities</c> on NewsFANE Gold;
/// the model ships as Models/entities.tsv.gz, and is used with the clusters it was trained with.
/// </summary>
public sealed class EntityTagger
{
    public const string Outside = "O";

    public static readonly string[] Labels =
    [
        Outside,
        "B-" + EntityExtractor.Person, "I-" + EntityExtractor.Person,
        "B-" + EntityExtractor.Place, "I-" + EntityExtractor.Place,
        "B-" + EntityExtractor.Organisation, "I-" + EntityExtractor.Organisation,
    ];

    public static string ShippedPath { get; } = Path.Combine(AppContext.BaseDirectory, "Models", "entities.tsv.gz");

    private static readonly Lazy<EntityTagger?> ShippedModel = new(() => File.Exists(ShippedPath) ? Load(ShippedPath, WordClusters.Shipped) : null);

    /// <summary>The model shipped with Marsad, or null when there is none beside the binaries.</summary>
    public static EntityTagger? Shipped => ShippedModel.Value;

    private readonly Dictionary<string, float[]> _weights;
    private readonly WordClusters? _clusters;

    private EntityTagger(Dictionary<string, float[]> weights, WordClusters? clusters) => (_weights, _clusters) = (weights, clusters);

    /// <summary>The tags of a sentence's tokens, given the gazetteer's tag of each (<see cref="Outside"/> where it knows none).</summary>
    public string[] Tag(IReadOnlyList<string> tokens, IReadOnlyList<string> gazetteer)
    {
        var keys = tokens.Select(EntityAliases.Key).ToArray();
        var clusters = ClustersOf(keys, _clusters);
        var tags = new string[tokens.Count];
        var scores = new double[Labels.Length];
        // Each feature is looked up as it is built, in one reused buffer: no string is made for it (the tagger
        // once allocated 4.5 MB an article doing so, most of the pipeline's garbage).
        var weights = _weights.GetAlternateLookup<ReadOnlySpan<char>>();
        var feature = new FeatureBuilder();
        for (var i = 0; i < tokens.Count; i++)
        {
            Array.Clear(scores);
            Features(keys, clusters, gazetteer, tags, i, feature, built =>
            {
                if (weights.TryGetValue(built, out var row))
                {
                    for (var label = 0; label < scores.Length; label++)
                    {
                        scores[label] += row[label];
                    }
                }
            });
            tags[i] = Labels[Best(scores, i == 0 ? Outside : tags[i - 1])];
        }
        return tags;
    }

    /// <summary>The features of token <paramref name="i"/> as strings (training keeps them; tagging never makes them).</summary>
    private static List<string> FeatureStrings(string[] keys, (int Fine, int Coarse)?[] clusters, IReadOnlyList<string> gazetteer, string[] tags, int i)
    {
        var features = new List<string>(56);
        Features(keys, clusters, gazetteer, tags, i, new FeatureBuilder(), built => features.Add(built.ToString()));
        return features;
    }

    /// <summary>Each token's clusters, or those of the word without its joined prefix (وبوتين is found as بوتين).</summary>
    private static (int Fine, int Coarse)?[] ClustersOf(string[] keys, WordClusters? clusters) =>
        clusters is null ? new (int, int)?[keys.Length] : [.. keys.Select(key => clusters.Of(key) ?? clusters.Of(Unprefixed(key)))];

    /// <summary>The best label that may follow <paramref name="previous"/>: an I- tag only continues its own kind.</summary>
    private static int Best(double[] scores, string previous)
    {
        var best = 0;
        for (var label = 1; label < Labels.Length; label++)
        {
            if (Allowed(previous, Labels[label]) && scores[label] > scores[best])
            {
                best = label;
            }
        }
        return best;
    }

    private static bool Allowed(string previous, string label) =>
        !label.StartsWith("I-", StringComparison.Ordinal) || (previous.Length > 2 && previous[2..] == label[2..]);

    private delegate void FeatureSink(ReadOnlySpan<char> feature);

    /// <summary>Every feature of token <paramref name="i"/>, each handed to <paramref name="sink"/> as it is built in <paramref name="f"/>.</summary>
    private static void Features(string[] keys, (int Fine, int Coarse)?[] clusters, IReadOnlyList<string> gazetteer, string[] tags, int i, FeatureBuilder f, FeatureSink sink)
    {
        string At(int k) => k < 0 ? "<s>" : k >= keys.Length ? "</s>" : keys[k];
        string TagAt(int k) => k < 0 ? "<s>" : tags[k];
        string GazetteerAt(int k) => k < 0 || k >= keys.Length ? "-" : gazetteer[k];
        var word = keys[i];
        var stem = Unprefixed(word);
        var previous = At(i - 1);
        var next = At(i + 1);
        sink(f.Start("bias").Span);
        sink(f.Start("w=").Add(word).Span);
        sink(f.Start("stem=").Add(stem).Span);
        sink(f.Start("w-1=").Add(previous).Span);
        sink(f.Start("w+1=").Add(next).Span);
        sink(f.Start("w-2=").Add(At(i - 2)).Span);
        sink(f.Start("w+2=").Add(At(i + 2)).Span);
        sink(f.Start("w-1,w=").Add(previous).Add(" ").Add(word).Span);
        sink(f.Start("w,w+1=").Add(word).Add(" ").Add(next).Span);
        sink(f.Start("stem-1=").Add(Unprefixed(previous)).Span);
        sink(f.Start("stem+1=").Add(Unprefixed(next)).Span);
        sink(f.Start("stem-1,stem=").Add(Unprefixed(previous)).Add(" ").Add(stem).Span);
        sink(f.Start("stem,stem+1=").Add(stem).Add(" ").Add(Unprefixed(next)).Span);
        sink(f.Start("w-2,w-1=").Add(At(i - 2)).Add(" ").Add(previous).Span);
        sink(f.Start("t-1,g=").Add(TagAt(i - 1)).Add(" ").Add(GazetteerAt(i)).Span);
        for (var length = 1; length <= 4; length++)
        {
            sink(f.Start("p").Add(length).Add("=").Add(word.AsSpan(0, Math.Min(length, word.Length))).Span);
            sink(f.Start("s").Add(length).Add("=").Add(word.AsSpan(Math.Max(0, word.Length - length))).Span);
            sink(f.Start("ss").Add(length).Add("=").Add(stem[Math.Max(0, stem.Length - length)..]).Span);
        }
        sink(f.Start("shape=").Add(Shape(word)).Span);
        sink(f.Start("length=").Add(Math.Min(word.Length, 8)).Span);
        sink(f.Start("t-1=").Add(TagAt(i - 1)).Span);
        sink(f.Start("t-2,t-1=").Add(TagAt(i - 2)).Add(" ").Add(TagAt(i - 1)).Span);
        sink(f.Start("t-1,w=").Add(TagAt(i - 1)).Add(" ").Add(word).Span);
        sink(f.Start("g=").Add(GazetteerAt(i)).Span);
        sink(f.Start("g-1=").Add(GazetteerAt(i - 1)).Span);
        sink(f.Start("g+1=").Add(GazetteerAt(i + 1)).Span);
        sink(f.Start("g,t-1=").Add(GazetteerAt(i)).Add(" ").Add(TagAt(i - 1)).Span);
        sink(f.Start("g,w=").Add(GazetteerAt(i)).Add(" ").Add(word).Span);
        if (clusters[i] is { } cluster)
        {
            sink(f.Start("c=").Add(cluster.Fine).Span);
            sink(f.Start("cc=").Add(cluster.Coarse).Span);
            sink(f.Start("t-1,cc=").Add(TagAt(i - 1)).Add(" ").Add(cluster.Coarse).Span);
        }
        else
        {
            sink(f.Start("c=none").Span);
        }
        sink(f.Start("c-1=").Add(FineAt(i - 1)).Span);
        sink(f.Start("c+1=").Add(FineAt(i + 1)).Span);
        sink(f.Start("cc-1,cc=").Add(CoarseAt(i - 1)).Add(" ").Add(CoarseAt(i)).Span);
        sink(f.Start("cc,cc+1=").Add(CoarseAt(i)).Add(" ").Add(CoarseAt(i + 1)).Span);

        int FineAt(int k) => k < 0 || k >= keys.Length ? -1 : clusters[k]?.Fine ?? -2;
        int CoarseAt(int k) => k < 0 || k >= keys.Length ? -1 : clusters[k]?.Coarse ?? -2;
    }

    /// <summary>One feature at a time, written into a buffer that is reused for the next.</summary>
    private sealed class FeatureBuilder
    {
        private char[] _buffer = new char[128];
        private int _length;

        public ReadOnlySpan<char> Span => _buffer.AsSpan(0, _length);

        public FeatureBuilder Start(string name)
        {
            _length = 0;
            return Add(name);
        }

        public FeatureBuilder Add(string text) => Add(text.AsSpan());

        public FeatureBuilder Add(ReadOnlySpan<char> text)
        {
            if (_length + text.Length > _buffer.Length)
            {
                Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + text.Length));
            }
            text.CopyTo(_buffer.AsSpan(_length));
            _length += text.Length;
            return this;
        }

        public FeatureBuilder Add(int number)
        {
            Span<char> digits = stackalloc char[11];
            number.TryFormat(digits, out var written, provider: CultureInfo.InvariantCulture);
            return Add(digits[..written]);
        }

        public override string ToString() => Span.ToString();
    }

    /// <summary>The word without a joined conjunction, preposition or article (والمانيا → المانيا → المانيا's stem المانيا).</summary>
    private static ReadOnlySpan<char> Unprefixed(string word)
    {
        foreach (var prefix in Prefixes)
        {
            if (word.Length - prefix.Length >= 3 && word.StartsWith(prefix, StringComparison.Ordinal))
            {
                return word.AsSpan(prefix.Length);
            }
        }
        return word;
    }

    private static readonly string[] Prefixes = ["وال", "بال", "كال", "فال", "لل", "ال", "و", "ب", "ل"];

    private static string Shape(string word) =>
        word.All(char.IsDigit) ? "digits"
        : word.All(c => !char.IsLetterOrDigit(c)) ? "punctuation"
        : word.Any(c => c is >= 'a' and <= 'z') ? "latin"
        : word.Length <= 2 ? "short"
        : "word";

    /// <summary>
    /// Trains on tagged sentences (tokens, their gold IOB2 tags and the gazetteer's tags) for a number of passes,
    /// shuffled the same way on every run, and averages the weights over all updates.
    /// </summary>
    public static EntityTagger Train(IReadOnlyList<TaggedSentence> sentences, WordClusters? clusters, int passes = 12)
    {
        var weights = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var totals = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var stamps = new Dictionary<string, int[]>(StringComparer.Ordinal);
        var step = 0;
        var order = Enumerable.Range(0, sentences.Count).ToArray();
        var random = new Random(1);
        var scores = new double[Labels.Length];
        for (var pass = 0; pass < passes; pass++)
        {
            random.Shuffle(order);
            foreach (var sentence in order.Select(index => sentences[index]))
            {
                var keys = sentence.Tokens.Select(EntityAliases.Key).ToArray();
                var sentenceClusters = ClustersOf(keys, clusters);
                var tags = new string[keys.Length];
                for (var i = 0; i < keys.Length; i++)
                {
                    step++;
                    var features = FeatureStrings(keys, sentenceClusters, sentence.Gazetteer, tags, i);
                    Array.Clear(scores);
                    foreach (var feature in features)
                    {
                        if (weights.TryGetValue(feature, out var row))
                        {
                            for (var label = 0; label < scores.Length; label++)
                            {
                                scores[label] += row[label];
                            }
                        }
                    }
                    var guess = Best(scores, i == 0 ? Outside : tags[i - 1]);
                    var truth = Array.IndexOf(Labels, sentence.Tags[i]);
                    if (guess != truth)
                    {
                        foreach (var feature in features)
                        {
                            Update(feature, truth, +1);
                            Update(feature, guess, -1);
                        }
                    }
                    // The sentence goes on with what the tagger said, as it will when tagging.
                    tags[i] = Labels[guess];
                }
            }
        }
        var averaged = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var (feature, row) in weights)
        {
            var average = new float[Labels.Length];
            for (var label = 0; label < Labels.Length; label++)
            {
                var total = totals[feature][label] + (step - stamps[feature][label]) * row[label];
                average[label] = (float)Math.Round(total / step, 3);
            }
            if (average.Any(weight => weight != 0))
            {
                averaged[feature] = average;
            }
        }
        return new EntityTagger(averaged, clusters);

        void Update(string feature, int label, double change)
        {
            if (!weights.TryGetValue(feature, out var row))
            {
                weights[feature] = row = new double[Labels.Length];
                totals[feature] = new double[Labels.Length];
                stamps[feature] = new int[Labels.Length];
            }
            totals[feature][label] += (step - stamps[feature][label]) * row[label];
            stamps[feature][label] = step;
            row[label] += change;
        }
    }

    /// <summary>Writes the weights, one feature a line, gzipped.</summary>
    public void Save(string path, string provenance) =>
        GzippedTable.Write(path, [provenance, "feature<TAB>" + string.Join('\t', Labels)],
            _weights.OrderBy(pair => pair.Key, StringComparer.Ordinal)
                .Select(pair => pair.Key.Replace('\t', ' ') + "\t" + string.Join('\t', pair.Value.Select(weight => weight.ToString(CultureInfo.InvariantCulture)))));

    /// <param name="clusters">The word clusters the model was trained with (none when it was trained without).</param>
    public static EntityTagger Load(string path, WordClusters? clusters)
    {
        var weights = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var (number, fields) in GzippedTable.Read(path))
        {
            if (fields.Length != Labels.Length + 1)
            {
                throw new InvalidDataException($"{path}:{number}: expected a feature and {Labels.Length} weights");
            }
            weights[fields[0]] = fields.Skip(1).Select(field => float.Parse(field, CultureInfo.InvariantCulture)).ToArray();
        }
        return new EntityTagger(weights, clusters);
    }
}

/// <summary>A sentence for training: its tokens, their gold tags (<see cref="EntityTagger.Labels"/>) and the gazetteer's tags.</summary>
public sealed record TaggedSentence(IReadOnlyList<string> Tokens, IReadOnlyList<string> Tags, IReadOnlyList<string> Gazetteer);
