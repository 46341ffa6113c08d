using Marsad.Search.Elasticsearch;
using Marsad.Search.Lucene;
using Marsad.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Marsad.Search.Tests;

/// <summary>A store holding the seed article and a few others that share words with it, or must not.</summary>
public abstract class SeedIndexFixture : IAsyncLifetime
{
    public const string SeedId = "seed-nato-ukraine";
    public const string ChinaId = "china-trade";
    public const string EnglishId = "en-nato";
    public const string FrenchId = "fr-otan";
    public const string ExactId = "talks-exact";
    public const string StemOnlyId = "talks-stem";

    public ISearchStore Store { get; private set; } = null!;

    protected abstract ISearchStore CreateStore();

    public static IReadOnlyList<ArticleDocument> Articles() =>
    [
        new()
        {
            Id = SeedId,
            Url = "https://news.example/ar/nato-ukraine",
            Title = "الناتو يتحد ضد أي عمل عسكري روسي في أوكرانيا",
            Text = RepoPaths.SeedArticleText,
            Source = "وكالة الأنباء",
            Language = "ar",
            Published = new DateTimeOffset(2022, 1, 7, 10, 0, 0, TimeSpan.Zero),
            Topics = ["international news"],
            Entities = ["الناتو", "روسيا"],
        },
        new()
        {
            Id = ChinaId,
            Url = "https://news.example/ar/china-trade",
            Title = "الصين تسجل فائضا تجاريا قياسيا",
            Text = "أعلنت الصين اليوم أن فائضها التجاري بلغ مستوى قياسيا خلال العام الماضي مع ارتفاع الصادرات إلى الأسواق الآسيوية والأوروبية.",
            Source = "صحيفة الاقتصاد",
            Language = "ar",
            Published = new DateTimeOffset(2022, 1, 14, 8, 0, 0, TimeSpan.Zero),
            Topics = ["economy"],
        },
        new()
        {
            Id = EnglishId,
            Url = "https://news.example/en/nato",
            Title = "NATO ministers prepare for talks with Russia",
            Text = "NATO foreign ministers held a video conference on Friday ahead of talks with Russia about Ukraine.",
            Source = "Example Wire",
            Language = "en",
            Published = new DateTimeOffset(2022, 1, 7, 15, 0, 0, TimeSpan.Zero),
            Topics = ["international news"],
        },
        new()
        {
            Id = FrenchId,
            Url = "https://news.example/fr/otan",
            Title = "L'OTAN prépare ses discussions avec la Russie",
            Text = "Les ministres de l'OTAN se sont réunis vendredi avant les discussions avec la Russie sur l'Ukraine.",
            Source = "Exemple Presse",
            Language = "fr",
            Published = new DateTimeOffset(2022, 2, 8, 9, 0, 0, TimeSpan.Zero),
        },
        // Two texts of the same length: one has مفاوضات itself, the other only مفاوض, which shares its stem.
        new()
        {
            Id = ExactId,
            Url = "https://news.example/ar/talks-1",
            Title = "جولة جديدة في جنيف",
            Text = "بدأت اليوم مفاوضات جديدة بين الطرفين في جنيف برعاية دولية.",
            Source = "وكالة الأنباء",
            Language = "ar",
            Published = new DateTimeOffset(2022, 3, 1, 9, 0, 0, TimeSpan.Zero),
        },
        new()
        {
            Id = StemOnlyId,
            Url = "https://news.example/ar/talks-2",
            Title = "جولة جديدة في جنيف",
            Text = "وصل اليوم مفاوض جديد عن الطرفين إلى جنيف برعاية دولية.",
            Source = "وكالة الأنباء",
            Language = "ar",
            Published = new DateTimeOffset(2022, 3, 1, 9, 0, 0, TimeSpan.Zero),
        },
    ];

    /// <summary>What this fixture indexes: the seed set, unless a suite needs its own.</summary>
    protected virtual IReadOnlyList<ArticleDocument> IndexedArticles() => Articles();

    public virtual async Task InitializeAsync()
    {
        Store = CreateStore();
        var outcomes = await Store.IndexAsync(IndexedArticles(), CancellationToken.None);
        Assert.All(outcomes, outcome => Assert.Equal(IndexOutcome.Indexed, outcome.Outcome));
        await RefreshAsync(Store);
    }

    /// <summary>Elasticsearch makes writes searchable on its next refresh; a test asks for it rather than waiting.</summary>
    public static Task RefreshAsync(ISearchStore store) =>
        store is ElasticsearchSearchStore elasticsearch ? elasticsearch.RefreshAsync(CancellationToken.None) : Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;
}

public class LuceneSeedIndex : SeedIndexFixture
{
    private readonly TemporaryDirectory _directory = new();

    protected override ISearchStore CreateStore() => new LuceneSearchStore(Path.Combine(_directory.Path, "index"));

    public override Task DisposeAsync()
    {
        ((LuceneSearchStore)Store).Dispose();
        _directory.Dispose();
        return Task.CompletedTask;
    }
}

public class ElasticsearchSeedIndex : SeedIndexFixture
{
    public string IndexPrefix { get; } = "marsad-test-" + Guid.NewGuid().ToString("N")[..10];

    public static ElasticsearchSearchStore CreateStore(string indexPrefix) =>
        new(new ElasticsearchOptions { Url = ElasticsearchServer.Url, ServerMajorVersion = ElasticsearchServer.MajorVersion, IndexPrefix = indexPrefix },
            NullLogger<ElasticsearchSearchStore>.Instance);

    protected override ISearchStore CreateStore() => CreateStore(IndexPrefix);

    public override Task DisposeAsync() => ElasticsearchServer.DeleteAsync(IndexPrefix);
}
