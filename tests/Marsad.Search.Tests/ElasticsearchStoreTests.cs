using System.Diagnostics;
using Marsad.Search.Elasticsearch;
using Marsad.Testing;

namespace Marsad.Search.Tests;

/// <summary>What only the Elasticsearch store has to prove: the shipped template, bulk idempotency, surviving a server restart.</summary>
[Trait(Needs.Trait, Needs.Elasticsearch)]
[Trait(Needs.Trait, Needs.Processes)]
[Trait(Needs.Trait, Needs.SharedData)]
public sealed class ElasticsearchStoreTests
{
    private static readonly string[] SeedSentences = RepoPaths.SeedArticleText.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static IReadOnlyList<ArticleDocument> Generated(int count) =>
        Enumerable.Range(0, count).Select(i => new ArticleDocument
        {
            Id = $"generated-{i:D5}",
            Url = $"https://news.example/generated/{i}",
            Title = $"خبر رقم {i}",
            Text = SeedSentences[i % SeedSentences.Length] + "\n" + SeedSentences[(i * 7 + 3) % SeedSentences.Length],
            Source = $"مصدر {i % 5}",
            Language = "ar",
            Published = new DateTimeOffset(2022, 1 + i % 3, 1 + i % 28, 12, 0, 0, TimeSpan.Zero),
            Topics = [i % 2 == 0 ? "international news" : "middle east"],
        }).ToList();

    [Fact]
    public void The_template_shipped_for_operators_is_the_one_the_store_applies()
    {
        var shipped = File.ReadAllText(Path.Combine(RepoPaths.Root, "deploy", "elasticsearch", "marsad-articles.template.json"));
        Assert.Equal(ArticleIndexTemplate.ToJson(ArticleIndexTemplate.Build("marsad-articles")), shipped.TrimEnd());
    }

