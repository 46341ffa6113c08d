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
public sealed partial class EntityTagger
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

    /// <summary>The weights by feature, as training made them (a loaded model keeps only <see cref="FeatureWeights"/>).</summary>
    internal IReadOnlyDictionary<string, float[]> Weights =>
        _trained ?? throw new InvalidOperationException("A loaded model keeps its features' hashes, not their names: save the tagger that training made.");

    private readonly Dictionary<string, float[]>? _trained;
    private readonly FeatureWeights _weights;
    // The slots of the features of the tags before a token alone (TagFeatures), for each pair of tags: the same
    // 64 pairs are asked for at every token of every tagging.
    private readonly int[][] _tagFeatureSlots;
    private readonly WordClusters? _clusters;
    private readonly int _beamWidth;

    internal EntityTagger(Dictionary<string, float[]> weights, WordClusters? clusters, int beamWidth)
        : this(new FeatureWeights(weights), clusters, beamWidth) => _trained = weights;

    private EntityTagger(FeatureWeights weights, WordClusters? clusters, int beamWidth)
    {
        (_weights, _clusters, _beamWidth) = (weights, clusters, beamWidth);
        var feature = new FeatureBuilder();
        _tagFeatureSlots = new int[HistoryTags.Length * HistoryTags.Length][];
        for (var previous = 0; previous < HistoryTags.Length; previous++)
        {
            for (var beforePrevious = 0; beforePrevious < HistoryTags.Length; beforePrevious++)
            {
                var slots = new List<int>();
                TagFeatures(HistoryTags[previous], HistoryTags[beforePrevious], feature, built => slots.Add(weights.SlotOf(built)));
                _tagFeatureSlots[previous * HistoryTags.Length + beforePrevious] = [.. slots];
            }
        }
    }

    /// <summary>The tags a token can follow: a label, or the sentence's start.</summary>
    private static readonly string[] HistoryTags = [.. Labels, SentenceStart];

    internal const string SentenceStart = "<s>";

    private static int HistoryTagIndex(string tag)
    {
        for (var i = 0; i < HistoryTags.Length; i++)
        {
            if (ReferenceEquals(tag, HistoryTags[i]))
            {
                return i;
            }
        }
        return Array.IndexOf(HistoryTags, tag);
    }

    /// <summary>How many partial taggings the search keeps at each token (chosen by cross-validation; docs/models/entities.md).</summary>
    public const int DefaultBeamWidth = 4;

    /// <summary>
    /// The tags of a sentence's tokens, given the gazetteer's tag of each (<see cref="Outside"/> where it knows none)
    /// and the memory of the sentences before it in its document, which then remembers this one.
    /// </summary>
    public string[] Tag(IReadOnlyList<string> tokens, IReadOnlyList<string> gazetteer, DocumentMemory? memory = null) =>
        TagKeys([.. tokens.Select(EntityAliases.Key)], gazetteer, memory);

    /// <summary><see cref="Tag"/> of tokens given by their keys (<see cref="EntityAliases.Key"/>).</summary>
    internal string[] TagKeys(string[] keys, IReadOnlyList<string> gazetteer, DocumentMemory? memory = null)
    {
        var clusters = ClustersOf(keys, _clusters);
        var recalled = (memory ?? new DocumentMemory()).Recall(keys);
        // Each feature is looked up as it is built, in one reused buffer: no string is made for it (the tagger
        // once made most of the pipeline's garbage doing so).
        var feature = new FeatureBuilder();
        // One sink for the whole sentence, adding into whichever scores the search is filling.
        var scores = Array.Empty<double>();
        FeatureSink add = built => _weights.Add(built, scores);
        var (best, _) = Search(keys.Length, _beamWidth, gold: null,
            (i, tokenScores) =>
            {
                scores = tokenScores;
                TokenFeatures(keys, clusters, gazetteer, recalled, i, feature, add);
            },
            (i, previous, beforePrevious, historyScores) =>
            {
                scores = historyScores;
                // HistoryFeatures, its features of the tags alone found once for all sentences.
                foreach (var slot in _tagFeatureSlots[HistoryTagIndex(previous) * HistoryTags.Length + HistoryTagIndex(beforePrevious)])
                {
                    _weights.AddSlot(slot, scores);
                }
                TagWordFeatures(keys, clusters, gazetteer, previous, i, feature, add);
            });
        var tags = Array.ConvertAll(best, label => Labels[label]);
        memory?.Remember(keys, tags);
        return tags;
    }

    internal delegate void TokenScorer(int i, double[] scores);

    internal delegate void HistoryScorer(int i, string previous, string beforePrevious, double[] scores);

    /// <summary>
    /// Beam search over the sentence's taggings, left to right, keeping the <paramref name="width"/> best at each
    /// token; returns the best tagging's labels. In training (<paramref name="gold"/> given) it stops as soon as the
    /// gold tagging falls out of the beam, and returns both taggings that far, so the update is made where the
    /// mistake was (early update, Collins &amp; Roark 2004).
    /// </summary>
    internal static (int[] Guess, int[]? Gold) Search(int length, int width, int[]? gold, TokenScorer scoreToken, HistoryScorer scoreHistory)
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
        public string TagOf(int i, int kept) => i < 0 ? SentenceStart : Labels[this[i, kept].Label];

        /// <summary>The tag the same tagging gave the token before <paramref name="i"/>.</summary>
        public string TagBefore(int i, int kept) => i <= 0 ? SentenceStart : TagOf(i - 1, this[i, kept].Back);

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

    /// <param name="clusters">The word clusters the model was trained with (none when it was trained without).</param>
    public static EntityTagger Load(string path, WordClusters? clusters)
    {
        var rows = new List<KeyValuePair<string, float[]>>();
        foreach (var (number, fields) in GzippedTable.Read(path))
        {
            if (fields.Length != Labels.Length + 1)
            {
                throw new InvalidDataException($"{path}:{number}: expected a feature and {Labels.Length} weights");
            }
            rows.Add(new(fields[0], fields.Skip(1).Select(field => float.Parse(field, CultureInfo.InvariantCulture)).ToArray()));
        }
        return new EntityTagger(new FeatureWeights(rows), clusters, DefaultBeamWidth);
    }
}
