using System.Globalization;
using Marsad.Search;

namespace Marsad.Classifier.Entities;

/// <summary>
/// A named-entity tagger for Arabic news: an averaged structured perceptron (Collins 2002) that tags tokens left to
/// right with IOB2 tags of the three kinds (person, place, organisation), keeping the few best taggings so far (a
/// beam), from the words around a token, its prefixes and suffixes, the tags the tagging has given the two tokens
/// before, what the gazetteer says about the token, the word clusters of the token and its neighbours
/// (<see cref="WordClusters"/>), and what it tagged the same word in the sentences before
/// (<see cref="DocumentMemory"/>). Trained by <c>./marsad train entities</c> on NewsFANE Gold; the model ships as
/// Models/entities.tsv.gz, and is used with the clusters it was trained with.
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
    private readonly int _beamWidth;

    private EntityTagger(Dictionary<string, float[]> weights, WordClusters? clusters, int beamWidth) => (_weights, _clusters, _beamWidth) = (weights, clusters, beamWidth);

    /// <summary>How many partial taggings the search keeps at each token (cross-validated F1 on the corpus's split tokens: 0.708 with one, 0.711 with four, 0.712 with eight).</summary>
    public const int DefaultBeamWidth = 4;

    /// <summary>
    /// The tags of a sentence's tokens, given the gazetteer's tag of each (<see cref="Outside"/> where it knows none)
    /// and the memory of the sentences before it in its document, which then remembers this one.
    /// </summary>
    public string[] Tag(IReadOnlyList<string> tokens, IReadOnlyList<string> gazetteer, DocumentMemory? memory = null)
    {
        var keys = tokens.Select(EntityAliases.Key).ToArray();
        var clusters = ClustersOf(keys, _clusters);
        var recalled = (memory ?? new DocumentMemory()).Recall(keys);
        // Each feature is looked up as it is built, in one reused buffer: no string is made for it (the tagger
        // once allocated 4.5 MB an article doing so, most of the pipeline's garbage).
        var weights = _weights.GetAlternateLookup<ReadOnlySpan<char>>();
        var feature = new FeatureBuilder();
        // One sink for the whole sentence, adding into whichever scores the search is filling.
        var scores = Array.Empty<double>();
        FeatureSink add = built =>
        {
            if (weights.TryGetValue(built, out var row))
            {
                for (var label = 0; label < scores.Length; label++)
                {
                    scores[label] += row[label];
                }
            }
        };
        var (best, _) = Search(keys.Length, _beamWidth, gold: null,
            (i, tokenScores) =>
            {
                scores = tokenScores;
                TokenFeatures(keys, clusters, gazetteer, recalled, i, feature, add);
            },
            (i, previous, beforePrevious, historyScores) =>
            {
                scores = historyScores;
                HistoryFeatures(keys, clusters, gazetteer, previous, beforePrevious, i, feature, add);
            });
        var tags = Array.ConvertAll(best, label => Labels[label]);
        memory?.Remember(keys, tags);
        return tags;
    }

    private delegate void TokenScorer(int i, double[] scores);

    private delegate void HistoryScorer(int i, string previous, string beforePrevious, double[] scores);

    /// <summary>
    /// Beam search over the sentence's taggings, left to right, keeping the <paramref name="width"/> best at each
    /// token; returns the best tagging's labels. In training (<paramref name="gold"/> given) it stops as soon as the
    /// gold tagging falls out of the beam, and returns both taggings that far, so the update is made where the
    /// mistake was (early update, Collins &amp; Roark 2004).
    /// </summary>
    private static (int[] Guess, int[]? Gold) Search(int length, int width, int[]? gold, TokenScorer scoreToken, HistoryScorer scoreHistory)
    {
        if (length == 0)
        {
            return ([], gold is null ? null : []);
        }
        var beam = new Beam(length, width);
        var tokenScores = new double[Labels.Length];
        var scores = new double[Labels.Length];
        var candidates = new Beam.Entry[width * Labels.Length];
        for (var i = 0; i < length; i++)
        {
            Array.Clear(tokenScores);
            scoreToken(i, tokenScores);
            var count = 0;
            for (var kept = 0; kept < (i == 0 ? 1 : beam.Count(i - 1)); kept++)
            {
                var previous = beam.TagOf(i - 1, kept);
                var (score, isGold) = i == 0 ? (0.0, gold is not null) : (beam[i - 1, kept].Score, beam[i - 1, kept].IsGold);
                tokenScores.CopyTo(scores, 0);
                scoreHistory(i, previous, beam.TagBefore(i - 1, kept), scores);
                for (var label = 0; label < Labels.Length; label++)
                {
                    if (Allowed(i == 0 ? Outside : previous, Labels[label]))
                    {
                        candidates[count] = new Beam.Entry(kept, label, score + scores[label], isGold && gold![i] == label, count);
                        count++;
                    }
                }
            }
            var ranked = candidates.AsSpan(0, count);
            ranked.Sort(Beam.Entry.Better);
            beam.Keep(i, ranked[..Math.Min(width, count)]);
            if (gold is not null && Beam.IndexOfGold(beam.Kept(i)) < 0)
            {
                // The gold tag is always among the candidates: GoldLabels repairs a tag that could not follow.
                return (beam.LabelsOf(ranked[0], i), beam.LabelsOf(ranked[Beam.IndexOfGold(ranked)], i));
            }
        }
        var last = beam.Kept(length - 1);
        return (beam.LabelsOf(last[0], length - 1), gold is null ? null : beam.LabelsOf(last[Beam.IndexOfGold(last)], length - 1));
    }

    /// <summary>The partial taggings a search kept: at each token, up to the beam's width, each extending one kept at the token before.</summary>
    private sealed class Beam(int length, int width)
    {
        /// <summary>One kept tagging: the one it extends at the token before, its label here, its score, and whether it is the gold tagging so far.</summary>
        public readonly record struct Entry(int Back, int Label, double Score, bool IsGold, int Order)
        {
            /// <summary>Higher scores first; ties go to the earlier candidate, so a beam of one tags as a greedy tagger would.</summary>
            public static int Better(Entry a, Entry b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Order.CompareTo(b.Order);
        }

        private readonly Entry[] _entries = new Entry[length * width];
        private readonly int[] _counts = new int[length];

        public ref Entry this[int i, int kept] => ref _entries[i * width + kept];

        public int Count(int i) => _counts[i];

        public ReadOnlySpan<Entry> Kept(int i) => _entries.AsSpan(i * width, _counts[i]);

        public void Keep(int i, ReadOnlySpan<Entry> entries)
        {
            entries.CopyTo(_entries.AsSpan(i * width));
            _counts[i] = entries.Length;
        }

        /// <summary>Where the gold tagging is among <paramref name="entries"/>, or -1.</summary>
        public static int IndexOfGold(ReadOnlySpan<Entry> entries)
        {
            for (var k = 0; k < entries.Length; k++)
            {
                if (entries[k].IsGold)
                {
                    return k;
                }
            }
            return -1;
        }

        /// <summary>The tag of a kept tagging at token <paramref name="i"/> ("&lt;s&gt;" before the sentence).</summary>
        public string TagOf(int i, int kept) => i < 0 ? "<s>" : Labels[this[i, kept].Label];

        /// <summary>The tag the same tagging gave the token before <paramref name="i"/>.</summary>
        public string TagBefore(int i, int kept) => i <= 0 ? "<s>" : TagOf(i - 1, this[i, kept].Back);

        /// <summary>The labels of the tagging that ends with <paramref name="last"/> at token <paramref name="i"/>.</summary>
        public int[] LabelsOf(Entry last, int i)
        {
            var labels = new int[i + 1];
            for (var entry = last; ; entry = this[i - 1, entry.Back], i--)
            {
                labels[i] = entry.Label;
                if (i == 0)
                {
                    return labels;
                }
            }
        }
    }

    /// <summary>Each token's clusters, or those of the word without its joined prefix (وبوتين is found as بوتين).</summary>
    private static (int Fine, int Coarse)?[] ClustersOf(string[] keys, WordClusters? clusters) =>
        clusters is null ? new (int, int)?[keys.Length] : [.. keys.Select(key => clusters.Of(key) ?? clusters.Of(Unprefixed(key)))];

    private static bool Allowed(string previous, string label) =>
        !label.StartsWith("I-", StringComparison.Ordinal) || (previous.Length > 2 && previous[2..] == label[2..]);

    private delegate void FeatureSink(ReadOnlySpan<char> feature);

    /// <summary>
    /// The features of token <paramref name="i"/> that do not depend on the tags before it, each handed to
    /// <paramref name="sink"/> as it is built in <paramref name="f"/>.
    /// </summary>
    private static void TokenFeatures(
        string[] keys, (int Fine, int Coarse)?[] clusters, IReadOnlyList<string> gazetteer, IReadOnlyList<DocumentMemory.Recollection> recalled, int i, FeatureBuilder f, FeatureSink sink)
    {
        string At(int k) => k < 0 ? "<s>" : k >= keys.Length ? "</s>" : keys[k];
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
        for (var length = 1; length <= 4; length++)
        {
            sink(f.Start("p").Add(length).Add("=").Add(word.AsSpan(0, Math.Min(length, word.Length))).Span);
            sink(f.Start("s").Add(length).Add("=").Add(word.AsSpan(Math.Max(0, word.Length - length))).Span);
            sink(f.Start("ss").Add(length).Add("=").Add(stem[Math.Max(0, stem.Length - length)..]).Span);
        }
        sink(f.Start("shape=").Add(Shape(word)).Span);
        sink(f.Start("length=").Add(Math.Min(word.Length, 8)).Span);
        sink(f.Start("g=").Add(GazetteerAt(i)).Span);
        sink(f.Start("g-1=").Add(GazetteerAt(i - 1)).Span);
        sink(f.Start("g+1=").Add(GazetteerAt(i + 1)).Span);
        sink(f.Start("g,w=").Add(GazetteerAt(i)).Add(" ").Add(word).Span);
        if (clusters[i] is { } cluster)
        {
            sink(f.Start("c=").Add(cluster.Fine).Span);
            sink(f.Start("cc=").Add(cluster.Coarse).Span);
        }
        else
        {
            sink(f.Start("c=none").Span);
        }
        sink(f.Start("c-1=").Add(FineAt(i - 1)).Span);
        sink(f.Start("c+1=").Add(FineAt(i + 1)).Span);
        sink(f.Start("cc-1,cc=").Add(CoarseAt(i - 1)).Add(" ").Add(CoarseAt(i)).Span);
        sink(f.Start("cc,cc+1=").Add(CoarseAt(i)).Add(" ").Add(CoarseAt(i + 1)).Span);
        sink(f.Start("h=").Add(recalled[i].Mostly).Span);
        sink(f.Start("h+=").Add(recalled[i].AsName).Span);

        int FineAt(int k) => k < 0 || k >= keys.Length ? -1 : clusters[k]?.Fine ?? -2;
        int CoarseAt(int k) => k < 0 || k >= keys.Length ? -1 : clusters[k]?.Coarse ?? -2;
    }

    /// <summary>The features of token <paramref name="i"/> that join it with the tags a tagging gave the two tokens before it.</summary>
    private static void HistoryFeatures(string[] keys, (int Fine, int Coarse)?[] clusters, IReadOnlyList<string> gazetteer, string previous, string beforePrevious, int i, FeatureBuilder f, FeatureSink sink)
    {
        sink(f.Start("t-1=").Add(previous).Span);
        sink(f.Start("t-2,t-1=").Add(beforePrevious).Add(" ").Add(previous).Span);
        sink(f.Start("t-1,w=").Add(previous).Add(" ").Add(keys[i]).Span);
        sink(f.Start("t-1,g=").Add(previous).Add(" ").Add(gazetteer[i]).Span);
        if (clusters[i] is { } cluster)
        {
            sink(f.Start("t-1,cc=").Add(previous).Add(" ").Add(cluster.Coarse).Span);
        }
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
    internal static ReadOnlySpan<char> Unprefixed(string word)
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
    /// How many orders of the training sentences the tagger is trained in, the model being the average of their
    /// weights. One order's weights carry the chance of which sentences it met last; averaged over three, the
    /// cross-validated F1 on the corpus as written went from 0.738, 0.736 and 0.739 (orders 1, 2 and 3 alone) to 0.745
    /// (orders 1–3) and 0.744 (orders 4–6), for three times the training. Five orders gave 0.742.
    /// </summary>
    public const int DefaultOrders = 3;

    /// <summary>
    /// Trains on tagged sentences (tokens, their gold IOB2 tags and the gazetteer's tags) for a number of passes, in
    /// <paramref name="orders"/> orders shuffled the same way on every run (trained side by side), each averaging its
    /// weights over all its updates, and averages the orders' weights. Each sentence is searched as tagging searches it,
    /// and updated where the gold tagging first falls out of the beam: a tagger trained to go on after its own mistakes
    /// learnt from tags it would never have been given (cross-validated F1 on the corpus's split tokens: 0.675 that way,
    /// 0.708 with a beam of one and early updates, 0.711 with a beam of four, 0.714 with 20 passes instead of 12).
    /// </summary>
    public static EntityTagger Train(IReadOnlyList<TaggedSentence> sentences, WordClusters? clusters, int passes = 20, int beamWidth = DefaultBeamWidth, int orders = DefaultOrders)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(orders, 1);
        var trained = new Dictionary<string, double[]>[orders];
        Parallel.For(0, orders, order => trained[order] = TrainInOrder(sentences, clusters, passes, beamWidth, seed: order + 1));
        var averaged = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var feature in trained.SelectMany(weights => weights.Keys).Distinct())
        {
            // Each order's row looked up once, and summed in the orders' own order, so the model is the same whatever ran first.
            var rows = trained.Select(weights => weights.GetValueOrDefault(feature)).ToArray();
            var average = new float[Labels.Length];
            for (var label = 0; label < Labels.Length; label++)
            {
                average[label] = (float)Math.Round(rows.Sum(row => row?[label] ?? 0) / orders, 3);
            }
            if (average.Any(weight => weight != 0))
            {
                averaged[feature] = average;
            }
        }
        return new EntityTagger(averaged, clusters, beamWidth);
    }

    /// <summary>
    /// The share of training sentences, drawn anew each pass, whose gazetteer findings are hidden from the tagger. A
    /// tagger that always has them leans on them, and learns less of the context that must tell it the names the
    /// gazetteer does not know; hiding them at times (a dropout of that one feature) made it learn both
    /// (cross-validated F1 on the corpus as written: 0.745 → 0.750 with orders 1–3, 0.744 → 0.751 with orders 4–6;
    /// hiding half of them: 0.749). Hiding the memory's recollections the same way lowered it to 0.742.
    /// </summary>
    private const double HiddenGazetteerShare = 0.3;

    /// <summary>One order's weights, each averaged over all the updates of its training.</summary>
    private static Dictionary<string, double[]> TrainInOrder(IReadOnlyList<TaggedSentence> sentences, WordClusters? clusters, int passes, int beamWidth, int seed)
    {
        var weights = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var totals = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var stamps = new Dictionary<string, int[]>(StringComparer.Ordinal);
        var step = 0;
        var order = Enumerable.Range(0, sentences.Count).ToArray();
        var random = new Random(seed);
        var hiding = new Random(seed + 1000);
        var builder = new FeatureBuilder();
        for (var pass = 0; pass < passes; pass++)
        {
            random.Shuffle(order);
            foreach (var sentence in order.Select(index => sentences[index]))
            {
                var keys = sentence.Tokens.Select(EntityAliases.Key).ToArray();
                var sentenceClusters = ClustersOf(keys, clusters);
                var gold = GoldLabels(sentence.Tags);
                var gazetteer = hiding.NextDouble() < HiddenGazetteerShare ? Enumerable.Repeat(Outside, keys.Length).ToArray() : sentence.Gazetteer;
                var tokenFeatures = new List<string>[keys.Length];
                for (var i = 0; i < keys.Length; i++)
                {
                    tokenFeatures[i] = Strings(sink => TokenFeatures(keys, sentenceClusters, gazetteer, sentence.Recalled, i, builder, sink));
                }
                List<string> History(int i, string previous, string beforePrevious) =>
                    Strings(sink => HistoryFeatures(keys, sentenceClusters, gazetteer, previous, beforePrevious, i, builder, sink));

                var (guessed, goldSoFar) = Search(keys.Length, beamWidth, gold,
                    (i, scores) => { step++; Score(tokenFeatures[i], scores); },
                    (i, previous, beforePrevious, scores) => Score(History(i, previous, beforePrevious), scores));
                var right = goldSoFar!;
                if (guessed.AsSpan().SequenceEqual(right))
                {
                    continue;
                }
                // The two taggings, as far as the search went, part where their labels or histories differ.
                string TagOf(int[] labels, int k) => k < 0 ? "<s>" : Labels[labels[k]];
                for (var i = 0; i < right.Length; i++)
                {
                    if (guessed[i] == right[i] && TagOf(guessed, i - 1) == TagOf(right, i - 1) && TagOf(guessed, i - 2) == TagOf(right, i - 2))
                    {
                        continue;
                    }
                    if (guessed[i] != right[i])
                    {
                        foreach (var feature in tokenFeatures[i])
                        {
                            Update(feature, right[i], +1);
                            Update(feature, guessed[i], -1);
                        }
                    }
                    foreach (var feature in History(i, TagOf(right, i - 1), TagOf(right, i - 2)))
                    {
                        Update(feature, right[i], +1);
                    }
                    foreach (var feature in History(i, TagOf(guessed, i - 1), TagOf(guessed, i - 2)))
                    {
                        Update(feature, guessed[i], -1);
                    }
                }
            }
        }
        var averaged = new Dictionary<string, double[]>(weights.Count, StringComparer.Ordinal);
        foreach (var (feature, row) in weights)
        {
            var average = new double[Labels.Length];
            for (var label = 0; label < Labels.Length; label++)
            {
                average[label] = (totals[feature][label] + (step - stamps[feature][label]) * row[label]) / step;
            }
            averaged[feature] = average;
        }
        return averaged;

        void Score(List<string> features, double[] scores)
        {
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
        }

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

    /// <summary>The features a builder makes, as strings (training keeps them; tagging never makes them).</summary>
    private static List<string> Strings(Action<FeatureSink> features)
    {
        var strings = new List<string>(56);
        features(built => strings.Add(built.ToString()));
        return strings;
    }

    /// <summary>The gold tags as label numbers, an I- tag that follows nothing of its kind read as B- (it begins one).</summary>
    private static int[] GoldLabels(IReadOnlyList<string> tags)
    {
        var labels = new int[tags.Count];
        for (var i = 0; i < tags.Count; i++)
        {
            var tag = Allowed(i == 0 ? Outside : Labels[labels[i - 1]], tags[i]) ? tags[i] : "B-" + tags[i][2..];
            labels[i] = Array.IndexOf(Labels, tag);
        }
        return labels;
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
        return new EntityTagger(weights, clusters, DefaultBeamWidth);
    }
}

/// <summary>
/// A sentence for training: its tokens, their gold tags (<see cref="EntityTagger.Labels"/>), the gazetteer's tags, and
/// what each word was tagged in the sentences before it in its document.
/// </summary>
public sealed record TaggedSentence(IReadOnlyList<string> Tokens, IReadOnlyList<string> Tags, IReadOnlyList<string> Gazetteer, IReadOnlyList<DocumentMemory.Recollection> Recalled);