    [Fact]
    public async Task A_template_and_index_from_an_older_marsad_get_the_new_fields_and_new_articles_are_not_refused()
    {
        var prefix = "marsad-test-upgrade-" + Guid.NewGuid().ToString("N")[..8];
        using var http = new HttpClient { BaseAddress = ElasticsearchServer.Url };
        try
        {
            // The template as Marsad wrote it before stories, with an index already made from it.
            var older = ArticleIndexTemplate.Build(prefix);
            var fields = older["template"]!["mappings"]!["properties"]!.AsObject();
            foreach (var field in new[] { "story", "story_band", "story_fingerprint" })
            {
                fields.Remove(field);
            }
            (await http.PutAsync($"_index_template/{prefix}", new StringContent(older.ToJsonString(), System.Text.Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
            (await http.PutAsync($"{prefix}-2022.01", null)).EnsureSuccessStatusCode();

            var store = ElasticsearchSeedIndex.CreateStore(prefix);
            await store.PrepareAsync(CancellationToken.None);
            var article = Generated(1)[0] with { Published = new DateTimeOffset(2022, 1, 7, 0, 0, 0, TimeSpan.Zero), StoryId = "generated-00000", StoryFingerprint = 42 };
            Assert.Equal(IndexOutcome.Indexed, Assert.Single(await store.IndexAsync([article], CancellationToken.None)).Outcome);

            var template = await http.GetStringAsync($"_index_template/{prefix}");
            Assert.Contains("story_fingerprint", template, StringComparison.Ordinal);
            await store.RefreshAsync(CancellationToken.None);
            Assert.Equal(1, (await store.SearchAsync(new SearchRequest { Query = "story:generated-00000" }, CancellationToken.None)).Total);
        }
        finally
        {
            await ElasticsearchServer.DeleteAsync(prefix);
        }
    }

    [Fact]
    public async Task A_document_the_mapping_refuses_is_reported_with_the_reason_and_its_batch_is_indexed()
    {
        var prefix = "marsad-test-reject-" + Guid.NewGuid().ToString("N")[..8];
        var store = ElasticsearchSeedIndex.CreateStore(prefix);
        try
        {
            var articles = Generated(3).ToList();
            // A keyword longer than Lucene's 32,766-byte term limit: refused by the server, for good.
            articles[1] = articles[1] with { Source = new string('x', 40_000) };
            var results = await store.IndexAsync(articles, CancellationToken.None);

            Assert.Equal([IndexOutcome.Indexed, IndexOutcome.Rejected, IndexOutcome.Indexed], results.Select(result => result.Outcome));
            Assert.Contains("immense term", results[1].Reason, StringComparison.Ordinal);
            await store.RefreshAsync(CancellationToken.None);
            Assert.Equal(2, await store.CountAsync(CancellationToken.None));
        }
        finally
        {
            await ElasticsearchServer.DeleteAsync(prefix);
        }
    }

    [Fact]
    public async Task An_article_can_be_read_by_id_as_soon_as_it_is_written_before_any_refresh()
    {
        var prefix = "marsad-test-realtime-" + Guid.NewGuid().ToString("N")[..8];
        var store = ElasticsearchSeedIndex.CreateStore(prefix);
        try
        {
            var article = Generated(1)[0];
            await store.IndexAsync([article], CancellationToken.None);
            var read = await store.GetAsync(article.Id, article.Published, CancellationToken.None);
            Assert.NotNull(read);
            Assert.Equal(article.Text, read.Text);
        }
        finally
        {
            await ElasticsearchServer.DeleteAsync(prefix);
        }
    }

    [Fact]
    public async Task Five_thousand_articles_and_a_redelivery_of_all_of_them_leave_five_thousand_documents()
    {
        var prefix = "marsad-test-bulk-" + Guid.NewGuid().ToString("N")[..8];
        var store = ElasticsearchSeedIndex.CreateStore(prefix);
        try
        {
            var articles = Generated(5000);
            foreach (var batch in articles.Chunk(500))
            {
                Assert.All(await store.IndexAsync(batch, CancellationToken.None), outcome => Assert.Equal(IndexOutcome.Indexed, outcome.Outcome));
            }
            await store.RefreshAsync(CancellationToken.None);
            Assert.Equal(5000, await store.CountAsync(CancellationToken.None));

            foreach (var batch in articles.Chunk(1000))
            {
                Assert.All(await store.IndexAsync(batch, CancellationToken.None), outcome => Assert.Equal(IndexOutcome.AlreadyIndexed, outcome.Outcome));
            }
            await store.RefreshAsync(CancellationToken.None);
            Assert.Equal(5000, await store.CountAsync(CancellationToken.None));
            // Monthly indices behind one alias and pattern: three months, one search.
            var response = await store.SearchAsync(new SearchRequest { Query = "بوتين", Size = 1 }, CancellationToken.None);
            Assert.True(response.Total > 0);
        }
        finally
        {
            await ElasticsearchServer.DeleteAsync(prefix);
        }
    }

    [Fact]
    public async Task A_server_stopped_mid_run_and_restarted_makes_the_writer_wait_and_loses_and_duplicates_nothing()
    {
        // A node of its own, so stopping it disturbs no other test.
        var state = Path.Combine(Path.GetTempPath(), "marsad-es-restart-" + Guid.NewGuid().ToString("N")[..8]);
        var environment = new Dictionary<string, string> { ["MARSAD_ES_STATE"] = state, ["MARSAD_ES_HEAP"] = "512m" };
        var script = Path.Combine(RepoPaths.Root, "scripts", "elasticsearch.sh");
        async Task Script(string verb)
        {
            var result = await ProcessRunner.RunAsync("bash", [script, verb], TimeSpan.FromMinutes(5), environment);
            Assert.True(result.ExitCode == 0, $"elasticsearch.sh {verb}: {result.StandardError}");
        }

        await Script("start");
        try
        {
            var url = new Uri($"http://127.0.0.1:{File.ReadAllText(Path.Combine(state, "port")).Trim()}");
            var store = new ElasticsearchSearchStore(
                new ElasticsearchOptions { Url = url, ServerMajorVersion = ElasticsearchServer.MajorVersion, IndexPrefix = "marsad-restart" },
                Microsoft.Extensions.Logging.Abstractions.NullLogger<ElasticsearchSearchStore>.Instance);
            var articles = Generated(2000);
            var batches = articles.Chunk(100).ToList();
            foreach (var batch in batches.Take(5))
            {
                await store.IndexAsync(batch, CancellationToken.None);
            }

            await Script("stop");
            // The writer keeps going while the server is away: it must wait, not fail and not skip.
            var writing = Task.Run(async () =>
            {
                foreach (var batch in batches.Skip(5))
                {
                    await store.IndexAsync(batch, CancellationToken.None);
                }
            });
            await Task.Delay(TimeSpan.FromSeconds(5));
            Assert.False(writing.IsCompleted, "the writer finished while the server was stopped");
            var stopped = Stopwatch.StartNew();
            await Script("start");
            await writing.WaitAsync(TimeSpan.FromMinutes(3));

            await store.RefreshAsync(CancellationToken.None);
            Assert.Equal(2000, await store.CountAsync(CancellationToken.None));
            // And a re-delivery of the whole run after the restart changes nothing.
            foreach (var batch in batches)
            {
                Assert.All(await store.IndexAsync(batch, CancellationToken.None), outcome => Assert.Equal(IndexOutcome.AlreadyIndexed, outcome.Outcome));
            }
            await store.RefreshAsync(CancellationToken.None);
            Assert.Equal(2000, await store.CountAsync(CancellationToken.None));
        }
        finally
        {
            await Script("reset");
        }
    }
}
