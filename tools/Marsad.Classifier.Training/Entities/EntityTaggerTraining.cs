using System.Globalization;
using Marsad.Search;

namespace Marsad.Classifier.Entities;

/// <summary>
/// Training the entity tagger (<see cref="EntityTagger"/>): an averaged structured perceptron, searched as tagging
/// searches and updated early; what was tried and measured is in docs/models/entities.md.
/// </summary>
public static class EntityTaggerTraining
{
    /// <summary>
    /// How many orders of the training sentences the tagger is trained in, the model being the average of their
    /// weights. One order's weights carry the chance of which sentences it met last; averaged over three, the model
    /// scored better on cross-validation than any order alone, for three times the training (docs/models/entities.md).
    /// </summary>
    public const int DefaultOrders = 3;

    /// <summary>
    /// Trains on tagged sentences (tokens, their gold IOB2 tags and the gazetteer's tags) for a number of passes, in
    /// <paramref name="orders"/> orders shuffled the same way on every run (trained side by side), each averaging its
    /// weights over all its updates, and averages the orders' weights. Each sentence is searched as tagging searches it,
    /// and updated where the gold tagging first falls out of the beam: a tagger trained to go on after its own mistakes
    /// learnt from tags it would never have been given (the variants tried and their scores: docs/models/entities.md).
    /// </summary>
    public static EntityTagger Train(IReadOnlyList<TaggedSentence> sentences, WordClusters? clusters, int passes = 20, int beamWidth = EntityTagger.DefaultBeamWidth, int orders = DefaultOrders)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(orders, 1);
        var trained = new Dictionary<string, double[]>[orders];
        Parallel.For(0, orders, order => trained[order] = TrainInOrder(sentences, clusters, passes, beamWidth, seed: order + 1));
        var averaged = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var feature in trained.SelectMany(weights => weights.Keys).Distinct())
        {
            // Each order's row looked up once, and summed in the orders' own order, so the model is the same whatever ran first.
            var rows = trained.Select(weights => weights.GetValueOrDefault(feature)).ToArray();
            var average = new float[EntityTagger.Labels.Length];
            for (var label = 0; label < EntityTagger.Labels.Length; label++)
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
    /// (measured in docs/models/entities.md, with the shares tried). Hiding the memory's recollections the same way did worse.
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
        var builder = new EntityTagger.FeatureBuilder();
        for (var pass = 0; pass < passes; pass++)
        {
            random.Shuffle(order);
            foreach (var sentence in order.Select(index => sentences[index]))
            {
                var keys = sentence.Tokens.Select(EntityAliases.Key).ToArray();
                var sentenceClusters = EntityTagger.ClustersOf(keys, clusters);
                var gold = GoldLabels(sentence.Tags);
                var gazetteer = hiding.NextDouble() < HiddenGazetteerShare ? Enumerable.Repeat(EntityTagger.Outside, keys.Length).ToArray() : sentence.Gazetteer;
                var tokenFeatures = new List<string>[keys.Length];
                for (var i = 0; i < keys.Length; i++)
                {
                    tokenFeatures[i] = Strings(sink => EntityTagger.TokenFeatures(keys, sentenceClusters, gazetteer, sentence.Recalled, i, builder, sink));
                }
                List<string> History(int i, string previous, string beforePrevious) =>
                    Strings(sink => EntityTagger.HistoryFeatures(keys, sentenceClusters, gazetteer, previous, beforePrevious, i, builder, sink));

                var (guessed, goldSoFar) = EntityTagger.Search(keys.Length, beamWidth, gold,
                    (i, scores) => { step++; Score(tokenFeatures[i], scores); },
                    (i, previous, beforePrevious, scores) => Score(History(i, previous, beforePrevious), scores));
                var right = goldSoFar!;
                if (guessed.AsSpan().SequenceEqual(right))
                {
                    continue;
                }
                // The two taggings, as far as the search went, part where their labels or histories differ.
                string TagOf(int[] labels, int k) => k < 0 ? EntityTagger.SentenceStart : EntityTagger.Labels[labels[k]];
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
            var average = new double[EntityTagger.Labels.Length];
            for (var label = 0; label < EntityTagger.Labels.Length; label++)
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
                weights[feature] = row = new double[EntityTagger.Labels.Length];
                totals[feature] = new double[EntityTagger.Labels.Length];
                stamps[feature] = new int[EntityTagger.Labels.Length];
            }
            totals[feature][label] += (step - stamps[feature][label]) * row[label];
            stamps[feature][label] = step;
            row[label] += change;
        }
    }

    /// <summary>The features a builder makes, as strings (training keeps them; tagging never makes them).</summary>
    private static List<string> Strings(Action<EntityTagger.FeatureSink> features)
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
            var tag = EntityTagger.Allowed(i == 0 ? EntityTagger.Outside : EntityTagger.Labels[labels[i - 1]], tags[i]) ? tags[i] : "B-" + tags[i][2..];
            labels[i] = Array.IndexOf(EntityTagger.Labels, tag);
        }
        return labels;
    }

    /// <summary>Writes the weights, one feature a line, gzipped.</summary>
    public static void Save(this EntityTagger tagger, string path, string provenance) =>
        GzippedTable.Write(path, [provenance, "feature<TAB>" + string.Join('\t', EntityTagger.Labels)],
            tagger.Weights.OrderBy(pair => pair.Key, StringComparer.Ordinal)
                .Select(pair => pair.Key.Replace('\t', ' ') + "\t" + string.Join('\t', pair.Value.Select(weight => weight.ToString(CultureInfo.InvariantCulture)))));
}

/// <summary>
/// A sentence for training: its tokens, their gold tags (<see cref="EntityTagger.Labels"/>), the gazetteer's tags, and
/// what each word was tagged in the sentences before it in its document.
/// </summary>
public sealed record TaggedSentence(IReadOnlyList<string> Tokens, IReadOnlyList<string> Tags, IReadOnlyList<string> Gazetteer, IReadOnlyList<DocumentMemory.Recollection> Recalled);
