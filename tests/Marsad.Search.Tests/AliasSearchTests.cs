using Marsad.Testing;
namespace Marsad.Search.Tests;

[Trait(Needs.Trait, Needs.Elasticsearch)]
[Trait(Needs.Trait, Needs.SharedData)]
public sealed class LuceneAliasSearchTests(LuceneAliasIndex index) : AliasSearchSuite<LuceneAliasIndex>(index);

[Trait(Needs.Trait, Needs.Elasticsearch)]
[Trait(Needs.Trait, Needs.SharedData)]
public sealed class ElasticsearchAliasSearchTests(ElasticsearchAliasIndex index) : AliasSearchSuite<ElasticsearchAliasIndex>(index);

[Trait(Needs.Trait, Needs.Elasticsearch)]
[Trait(Needs.Trait, Needs.SharedData)]
public sealed class LuceneAliasIndex : LuceneSeedIndex
{
    protected override IReadOnlyList<ArticleDocument> IndexedArticles() => AliasArticles.All();
}

[Trait(Needs.Trait, Needs.Elasticsearch)]
[Trait(Needs.Trait, Needs.SharedData)]
public sealed class ElasticsearchAliasIndex : ElasticsearchSeedIndex
{
    protected override IReadOnlyList<ArticleDocument> IndexedArticles() => AliasArticles.All();
}

/// <summary>Articles that name the same entities in different words, languages and spellings.</summary>
public static class AliasArticles
{
    public const string AtlanticId = "alias-atlantic";
    public const string WashingtonId = "alias-washington";
    public const string PutinEnglishId = "alias-putin-en";

    public static IReadOnlyList<ArticleDocument> All() =>
    [
        .. SeedIndexFixture.Articles().Where(article => article.Id is SeedIndexFixture.SeedId or SeedIndexFixture.EnglishId or SeedIndexFixture.FrenchId),
        Article(AtlanticId, "ar", "وزراء الدفاع يبحثون التوتر مع موسكو",
            "اجتمع وزراء دفاع حلف شمال الأطلسي في بروكسل، ودعت أميركا الرئيس الروسي فلاديمير بوتن إلى سحب قواته من حدود جيورجيا."),
        Article(WashingtonId, "ar", "واشنطن تعلن عقوبات جديدة", "أعلنت واشنطن اليوم عقوبات جديدة على شركات الطاقة."),
        Article(PutinEnglishId, "en", "Putin meets Erdogan in Sochi", "Russian President Vladimir Putin met Turkish President Recep Tayyip Erdogan on Monday."),
    ];

    private static ArticleDocument Article(string id, string language, string title, string text) => new()
    {
        Id = id,
        Url = $"https://news.example/{language}/{id}",
        Title = title,
        Text = text,
        Source = "Alias Wire",
        Language = language,
        Published = new DateTimeOffset(2022, 1, 10, 9, 0, 0, TimeSpan.Zero),
    };
}

/// <summary>The shipped entity aliases, applied at query time, find the same articles in both stores.</summary>
[Trait(Needs.Trait, Needs.Elasticsearch)]
[Trait(Needs.Trait, Needs.SharedData)]
public abstract class AliasSearchSuite<TIndex>(TIndex index) : IClassFixture<TIndex>
    where TIndex : SeedIndexFixture
{
    private const string Seed = SeedIndexFixture.SeedId;
    private const string English = SeedIndexFixture.EnglishId;
    private const string French = SeedIndexFixture.FrenchId;
    private const string Atlantic = AliasArticles.AtlanticId;
    private const string Washington = AliasArticles.WashingtonId;
    private const string PutinEnglish = AliasArticles.PutinEnglishId;

    [Theory]
    [InlineData("الناتو", new[] { Seed, English, French, Atlantic })]                  // حلف شمال الأطلسي, NATO, l'OTAN
    [InlineData("NATO", new[] { Seed, English, French, Atlantic })]
    [InlineData("حلف الأطلسي", new[] { Seed, English, French, Atlantic })]              // a name of two words, typed bare
    [InlineData("\"الناتو\"", new[] { Seed })]                                          // quoted: as written, no aliases
    [InlineData("بوتين", new[] { Seed, Atlantic, PutinEnglish })]                       // بوتن, Putin
    [InlineData("title:بوتين", new[] { PutinEnglish })]                                 // with its field
    [InlineData("الناتو -بوتين", new[] { English, French })]                           // with its sign: no form of Putin
    [InlineData("أردوغان", new[] { PutinEnglish })]                                     // across languages
    [InlineData("جورجيا", new[] { Atlantic })]                                          // جيورجيا
    [InlineData("أمريكا", new[] { Seed, Atlantic, Washington })]                        // أميركا, الولايات المتحدة, and واشنطن one way
    [InlineData("واشنطن", new[] { Seed, Washington })]                                  // ...but not the other way
    public async Task A_query_finds_every_name_of_its_entity(string query, string[] expected)
    {
        var response = await index.Store.SearchAsync(new SearchRequest { Query = query, Size = 20 }, CancellationToken.None);
        Assert.Equal(expected.Order(), response.Hits.Select(hit => hit.Id).Order());
    }

    [Fact]
    public async Task The_alias_found_is_highlighted()
    {
        var response = await index.Store.SearchAsync(new SearchRequest { Query = "الناتو" }, CancellationToken.None);
        var atlantic = Assert.Single(response.Hits, hit => hit.Id == Atlantic);
        Assert.Contains(atlantic.Highlights, highlight => highlight.Contains("الأطلسي</em>", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("\"unclosed")]
    [InlineData("AND AND")]
    [InlineData("(((")]
    public async Task A_malformed_query_is_refused_with_where_it_went_wrong_as_typed(string query)
    {
        var error = await Assert.ThrowsAsync<QuerySyntaxException>(
            () => index.Store.SearchAsync(new SearchRequest { Query = "الناتو " + query }, CancellationToken.None));
        Assert.DoesNotContain("حلف", error.Message);   // the message is about what the user typed, not the expansion
    }
}
