using Marsad.Search.Lucene;
using Marsad.Testing;

namespace Marsad.Search.Tests;

/// <summary>Real Arabic articles (the ANT corpus, read in place) in both stores at once, each suite choosing which.</summary>
[Trait(Needs.Trait, Needs.Elasticsearch)]
[Trait(Needs.Trait, Needs.SharedData)]
public abstract class AntArticlesInBothStores : IAsyncLifetime
{
    private readonly TemporaryDirectory _directory = new();
    private readonly string _prefix = "marsad-test-ant-" + Guid.NewGuid().ToString("N")[..8];

    public LuceneSearchStore Lucene { get; private set; } = null!;

    public ISearchStore Elasticsearch { get; private set; } = null!;

    public int Count { get; private set; }

    protected abstract IReadOnlyList<ArticleDocument> Articles();

    public async Task InitializeAsync()
    {
        var articles = Articles();
        Count = articles.Count;
        Lucene = new LuceneSearchStore(_directory.Path);
        Elasticsearch = ElasticsearchSeedIndex.CreateStore(_prefix);
        foreach (var batch in articles.Chunk(500))
        {
            await Lucene.IndexAsync(batch, CancellationToken.None);
            await Elasticsearch.IndexAsync(batch, CancellationToken.None);
        }
        await SeedIndexFixture.RefreshAsync(Elasticsearch);
    }

    public async Task DisposeAsync()
    {
        Lucene.Dispose();
        _directory.Dispose();
        await ElasticsearchServer.DeleteAsync(_prefix);
    }
}

/// <summary>600 articles: every fiftieth file of the sorted corpus, all five outlets and six topics.</summary>
[Trait(Needs.Trait, Needs.Elasticsearch)]
[Trait(Needs.Trait, Needs.SharedData)]
public sealed class ArabicNewsInBothStores : AntArticlesInBothStores
{
    protected override IReadOnlyList<ArticleDocument> Articles() =>
        AntCorpus.Sample(every: 50).Select(AntCorpus.ToDocument).Take(600).ToList();
}

/// <summary>The same query finds the same articles in the embedded index and in Elasticsearch.</summary>
[Trait(Needs.Trait, Needs.Elasticsearch)]
[Trait(Needs.Trait, Needs.SharedData)]
public sealed class StoreParityTests(ArabicNewsInBothStores stores) : IClassFixture<ArabicNewsInBothStores>
{
    [Theory]
    [InlineData("النفط")]
    [InlineData("الاقتصاد")]
    [InlineData("\"كرة القدم\"")]
    [InlineData("\"الأمم المتحدة\"")]
    [InlineData("\"مجلس الأمن\"")]
    [InlineData("ترامب")]
    [InlineData("إيران AND الاتفاق")]
    [InlineData("السعودية OR الإمارات")]
    [InlineData("سوري*")]
    [InlineData("title:مصر")]
    [InlineData("الانتخابات NOT العراق")]
    [InlineData("اللاعب")]
    [InlineData("هاتف")]
    [InlineData("الذكاء الاصطناعي")]
    [InlineData("مهرجان")]
    [InlineData("فيلم OR مسلسل")]
    [InlineData("البورصة")]
    [InlineData("الدولار")]
    [InlineData("اليمن")]
    [InlineData("غزة")]
    [InlineData("القدس")]
    [InlineData("روسيا")]
    [InlineData("الرئيس الامريكي")]
    [InlineData("أُوكْرَانِيَا OR اوكرانيا")]
    [InlineData("(لبنان OR سوريا) AND اللاجئين")]
    [InlineData("topic:sport AND المنتخب")]
    public async Task Both_stores_find_the_same_articles(string query)
    {
        var embedded = await AllIdsAsync(stores.Lucene, query);
        var production = await AllIdsAsync(stores.Elasticsearch, query);
        Assert.NotEmpty(embedded);
        Assert.Equal(embedded.Order(StringComparer.Ordinal), production.Order(StringComparer.Ordinal));
    }

    private static async Task<List<string>> AllIdsAsync(ISearchStore store, string query)
    {
        var ids = new List<string>();
        for (var page = 1; ; page++)
        {
            var response = await store.SearchAsync(new SearchRequest { Query = query, Size = SearchRequest.MaxSize, Page = page }, CancellationToken.None);
            ids.AddRange(response.Hits.Select(hit => hit.Id));
            if (ids.Count >= response.Total || response.Hits.Count == 0)
            {
                Assert.Equal(response.Total, ids.Count);
                return ids;
            }
        }
    }
}
