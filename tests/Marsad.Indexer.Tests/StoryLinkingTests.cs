using Lucene.Net.Analysis.Core;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using FSDirectory = Lucene.Net.Store.FSDirectory;
using Lucene.Net.Util;
using Marsad.Arabic;
using Marsad.Search;
using Marsad.Search.Elasticsearch;
using Marsad.Search.Lucene;
using Marsad.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Marsad.Indexer.Tests;

[Trait(Needs.Trait, Needs.Elasticsearch)]
[Trait(Needs.Trait, Needs.SharedData)]
public sealed class LuceneStoryLinkingTests : StoryLinkingSuite
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "marsad-stories-" + Guid.NewGuid().ToString("N")[..8]);
    private LuceneSearchStore? _store;

    protected override ISearchStore Store => _store ??= new LuceneSearchStore(_folder);

    protected override Task MakeVisibleAsync() => Task.CompletedTask;

    [Fact]
    public async Task An_article_indexed_before_story_candidates_had_doc_values_is_still_found()
    {
        // Written as Marsad wrote articles before: the fingerprint only as a stored field, beside its bands.
        var seed = Seed();
        var fingerprint = StoryFingerprint.Of(seed.Title + "\n" + seed.Text);
        using (var directory = FSDirectory.Open(_folder))
        using (var writer = new IndexWriter(directory, new IndexWriterConfig(LuceneVersion.LUCENE_48, new KeywordAnalyzer())))
        {
            var document = new Document
            {
                new StringField("id", seed.Id, Field.Store.YES),
                new TextField("story", seed.Id, Field.Store.YES),
                new StoredField("story_fingerprint", StoryFingerprint.ToHex(fingerprint)),
                new Int64Field("published", seed.Published!.Value.ToUnixTimeMilliseconds(), Field.Store.YES),
            };
            foreach (var band in StoryFingerprint.Bands(fingerprint))
            {
                document.Add(new StringField("story_band", band, Field.Store.NO));
            }
            writer.AddDocument(document);
            writer.Commit();
        }

        Assert.Equal("seed", Assert.Single(await IndexAsync(new StoryLinker(Store), EditedCopy())).StoryId);
    }

    public override Task DisposeAsync()
    {
        _store?.Dispose();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }
}

[Trait(Needs.Trait, Needs.Elasticsearch)]
[Trait(Needs.Trait, Needs.SharedData)]
public sealed class ElasticsearchStoryLinkingTests : StoryLinkingSuite
{
    private readonly string _prefix = "marsad-test-stories-" + Guid.NewGuid().ToString("N")[..8];
    private ElasticsearchSearchStore? _store;

    protected override ISearchStore Store => _store ??= new ElasticsearchSearchStore(
        new ElasticsearchOptions { Url = ElasticsearchServer.Url, ServerMajorVersion = ElasticsearchServer.MajorVersion, IndexPrefix = _prefix },
        NullLogger<ElasticsearchSearchStore>.Instance);

    // The linker remembers what it wrote; a new linker (another indexer process) sees only what search sees.
    protected override Task MakeVisibleAsync() => _store!.RefreshAsync(CancellationToken.None);

    public override Task DisposeAsync() => ElasticsearchServer.DeleteAsync(_prefix);
}

/// <summary>
/// Same-story grouping as the indexer does it, against each real store: the seed article, another outlet's lightly
/// edited copy of it, and a different real story on the same subject (NATO and Russia, from the ANT corpus).
/// </summary>
[Trait(Needs.Trait, Needs.Elasticsearch)]
[Trait(Needs.Trait, Needs.SharedData)]
public abstract class StoryLinkingSuite : IAsyncLifetime
{
    private static readonly DateTimeOffset Friday = new(2022, 1, 7, 10, 0, 0, TimeSpan.Zero);

    protected abstract ISearchStore Store { get; }

    protected abstract Task MakeVisibleAsync();

    public async Task InitializeAsync() => await Store.PrepareAsync(CancellationToken.None);

    public abstract Task DisposeAsync();

    protected static ArticleDocument Seed() => new()
    {
        Id = "seed",
        Url = "https://agency.example/seed",
        Title = RepoPaths.SeedArticleText.Split('\n')[0],
        Text = RepoPaths.SeedArticleText,
        Source = "وكالة الأنباء",
        Language = "ar",
        Published = Friday,
    };

    /// <summary>Another outlet's copy: its own headline, the last paragraph cut, a few words changed, its source line added, an hour later.</summary>
    protected static ArticleDocument EditedCopy()
    {
        var paragraphs = RepoPaths.SeedArticleText.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        var text = string.Join('\n', paragraphs.Skip(1).Take(paragraphs.Count - 2).Append("المصدر: وكالات"))
            .Replace("اليوم الجمعة", "الجمعة").Replace("متحدون", "موحدون");
        return new ArticleDocument
        {
            Id = "copy",
            Url = "https://daily.example/copy",
            Title = "الحلفاء يتوحدون في وجه موسكو",
            Text = text,
            Source = "الصحيفة اليومية",
            Language = "ar",
            Published = Friday.AddHours(1),
        };
    }

    private static ArticleDocument OtherStoryOnTheSameSubject()
    {
        var other = AntCorpus.Sample(every: 10).First(article => article.Text.Contains("الناتو", StringComparison.Ordinal) && article.Text.Contains("روسيا", StringComparison.Ordinal));
        return AntCorpus.ToDocument(other) with { Published = Friday.AddHours(2) };
    }

