using Marsad.Testing;
using Marsad.Search.Queries;

namespace Marsad.Search.Tests;

/// <summary>A stored query matches one article exactly when the same search would find it.</summary>
[Trait(Needs.Trait, Needs.Elasticsearch)]
[Trait(Needs.Trait, Needs.SharedData)]
public sealed class StoredQueryMatcherTests
{
    private static readonly IReadOnlyList<ArticleDocument> Articles = SeedIndexFixture.Articles();

    private static IReadOnlyList<string> ArticlesMatching(string query)
    {
        var compiled = StoredQueryMatcher.Compile(query);
        return Articles.Where(article => StoredQueryMatcher.Matching(article, [compiled], q => q).Any()).Select(article => article.Id).ToList();
    }

    [Theory]
    // With the entity aliases: NATO and Ukraine, l'OTAN and l'Ukraine.
    [InlineData("أوكرانيا AND الناتو", new[] { SeedIndexFixture.SeedId, SeedIndexFixture.EnglishId, SeedIndexFixture.FrenchId })]
    [InlineData("اوكرانيا الناتو", new[] { SeedIndexFixture.SeedId, SeedIndexFixture.EnglishId, SeedIndexFixture.FrenchId })]
    [InlineData("\"أوكرانيا\" AND \"الناتو\"", new[] { SeedIndexFixture.SeedId })]   // quoted: without aliases
    [InlineData("الصين", new[] { SeedIndexFixture.ChinaId })]
    [InlineData("entity:روسيا", new[] { SeedIndexFixture.SeedId })]
    [InlineData("topic:\"international news\"", new[] { SeedIndexFixture.SeedId, SeedIndexFixture.EnglishId })]
    [InlineData("NATO AND lang:en", new[] { SeedIndexFixture.EnglishId })]
    [InlineData("source:\"وكالة الانباء\"", new[] { SeedIndexFixture.SeedId, SeedIndexFixture.ExactId, SeedIndexFixture.StemOnlyId })]
    [InlineData("text.exact:مفاوضات", new[] { SeedIndexFixture.ExactId })]
    [InlineData("زلزال", new string[0])]
    public void Matches_what_the_same_search_finds(string query, string[] expected) =>
        Assert.Equal(expected, ArticlesMatching(query));

    [Fact]
    public async Task Agrees_with_the_index_on_every_query_of_the_seed_suite()
    {
        var index = new LuceneSeedIndex();
        await index.InitializeAsync();
        try
        {
            foreach (var query in new[] { "اوكرانيا", "ناتو", "\"وزراء الخارجية\"", "بوتين", "روســيا", "موسك*", "NATO OR OTAN", "الصين", "Russie", "الناتو", "روسيا -بوتين", "حلف الأطلسي" })
            {
                var searched = (await index.Store.SearchAsync(new SearchRequest { Query = query }, CancellationToken.None)).Hits.Select(hit => hit.Id).Order();
                Assert.Equal(searched, ArticlesMatching(query).Order());
            }
        }
        finally
        {
            await index.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("(((")]
    [InlineData("url:x")]
    [InlineData("")]
    public void A_query_that_cannot_be_used_is_refused_when_compiled(string query) =>
        Assert.Throws<QuerySyntaxException>(() => StoredQueryMatcher.Compile(query));
}
