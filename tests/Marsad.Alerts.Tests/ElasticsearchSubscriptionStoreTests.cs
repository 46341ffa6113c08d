using Marsad.Search;
using Marsad.Search.Elasticsearch;
using Marsad.Testing;
using Microsoft.Extensions.Time.Testing;
using Marsad.Subscriptions;

namespace Marsad.Alerts.Tests;

/// <summary>Subscriptions in the distributed mode: kept in a real Elasticsearch, shared by the processes that use them.</summary>
[Trait(Needs.Trait, Needs.Elasticsearch)]
public sealed class ElasticsearchSubscriptionStoreTests : IAsyncLifetime
{
    private readonly string _index = "marsad-test-subscriptions-" + Guid.NewGuid().ToString("N")[..8];
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    private ElasticsearchSubscriptionStore Store() => new(
        new ElasticsearchOptions { Url = ElasticsearchServer.Url, ServerMajorVersion = ElasticsearchServer.MajorVersion, SubscriptionsIndex = _index },
        _clock);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        using var http = new HttpClient { BaseAddress = ElasticsearchServer.Url };
        await http.DeleteAsync(_index);
    }

    [Fact]
    public async Task What_the_api_process_adds_changes_and_removes_the_alerts_process_sees()
    {
        var api = Store();
        var alerts = Store();
        Assert.Empty(await alerts.ListAsync(CancellationToken.None));

        var added = await api.AddAsync("NATO", "الناتو", "https://hooks.example/nato", null, DigestMode.Instant, null, CancellationToken.None);
        // The alerts process reads the cluster again once its list is older than ListFor.
        _clock.Advance(ElasticsearchSubscriptionStore.ListFor);
        var seen = Assert.Single(await alerts.ListAsync(CancellationToken.None));
        Assert.Equal(added, seen);
        Assert.NotNull(seen.Secret);

        // Unchanged, the same list comes back (what the matcher compiled from it is kept).
        _clock.Advance(ElasticsearchSubscriptionStore.ListFor);
        Assert.Same(await alerts.ListAsync(CancellationToken.None), await alerts.ListAsync(CancellationToken.None));

        var paused = await api.UpdateAsync(added.Id, new SubscriptionChange(Enabled: false, Query: "الناتو AND روسيا"), CancellationToken.None);
        Assert.False(paused!.Enabled);
        _clock.Advance(ElasticsearchSubscriptionStore.ListFor);
        var changed = Assert.Single(await alerts.ListAsync(CancellationToken.None));
        Assert.False(changed.Enabled);
        Assert.Equal("الناتو AND روسيا", changed.Query);

        await Assert.ThrowsAsync<QuerySyntaxException>(() => api.UpdateAsync(added.Id, new SubscriptionChange(Query: "((("), CancellationToken.None));
        Assert.Null(await api.UpdateAsync("nope", new SubscriptionChange(Enabled: true), CancellationToken.None));

        Assert.True(await api.RemoveAsync(added.Id, CancellationToken.None));
        Assert.False(await api.RemoveAsync(added.Id, CancellationToken.None));
        _clock.Advance(ElasticsearchSubscriptionStore.ListFor);
        Assert.Empty(await alerts.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task More_subscriptions_than_one_page_are_all_listed()
    {
        var store = Store();
        for (var i = 0; i < 1_050; i++)
        {
            await store.AddAsync($"s{i}", "الناتو", null, null, DigestMode.Instant, null, CancellationToken.None);
        }
        var listed = await Store().ListAsync(CancellationToken.None);
        Assert.Equal(1_050, listed.Select(subscription => subscription.Id).Distinct().Count());
    }
}
