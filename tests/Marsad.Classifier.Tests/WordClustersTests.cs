using Marsad.Classifier.Entities;
using Marsad.Search;

namespace Marsad.Classifier.Tests;

/// <summary>The word clusters the entity tagger uses: learnt from unlabelled news, shipped beside the model.</summary>
public sealed class WordClustersTests
{
    private static WordClusters Shipped =>
        WordClusters.Shipped ?? throw new InvalidOperationException($"No word clusters at {WordClusters.ShippedPath} (./marsad train word-clusters writes them)");

    private static (int Fine, int Coarse) Of(string word) =>
        Shipped.Of(EntityAliases.Key(word)) ?? throw new InvalidOperationException($"{word} has no cluster");

    [Fact]
    public void Capitals_fall_together_and_apart_from_verbs()
    {
        string[] capitals = ["باريس", "لندن", "موسكو", "واشنطن", "بكين", "طهران", "القاهرة", "دمشق", "بغداد", "الرياض", "أنقرة", "برلين"];
        string[] verbs = ["قال", "أكد", "أعلن", "أضاف", "أشار", "يذكر", "كشف", "أوضح"];
        var capitalClusters = capitals.Select(capital => Of(capital).Coarse).ToList();
        var usual = capitalClusters.GroupBy(cluster => cluster).MaxBy(group => group.Count())!;
        Assert.True(usual.Count() >= capitals.Length * 2 / 3,
            $"capitals' coarse clusters: {string.Join(", ", capitals.Zip(capitalClusters, (capital, cluster) => $"{capital} {cluster}"))}");
        Assert.DoesNotContain(verbs, verb => Of(verb).Coarse == usual.Key);
    }

    [Fact]
    public void Words_in_the_same_places_share_a_cluster_and_learning_is_repeatable()
    {
        // Two kinds of word in a made-up language: names always after "met", things always after "bought".
        var random = new Random(7);
        string[] names = ["anna", "boris", "chen", "dina", "emre", "farah"];
        string[] things = ["bread", "milk", "tea", "rice", "salt", "soap"];
        var lines = Enumerable.Range(0, 3_000).Select(_ => random.Next(2) == 0
            ? (IReadOnlyList<string>)["today", "we", "met", names[random.Next(names.Length)], "at", "noon"]
            : ["today", "we", "bought", things[random.Next(things.Length)], "for", "lunch"]).ToList();
        var settings = new WordClusterLearning.Settings(MinimumCount: 1, Contexts: 20, Dimensions: 32, Fine: 4, Coarse: 2);

        var clusters = WordClusterLearning.Learn(lines, settings);

        Assert.Single(names.Select(name => clusters.Of(name)!.Value.Fine).Distinct());
        Assert.Single(things.Select(thing => clusters.Of(thing)!.Value.Fine).Distinct());
        Assert.NotEqual(clusters.Of("anna")!.Value.Fine, clusters.Of("bread")!.Value.Fine);
        Assert.Null(clusters.Of("zebra"));

        var path = Path.Combine(Path.GetTempPath(), "marsad-clusters-" + Guid.NewGuid().ToString("N")[..8] + ".tsv.gz");
        try
        {
            clusters.Save(path, "test clusters");
            var again = WordClusterLearning.Learn(lines, settings);
            var loaded = WordClusters.Load(path);
            foreach (var word in lines.SelectMany(line => line).Distinct())
            {
                Assert.Equal(clusters.Of(word), again.Of(word));
                Assert.Equal(clusters.Of(word), loaded.Of(word));
            }
        }
        finally
        {
            File.Delete(path);
        }
    }
}
