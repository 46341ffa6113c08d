using System.Globalization;
using System.Numerics.Tensors;

namespace Marsad.Classifier.Entities;

/// <summary>Learning the word clusters (<c>./marsad train word-clusters</c>) from the ANT corpus's text.</summary>
public static class WordClusterLearning
{
    /// <summary>The settings of <see cref="Learn"/>; the defaults are what the shipped clusters were learnt with.</summary>
    public sealed record Settings(
        int Vocabulary = 40_000, int MinimumCount = 10, int Contexts = 1_000, int Dimensions = 256, int Fine = 512, int Coarse = 64, int Iterations = 12);

    /// <summary>
    /// Learns clusters from lines of words (keys): each frequent word's contexts (the 1,000 most frequent words, one
    /// and two places before and after it) weighed by positive pointwise mutual information, projected at random to
    /// a few dimensions (which keeps cosines near), then grouped by spherical k-means; the fine clusters' centres are
    /// grouped again into the coarse ones. Deterministic: the same text gives the same clusters.
    /// </summary>
    public static WordClusters Learn(IEnumerable<IReadOnlyList<string>> lines, Settings? settings = null)
    {
        settings ??= new Settings();
        var text = lines.ToList();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in text)
        {
            foreach (var word in line)
            {
                counts[word] = counts.GetValueOrDefault(word) + 1;
            }
        }
        var byFrequency = counts.Where(pair => pair.Value >= settings.MinimumCount)
            .OrderByDescending(pair => pair.Value).ThenBy(pair => pair.Key, StringComparer.Ordinal)
            .Select(pair => pair.Key).ToList();
        var words = byFrequency.Take(settings.Vocabulary).ToList();
        var wordIndex = words.Select((word, index) => (word, index)).ToDictionary(pair => pair.word, pair => pair.index, StringComparer.Ordinal);
        // Context 0 is the edge of a line; the others are the most frequent words.
        var contextIndex = byFrequency.Take(settings.Contexts).Select((word, index) => (word, index)).ToDictionary(pair => pair.word, pair => pair.index + 1, StringComparer.Ordinal);
        var contextCount = settings.Contexts + 1;
        int[] offsets = [-2, -1, 1, 2];

        var cooccurrences = new Dictionary<long, int>();
        var contextTotals = new long[offsets.Length * contextCount];
        var wordTotals = new long[words.Count];
        foreach (var line in text)
        {
            for (var i = 0; i < line.Count; i++)
            {
                if (!wordIndex.TryGetValue(line[i], out var word))
                {
                    continue;
                }
                for (var o = 0; o < offsets.Length; o++)
                {
                    var at = i + offsets[o];
                    var context = at < 0 || at >= line.Count ? 0 : contextIndex.GetValueOrDefault(line[at], -1);
                    if (context < 0)
                    {
                        continue;
                    }
                    var feature = o * contextCount + context;
                    var key = (long)word * offsets.Length * contextCount + feature;
                    cooccurrences[key] = cooccurrences.GetValueOrDefault(key) + 1;
                    contextTotals[feature]++;
                    wordTotals[word]++;
                }
            }
        }

        // A fixed random ±1 projection of each context feature (Achlioptas 2003).
        var random = new Random(20141);
        var projection = new float[offsets.Length * contextCount][];
        for (var feature = 0; feature < projection.Length; feature++)
        {
            projection[feature] = [.. Enumerable.Range(0, settings.Dimensions).Select(_ => random.Next(2) == 0 ? -1f : 1f)];
        }
        // Contexts' probabilities smoothed (counts to the power 0.75, Levy, Goldberg and Dagan 2015): a rare context
        // seen with a word once would otherwise outweigh everything it shares with its peers.
        var smoothedTotal = contextTotals.Sum(count => Math.Pow(count, 0.75));
        var vectors = new float[words.Count][];
        for (var word = 0; word < words.Count; word++)
        {
            vectors[word] = new float[settings.Dimensions];
        }
        foreach (var (key, count) in cooccurrences)
        {
            var word = (int)(key / (offsets.Length * contextCount));
            var feature = (int)(key % (offsets.Length * contextCount));
            var pmi = Math.Log(count / (wordTotals[word] * Math.Pow(contextTotals[feature], 0.75) / smoothedTotal));
            if (pmi > 0)
            {
                TensorPrimitives.MultiplyAdd(projection[feature], (float)pmi, vectors[word], vectors[word]);
            }
        }
        foreach (var vector in vectors)
        {
            Normalize(vector);
        }

        var fine = KMeans(vectors, settings.Fine, settings.Iterations, random, out var centres);
        var coarse = KMeans(centres, settings.Coarse, settings.Iterations, random, out _);
        return new WordClusters(words.Select((word, index) => (word, index))
            .ToDictionary(pair => pair.word, pair => (fine[pair.index], coarse[fine[pair.index]]), StringComparer.Ordinal));
    }

    /// <summary>Spherical k-means: each vector to the centre it is nearest by cosine; starts from vectors drawn at random.</summary>
    private static int[] KMeans(float[][] vectors, int k, int iterations, Random random, out float[][] centres)
    {
        k = Math.Min(k, vectors.Length);
        var dimensions = vectors[0].Length;
        var order = Enumerable.Range(0, vectors.Length).ToArray();
        random.Shuffle(order);
        centres = [.. order.Take(k).Select(index => (float[])vectors[index].Clone())];
        var assigned = new int[vectors.Length];
        var current = centres;
        for (var iteration = 0; iteration < iterations; iteration++)
        {
            Parallel.For(0, vectors.Length, index =>
            {
                var best = 0;
                var bestScore = float.NegativeInfinity;
                for (var centre = 0; centre < current.Length; centre++)
                {
                    var score = TensorPrimitives.Dot(vectors[index], current[centre]);
                    if (score > bestScore)
                    {
                        (best, bestScore) = (centre, score);
                    }
                }
                assigned[index] = best;
            });
            var sums = new float[k][];
            for (var centre = 0; centre < k; centre++)
            {
                sums[centre] = new float[dimensions];
            }
            for (var index = 0; index < vectors.Length; index++)
            {
                TensorPrimitives.Add(sums[assigned[index]], vectors[index], sums[assigned[index]]);
            }
            for (var centre = 0; centre < k; centre++)
            {
                // A centre left with no vector keeps its place.
                if (TensorPrimitives.SumOfSquares(sums[centre]) > 0)
                {
                    Normalize(sums[centre]);
                    current[centre] = sums[centre];
                }
            }
        }
        return assigned;
    }

    private static void Normalize(float[] vector)
    {
        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0)
        {
            TensorPrimitives.Divide(vector, norm, vector);
        }
    }

    /// <summary>Writes one word a line with its fine and coarse clusters, gzipped.</summary>
    public static void Save(this WordClusters clusters, string path, string provenance) =>
        GzippedTable.Write(path, [provenance, "word<TAB>fine<TAB>coarse"],
            clusters.Clusters.OrderBy(pair => pair.Value.Coarse).ThenBy(pair => pair.Value.Fine).ThenBy(pair => pair.Key, StringComparer.Ordinal)
                .Select(pair => string.Create(CultureInfo.InvariantCulture, $"{pair.Key}\t{pair.Value.Fine}\t{pair.Value.Coarse}")));
}
