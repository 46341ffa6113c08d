using System.Globalization;
using System.Numerics.Tensors;

namespace Marsad.Classifier.Entities;

/// <summary>
/// Words grouped by the company they keep, learnt from unlabelled news: words written in the same places (the same
/// words just before and after them) share a cluster. The entity tagger learns from 4,760 sentences; most names in
/// an article it has never seen, but their cluster it has, with the names it was trained on (Turian, Ratinov and
/// Bengio 2010: word clusters as features for NER). Each word has a fine cluster and the coarse cluster it falls in.
/// Learnt by <c>./marsad train word-clusters</c> (spherical k-means over positive PMI context vectors, randomly
/// projected); the clusters ship as Models/word-clusters.tsv.gz, keyed by <see cref="Marsad.Search.EntityAliases.Key"/>.
/// </summary>
public sealed class WordClusters
{
    public static string ShippedPath { get; } = Path.Combine(AppContext.BaseDirectory, "Models", "word-clusters.tsv.gz");

    private static readonly Lazy<WordClusters?> ShippedClusters = new(() => File.Exists(ShippedPath) ? Load(ShippedPath) : null);

    /// <summary>The clusters shipped with Marsad, or null when there are none beside the binaries.</summary>
    public static WordClusters? Shipped => ShippedClusters.Value;

    internal IReadOnlyDictionary<string, (int Fine, int Coarse)> Clusters => _clusters;

    private readonly Dictionary<string, (int Fine, int Coarse)> _clusters;
    private readonly Dictionary<string, (int Fine, int Coarse)>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    internal WordClusters(Dictionary<string, (int Fine, int Coarse)> clusters)
    {
        _clusters = clusters;
        _lookup = clusters.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count => _clusters.Count;

    /// <summary>The clusters of a word (its key), or null for a word too rare in the text they were learnt from.</summary>
    public (int Fine, int Coarse)? Of(ReadOnlySpan<char> key) => _lookup.TryGetValue(key, out var cluster) ? cluster : null;

    public static WordClusters Load(string path)
    {
        var clusters = new Dictionary<string, (int, int)>(StringComparer.Ordinal);
        foreach (var (number, fields) in GzippedTable.Read(path))
        {
            if (fields.Length != 3
                || !int.TryParse(fields[1], CultureInfo.InvariantCulture, out var fine)
                || !int.TryParse(fields[2], CultureInfo.InvariantCulture, out var coarse))
            {
                throw new InvalidDataException($"{path}:{number}: expected a word, its fine cluster and its coarse cluster");
            }
            clusters[fields[0]] = (fine, coarse);
        }
        return new WordClusters(clusters);
    }
}