    protected async Task<IReadOnlyList<ArticleDocument>> IndexAsync(StoryLinker linker, params ArticleDocument[] articles)
    {
        var linked = await linker.LinkAsync(articles, CancellationToken.None);
        var results = await Store.IndexAsync(linked, CancellationToken.None);
        Assert.DoesNotContain(results, result => result.Outcome == IndexOutcome.Rejected);
        linker.Remember(linked);
        return linked;
    }

    [Fact]
    public async Task A_copy_indexed_later_by_another_indexer_joins_the_first_article_s_story()
    {
        var seed = Assert.Single(await IndexAsync(new StoryLinker(Store), Seed()));
        Assert.Equal("seed", seed.StoryId);
        await MakeVisibleAsync();

        // A second indexer process: it has not seen the seed, the store has.
        var later = await IndexAsync(new StoryLinker(Store), EditedCopy(), OtherStoryOnTheSameSubject());
        Assert.Equal("seed", later[0].StoryId);
        Assert.Equal(later[1].Id, later[1].StoryId);
        await MakeVisibleAsync();

        // Shown with each hit, and story:ID finds every copy.
        var story = await Store.SearchAsync(new SearchRequest { Query = "story:seed" }, CancellationToken.None);
        Assert.Equal(["copy", "seed"], story.Hits.Select(hit => hit.Id).Order());
        Assert.All(story.Hits, hit => Assert.Equal("seed", hit.StoryId));
        var stored = await Store.GetAsync("copy", Friday.AddHours(1), CancellationToken.None);
        Assert.Equal("seed", stored!.StoryId);
        Assert.Equal(StoryFingerprint.Of(EditedCopy().Title + "\n" + EditedCopy().Text), stored.StoryFingerprint);
    }

    [Fact]
    public async Task Copies_in_one_batch_or_just_written_are_linked_before_the_store_can_see_them()
    {
        var linker = new StoryLinker(Store);
        var batch = await IndexAsync(linker, Seed(), EditedCopy());
        Assert.Equal(["seed", "seed"], batch.Select(article => article.StoryId));

        // Written a moment ago, not yet visible to an Elasticsearch search: the linker remembers it.
        var third = EditedCopy() with { Id = "copy-2", Url = "https://third.example/copy", Source = "موقع ثالث" };
        Assert.Equal("seed", Assert.Single(await IndexAsync(linker, third)).StoryId);
    }

    [Fact]
    public async Task A_redelivered_article_keeps_its_story_and_is_not_written_twice()
    {
        var linker = new StoryLinker(Store);
        await IndexAsync(linker, Seed(), EditedCopy());
        await MakeVisibleAsync();

        var again = await new StoryLinker(Store).LinkAsync([EditedCopy(), Seed()], CancellationToken.None);
        Assert.Equal(["seed", "seed"], again.Select(article => article.StoryId));
        var results = await Store.IndexAsync(again, CancellationToken.None);
        Assert.All(results, result => Assert.Equal(IndexOutcome.AlreadyIndexed, result.Outcome));
        await MakeVisibleAsync();
        Assert.Equal(2, (await Store.SearchAsync(new SearchRequest { Query = "story:seed" }, CancellationToken.None)).Total);
    }

    [Fact]
    public async Task A_copy_published_long_after_the_story_is_news_again()
    {
        var linker = new StoryLinker(Store);
        await IndexAsync(linker, Seed());
        var muchLater = EditedCopy() with { Published = Friday + StoryFingerprint.StoryWindow + TimeSpan.FromDays(1) };
        Assert.Equal("copy", Assert.Single(await IndexAsync(linker, muchLater)).StoryId);
    }

    [Fact]
    public async Task Each_fingerprint_of_a_batch_gets_the_stored_articles_sharing_most_of_its_bands()
    {
        const ulong story = 0x0123456789abcdef;
        // One bit changed in three of the eight bands, in all eight, and nothing at all.
        const ulong threeBandsOff = story ^ 0x0000000000010101;
        const ulong allBandsOff = story ^ 0x0101010101010101;
        ArticleDocument Stored(string id, ulong fingerprint) => Seed() with { Id = id, Url = $"https://x.example/{id}", StoryId = id, StoryFingerprint = fingerprint };
        await Store.IndexAsync([Stored("three-off", threeBandsOff), Stored("same", story), Stored("all-off", allBandsOff)], CancellationToken.None);
        await MakeVisibleAsync();

        var candidates = await Store.FindStoryCandidatesAsync([story, allBandsOff, ~story], limit: 2, CancellationToken.None);
        Assert.Equal(["same", "three-off"], candidates[0].Select(candidate => candidate.Id));
        Assert.Equal(threeBandsOff, candidates[0][1].Fingerprint);
        Assert.Equal(Friday, candidates[0][1].Published);
        // The two changed ones share the three bands where they changed the same bit.
        Assert.Equal(["all-off", "three-off"], candidates[1].Select(candidate => candidate.Id));
        Assert.Empty(candidates[2]);
    }

    [Fact]
    public async Task A_short_item_starts_a_story_of_its_own_without_a_fingerprint()
    {
        var shortItem = Seed() with { Id = "brief", Title = "عاجل", Text = "الناتو يجتمع" };
        var linked = Assert.Single(await IndexAsync(new StoryLinker(Store), shortItem));
        Assert.Equal("brief", linked.StoryId);
        Assert.Null(linked.StoryFingerprint);
    }
}
