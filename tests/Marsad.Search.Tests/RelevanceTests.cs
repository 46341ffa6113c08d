using Marsad.Testing;

namespace Marsad.Search.Tests;

/// <summary>The relevance set's sample of the ANT corpus (tests/relevance), in both stores at once.</summary>
[Trait(Needs.Trait, Needs.Elasticsearch)]
[Trait(Needs.Trait, Needs.SharedData)]
public sealed class RelevanceSampleInBothStores : AntArticlesInBothStores
{
    public RelevanceSet Set { get; } = RelevanceSet.Load();

    public IReadOnlyList<AntArticle> Sample { get; private set; } = [];

    protected override IReadOnlyList<ArticleDocument> Articles()
    {
        Sample = Set.Sample();
        return Sample.Select(AntCorpus.ToDocument).ToList();
    }
}

/// <summary>Every query of the relevance set finds every article judged relevant, and none of its near misses, in both stores.</summary>
[Trait(Needs.Trait, Needs.Elasticsearch)]
[Trait(Needs.Trait, Needs.SharedData)]
public sealed class RelevanceTests(RelevanceSampleInBothStores sample) : IClassFixture<RelevanceSampleInBothStores>
{
    public static TheoryData<string> QueryIds() => [.. RelevanceSet.Load().Queries.Select(query => query.Id)];

    [Fact]
    public void The_judgements_are_what_their_patterns_select_in_the_sample()
    {
        foreach (var query in sample.Set.Queries)
        {
            Assert.True(query.Relevant.Count >= 5, $"{query.Id}: too few relevant articles ({query.Relevant.Count}) to measure anything");
            Assert.Equal(RelevanceSet.Select(query.Judge, sample.Sample), query.Relevant);
        }
    }

    [Theory]
    [MemberData(nameof(QueryIds))]
    public async Task Finds_every_relevant_article_and_no_near_miss_in_both_stores(string id)
    {
        var query = sample.Set.Queries.Single(candidate => candidate.Id == id);
        var nearMisses = RelevanceSet.NearMisses(query, sample.Sample);
        foreach (var (name, store) in new[] { ("Lucene", (ISearchStore)sample.Lucene), ("Elasticsearch", sample.Elasticsearch) })
        {
            var result = await RelevanceSet.EvaluateAsync(store, query, nearMisses, CancellationToken.None);
            Assert.True(result.Missed.Count == 0, $"{name}: `{query.Query}` missed {string.Join(' ', result.Missed.Take(10))}");
            Assert.True(result.WronglyFound.Count == 0, $"{name}: `{query.Query}` found near misses {string.Join(' ', result.WronglyFound)}");
        }
    }

    [Fact]
    public void The_over_stemming_queries_have_near_misses_to_avoid()
    {
        // Otherwise the near-miss check above could not fail.
        foreach (var query in sample.Set.Queries.Where(query => query.Exclude is not null))
        {
            Assert.NotEmpty(RelevanceSet.NearMisses(query, sample.Sample));
        }
    }
}
