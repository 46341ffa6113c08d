using Marsad.Testing;
using Xunit.Abstractions;
using Marsad.Search.Queries;

namespace Marsad.Search.Tests;

/// <summary>Pre-selecting subscriptions by the terms they require changes what is tested, never what matches.</summary>
[Trait(Needs.Trait, Needs.SharedData)]
public sealed class StoredQueryIndexTests(ITestOutputHelper output)
{
    [Fact]
    public void Pre_selection_finds_exactly_the_queries_that_testing_every_query_finds_and_tests_few_of_them()
    {
        var articles = AntCorpus.Sample(every: 150).ToList();
        Assert.True(articles.Count > 150, "expected the ANT corpus under ../shared/data/arabic-news");
        var queries = SubscriptionQueries.Generate(articles, 600)
            .Concat(["الناتو", "أوكرانيا AND الناتو", "روسيا -أوكرانيا", "lang:ar AND النفط", "\"أسعار النفط\"", "entity:روسيا", "-الرياضة", "النف~1", "title:الناتو"])
            .Select(query => StoredQueryMatcher.Compile(query))
            .ToList();
        var index = new StoredQueryIndex<StoredQuery>(queries, query => query);

        var tested = 0;
        var matched = 0;
        foreach (var article in articles.Select(AntCorpus.ToDocument))
        {
            var everyQuery = StoredQueryMatcher.Matching(article, queries, query => query).Select(query => query.Text).Order(StringComparer.Ordinal).ToList();
            var preSelected = StoredQueryMatcher.Matching(article, index, out var testedHere).Select(query => query.Text).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(everyQuery, preSelected);
            tested += testedHere;
            matched += everyQuery.Count;
        }
        var share = (double)tested / (articles.Count * queries.Count);
        output.WriteLine($"{articles.Count} articles × {queries.Count} queries: {matched} matches; {share:P1} of the queries tested ({index.AlwaysTested} on every article)");
        Assert.True(matched > articles.Count, "the generated queries should match articles");
        Assert.True(share < 0.25, $"{share:P1} of the queries were tested");
        // A bare negation and a fuzzy term cannot be pre-selected; everything else can.
        Assert.Equal(2, index.AlwaysTested);
    }
}
