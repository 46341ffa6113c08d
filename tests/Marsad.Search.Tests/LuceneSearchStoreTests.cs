using Marsad.Search.Lucene;
using Marsad.Testing;

namespace Marsad.Search.Tests;

[Trait(Needs.Trait, Needs.SharedData)]
public sealed class LuceneSearchStoreTests(LuceneSeedIndex index) : SearchStoreSuite<LuceneSeedIndex>(index);

[Trait(Needs.Trait, Needs.Elasticsearch)]
[Trait(Needs.Trait, Needs.SharedData)]
public sealed class ElasticsearchSearchStoreTests(ElasticsearchSeedIndex index) : SearchStoreSuite<ElasticsearchSeedIndex>(index);

/// <summary>What every store does the same way: facets, filters, paging, refusals, the contract's fields.</summary>
[Trait(Needs.Trait, Needs.SharedData)]
public abstract class SearchStoreSuite<TIndex>(TIndex index) : IClassFixture<TIndex>
    where TIndex : SeedIndexFixture
{
    [Fact]
    public async Task Facets_count_topic_source_and_language_over_all_matches()
    {
        var response = await index.Store.SearchAsync(new SearchRequest { Query = "*" }, CancellationToken.None);
        Assert.Equal(6, response.Total);
        Assert.Equal(new Dictionary<string, long> { ["ar"] = 4, ["en"] = 1, ["fr"] = 1 }, response.Facets["lang"]);
        Assert.Equal(new Dictionary<string, long> { ["international news"] = 2, ["economy"] = 1 }, response.Facets["topic"]);
        Assert.Equal(3, response.Facets["source"]["وكالة الأنباء"]);
    }

    [Fact]
    public async Task Facets_count_entities_and_articles_per_publication_day_oldest_first()
    {
        var response = await index.Store.SearchAsync(new SearchRequest { Query = "*" }, CancellationToken.None);
        Assert.Equal(new Dictionary<string, long> { ["الناتو"] = 1, ["روسيا"] = 1 }, response.Facets["entity"]);
        Assert.Equal(
            [("2022-01-07", 2L), ("2022-01-14", 1L), ("2022-02-08", 1L), ("2022-03-01", 2L)],
            response.Facets["date"].Select(day => (day.Key, day.Value)));

        var filtered = await index.Store.SearchAsync(new SearchRequest { Query = "entity:روسيا" }, CancellationToken.None);
        Assert.Equal([("2022-01-07", 1L)], filtered.Facets["date"].Select(day => (day.Key, day.Value)));
    }

    [Fact]
    public async Task Facets_follow_the_query()
    {
        var response = await index.Store.SearchAsync(new SearchRequest { Query = "NATO OR OTAN OR الناتو" }, CancellationToken.None);
        Assert.Equal(3, response.Total);
        Assert.False(response.Facets["topic"].ContainsKey("economy"));
        Assert.Equal(new Dictionary<string, long> { ["ar"] = 1, ["en"] = 1, ["fr"] = 1 }, response.Facets["lang"]);
    }

    [Theory]
    [InlineData("en", null, null, null, SeedIndexFixture.EnglishId)]
    [InlineData(null, "economy", null, null, SeedIndexFixture.ChinaId)]
    [InlineData(null, null, "2022-02-01", "2022-02-10", SeedIndexFixture.FrenchId)]
    public async Task Filters_narrow_the_hits(string? lang, string? topic, string? from, string? to, string expectedId)
    {
        Assert.True(SearchDates.TryParse(from, endOfDay: false, out var fromDate));
        Assert.True(SearchDates.TryParse(to, endOfDay: true, out var toDate));
        var response = await index.Store.SearchAsync(
            new SearchRequest { Query = "*", Language = lang, Topic = topic, From = fromDate, To = toDate }, CancellationToken.None);
        Assert.Equal([expectedId], response.Hits.Select(hit => hit.Id));
    }

    [Fact]
    public async Task Source_filter_ignores_hamza_and_case_like_the_query()
    {
        var response = await index.Store.SearchAsync(new SearchRequest { Query = "*", Source = "وكالة الانباء" }, CancellationToken.None);
        Assert.Equal(
            new[] { SeedIndexFixture.SeedId, SeedIndexFixture.ExactId, SeedIndexFixture.StemOnlyId }.Order(),
            response.Hits.Select(hit => hit.Id).Order());
    }

    [Fact]
    public async Task Reindexing_reports_every_article_as_already_indexed_and_writes_nothing()
    {
        var again = await index.Store.IndexAsync(SeedIndexFixture.Articles(), CancellationToken.None);
        Assert.All(again, outcome => Assert.Equal(IndexOutcome.AlreadyIndexed, outcome.Outcome));
        await SeedIndexFixture.RefreshAsync(index.Store);
        Assert.Equal(SeedIndexFixture.Articles().Count, await index.Store.CountAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Gets_a_stored_article_by_id()
    {
        var article = await index.Store.GetAsync(SeedIndexFixture.SeedId, SeedIndexFixture.Articles()[0].Published, CancellationToken.None);
        Assert.NotNull(article);
        Assert.Equal(SeedIndexFixture.Articles()[0].Text, article.Text);
        Assert.Equal(["الناتو", "روسيا"], article.Entities);
        Assert.Null(await index.Store.GetAsync("no-such-id", null, CancellationToken.None));
    }

    [Fact]
    public async Task Pages_through_hits()
    {
        var first = await index.Store.SearchAsync(new SearchRequest { Query = "*", Size = 4, Page = 1 }, CancellationToken.None);
        var second = await index.Store.SearchAsync(new SearchRequest { Query = "*", Size = 4, Page = 2 }, CancellationToken.None);
        Assert.Equal(4, first.Hits.Count);
        Assert.Equal(2, second.Hits.Count);
        Assert.Empty(first.Hits.Select(hit => hit.Id).Intersect(second.Hits.Select(hit => hit.Id)));
    }

    [Theory]
    [InlineData("\"unclosed")]
    [InlineData("AND AND")]
    [InlineData("(((")]
    public async Task Malformed_queries_say_where_they_went_wrong(string query)
    {
        var error = await Assert.ThrowsAsync<QuerySyntaxException>(
            () => index.Store.SearchAsync(new SearchRequest { Query = query }, CancellationToken.None));
        Assert.Contains("column", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Was expecting", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("url:news", "Unknown field 'url'")]
    [InlineData("*رانيا", "'*' or '?' not allowed as first character")]
    [InlineData("/او.*/", "Regular expressions")]
    [InlineData("ا*", "at least 2 letters")]
    [InlineData("ا?و", "at least 2 letters")]
    [InlineData("text:[ا TO ي]", "Ranges ([a TO b]) are not allowed on 'text'")]
    [InlineData("[ا TO ي]", "Ranges ([a TO b]) are not allowed")]
    [InlineData("(((((((((((((((((الناتو)))))))))))))))))", "deeper than 16")]
    public async Task Refuses_what_could_leak_internals_or_scan_the_whole_index(string query, string reason)
    {
        var error = await Assert.ThrowsAsync<QuerySyntaxException>(
            () => index.Store.SearchAsync(new SearchRequest { Query = query }, CancellationToken.None));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }
}

/// <summary>Behaviour that needs an index of its own.</summary>
[Trait(Needs.Trait, Needs.SharedData)]
public sealed class LuceneStoreLifecycleTests
{
    [Fact]
    public async Task A_search_past_its_time_limit_is_stopped_and_refused()
    {
        using var data = new TemporaryDirectory();
        // A limit already passed: the first hit collected stops the search, whatever the machine's speed.
        using var store = new LuceneSearchStore(Path.Combine(data.Path, "index"), searchTimeLimit: TimeSpan.FromMilliseconds(-1));
        await store.IndexAsync(SeedIndexFixture.Articles(), CancellationToken.None);
        var error = await Assert.ThrowsAsync<SearchTooCostlyException>(() => store.SearchAsync(new SearchRequest { Query = "*" }, CancellationToken.None));
        Assert.Contains("narrow", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reindexing_an_article_reports_it_and_writes_nothing_twice()
    {
        using var directory = new TemporaryDirectory();
        using var store = new LuceneSearchStore(directory.Path);
        var articles = SeedIndexFixture.Articles();

        Assert.All(await store.IndexAsync(articles, CancellationToken.None), outcome => Assert.Equal(IndexOutcome.Indexed, outcome.Outcome));
        Assert.All(await store.IndexAsync(articles, CancellationToken.None), outcome => Assert.Equal(IndexOutcome.AlreadyIndexed, outcome.Outcome));
        // The same id twice in one batch is one document as well.
        var twice = await store.IndexAsync([articles[0] with { Id = "new" }, articles[0] with { Id = "new" }], CancellationToken.None);
        Assert.Equal([IndexOutcome.Indexed, IndexOutcome.AlreadyIndexed], twice.Select(result => result.Outcome));

        Assert.Equal(articles.Count + 1, await store.CountAsync(CancellationToken.None));
        var response = await store.SearchAsync(new SearchRequest { Query = "بوتين" }, CancellationToken.None);
        Assert.Equal(2, response.Total);
    }

    [Fact]
    public async Task What_was_indexed_survives_a_restart()
    {
        using var directory = new TemporaryDirectory();
        using (var store = new LuceneSearchStore(directory.Path))
        {
            await store.IndexAsync(SeedIndexFixture.Articles(), CancellationToken.None);
        }
        using var reopened = new LuceneSearchStore(directory.Path);
        var response = await reopened.SearchAsync(new SearchRequest { Query = "اوكرانيا" }, CancellationToken.None);
        Assert.Contains(response.Hits, hit => hit.Id == SeedIndexFixture.SeedId);
    }

    [Fact]
    public async Task A_reader_on_the_same_folder_sees_what_the_writer_commits()
    {
        // The distributed embedded layout: the indexer process writes, the api process only reads.
        using var directory = new TemporaryDirectory();
        using var reader = new LuceneSearchStore(directory.Path);
        Assert.Equal(0, (await reader.SearchAsync(new SearchRequest { Query = "بوتين" }, CancellationToken.None)).Total);

        using var writer = new LuceneSearchStore(directory.Path);
        await writer.IndexAsync(SeedIndexFixture.Articles(), CancellationToken.None);

        Assert.Equal(1, (await reader.SearchAsync(new SearchRequest { Query = "بوتين" }, CancellationToken.None)).Total);
    }

    [Fact]
    public async Task A_second_writer_is_refused_with_a_clear_reason()
    {
        using var directory = new TemporaryDirectory();
        using var first = new LuceneSearchStore(directory.Path);
        using var second = new LuceneSearchStore(directory.Path);
        await first.IndexAsync(SeedIndexFixture.Articles().Take(1).ToList(), CancellationToken.None);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => second.IndexAsync(SeedIndexFixture.Articles().Skip(1).Take(1).ToList(), CancellationToken.None));
        Assert.Contains("another process", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Title_matches_rank_above_body_matches()
    {
        using var directory = new TemporaryDirectory();
        using var store = new LuceneSearchStore(directory.Path);
        ArticleDocument Article(string id, string title, string text) => new()
        {
            Id = id, Url = "https://news.example/" + id, Title = title, Text = text, Source = "s", Language = "ar",
        };
        await store.IndexAsync(
        [
            Article("body", "أخبار اليوم في المنطقة", "ضرب زلزال قوي المنطقة الجبلية صباح اليوم وفق مرصد الزلازل"),
            Article("title", "زلزال قوي يضرب المنطقة", "ضرب هزة قوية المنطقة الجبلية صباح اليوم وفق مرصد الهزات"),
        ], CancellationToken.None);

        var response = await store.SearchAsync(new SearchRequest { Query = "زلزال" }, CancellationToken.None);
        Assert.Equal(["title", "body"], response.Hits.Select(hit => hit.Id));
    }
}
