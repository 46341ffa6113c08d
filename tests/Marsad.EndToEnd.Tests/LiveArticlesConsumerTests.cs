using Marsad.Api;
using Marsad.Contracts;
using Marsad.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Marsad.EndToEnd.Tests;

/// <summary>The api's consumer on MassTransit's test harness: each newly indexed article reaches the live searches; one indexed again does not.</summary>
public sealed class LiveArticlesConsumerTests : IAsyncLifetime
{
    private ConsumerHarness _bus = null!;

    public async Task InitializeAsync() =>
        _bus = await ConsumerHarness.StartAsync(builder => builder.Services.AddSingleton<LiveArticles>(), bus => bus.AddApiConsumers());

    public async Task DisposeAsync() => await _bus.DisposeAsync();

    private static ArticleIndexed Indexed(string id, bool again = false) =>
        new() { ArticleId = id, Url = "https://news.example/" + id, Title = "خبر", Source = "وكالة", Language = "ar", AlreadyIndexed = again };

    [Fact]
    public async Task A_new_article_is_announced_to_a_listener_and_a_re_indexed_one_is_not()
    {
        using var listening = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var listener = _bus.Services.GetRequiredService<LiveArticles>().ListenAsync(listening.Token).GetAsyncEnumerator(listening.Token);
        var next = listener.MoveNextAsync(); // the listener is registered as it starts waiting

        await _bus.Harness.Bus.Publish(Indexed("old", again: true));
        Assert.True(await _bus.Harness.Consumed.Any<ArticleIndexed>(consumed => consumed.Context.Message.ArticleId == "old"), "the re-indexed article was not consumed");
        await _bus.Harness.Bus.Publish(Indexed("new"));

        Assert.True(await next);
        Assert.Equal("new", listener.Current.ArticleId);
    }
}
