using System.Collections.Concurrent;
using Marsad.Hosting;
using Marsad.Search.Elasticsearch;
using Marsad.Testing;
using Microsoft.Extensions.Options;
using Marsad.Feeds;

namespace Marsad.Fetcher.Tests;

/// <summary>
/// The feed list in both of its homes (the data folder's file, an Elasticsearch index), shared by processes that
/// race to claim feeds: each due feed is claimed by exactly one of them.
/// </summary>
[Trait(Needs.Trait, Needs.Elasticsearch)]
public sealed class FeedRegistryTests : IAsyncLifetime
{
    private readonly TemporaryDirectory _data = new();
    private readonly string _index = "marsad-test-feeds-" + Guid.NewGuid().ToString("N")[..8];
    private bool _usedElasticsearch;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _data.Dispose();
        if (_usedElasticsearch)
        {
            using var http = new HttpClient { BaseAddress = ElasticsearchServer.Url };
            await http.DeleteAsync(_index);
        }
    }

    private FeedRegistry Open(string store) => store == "file" ? File() : Elasticsearch();

    private FeedRegistry File() => new FileFeedRegistry(Options.Create(new MarsadOptions { DataDir = _data.Path }), TimeProvider.System);

    private FeedRegistry Elasticsearch()
    {
        _usedElasticsearch = true;
        return new ElasticsearchFeedRegistry(
            new ElasticsearchOptions { Url = ElasticsearchServer.Url, ServerMajorVersion = ElasticsearchServer.MajorVersion, FeedsIndex = _index },
            TimeProvider.System);
    }

    [Theory]
    [InlineData("file")]
    [InlineData("elasticsearch")]
    public Task Racing_pollers_claim_each_feed_once(string store) => EachFeedIsClaimedOnce(() => Open(store), feeds: 30);

    [Theory]
    [InlineData("file")]
    [InlineData("elasticsearch")]
    public async Task Feeds_are_added_once_paused_resumed_and_removed_by_id_or_url(string store)
    {
        var registry = Open(store);
        {
            var added = await registry.AddAsync("https://news.example/rss", CancellationToken.None);
            var again = await registry.AddAsync("https://news.example/rss", CancellationToken.None);
            Assert.Equal(added, again);
            Assert.Single(await registry.ListAsync(CancellationToken.None));

            var paused = await registry.SetPausedAsync(added.Id, paused: true, CancellationToken.None);
            Assert.True(paused!.Paused);
            Assert.True((await registry.FindAsync(added.Url, CancellationToken.None))!.Paused);
            Assert.False((await registry.SetPausedAsync(added.Url, paused: false, CancellationToken.None))!.Paused);
            Assert.Null(await registry.SetPausedAsync("nope", paused: true, CancellationToken.None));

            Assert.True(await registry.RemoveAsync(added.Url, CancellationToken.None));
            Assert.False(await registry.RemoveAsync(added.Id, CancellationToken.None));
            Assert.Empty(await registry.ListAsync(CancellationToken.None));
        }
    }

    // Eight pollers, each with its own registry object as separate processes would have, claim every due feed at once.
    private static async Task EachFeedIsClaimedOnce(Func<FeedRegistry> open, int feeds)
    {
        var setup = open();
        var urls = Enumerable.Range(0, feeds).Select(i => $"https://site{i}.example/rss").ToList();
        foreach (var url in urls)
        {
            await setup.AddAsync(url, CancellationToken.None);
        }
        var schedule = new FeedSchedule(Options.Create(new FetcherOptions()), TimeProvider.System);
        var claims = new ConcurrentBag<(string Url, string ClaimId)>();
        await Parallel.ForEachAsync(Enumerable.Range(0, 8), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (poller, token) =>
        {
            var registry = open();
            foreach (var url in urls.OrderBy(_ => Random.Shared.Next()))
            {
                var claimId = $"poller{poller}-{url}";
                var (claimed, feed) = await registry.UpdateAsync(url, current => schedule.Claim(current, claimId, DateTimeOffset.UtcNow), token);
                if (claimed)
                {
                    Assert.Equal(claimId, feed!.ClaimId);
                    claims.Add((url, claimId));
                }
            }
        });
        Assert.Equal(urls.Order(), claims.Select(claim => claim.Url).Order());
        var stored = (await setup.ListAsync(CancellationToken.None)).ToDictionary(feed => feed.Url);
        Assert.All(claims, claim => Assert.Equal(claim.ClaimId, stored[claim.Url].ClaimId));
    }
}
