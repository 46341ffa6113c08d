using System.Text;
using Marsad.Contracts;
using Marsad.Testing;
using MassTransit;

namespace Marsad.Parser.Tests;

/// <summary>The parser's consumer on MassTransit's test harness: a page in, an article out, or a fault for nothing to make.</summary>
public sealed class ArticleFetchedConsumerTests : IAsyncLifetime
{
    private ConsumerHarness _bus = null!;

    public async Task InitializeAsync() =>
        _bus = await ConsumerHarness.StartAsync(builder => builder.AddParser(), bus => bus.AddParserConsumers());

    public async Task DisposeAsync() => await _bus.DisposeAsync();

    private static ArticleFetched Fetched(string id, byte[]? body, string? summary = null) => new()
    {
        ArticleId = id,
        Url = "https://news.example/" + id,
        Item = new FeedItem { FeedUrl = "https://news.example/rss", Source = "وكالة", Title = "الناتو وأوكرانيا", Summary = summary },
        FetchedAt = DateTimeOffset.UtcNow,
        Body = body,
        ContentType = "text/html",
    };

    [Fact]
    public async Task A_windows_1256_page_is_published_as_its_article_in_arabic()
    {
        var paragraph = "قال الأمين العام لحلف شمال الأطلسي إن الحلف سيواصل دعم أوكرانيا في مواجهة الحرب، وإن الدول الأعضاء اتفقت على زيادة المساعدات العسكرية خلال الأشهر المقبلة.";
        var html = $"<html><head><meta charset=\"windows-1256\"><title>الناتو</title></head><body><article><h1>الناتو وأوكرانيا</h1><p>{paragraph}</p><p>{paragraph}</p><p>{paragraph}</p></article></body></html>";
        await _bus.Harness.Bus.Publish(Fetched("page", Encoding.GetEncoding("windows-1256").GetBytes(html)));

        var parsed = await _bus.PublishedAsync<ArticleParsed>(TimeSpan.FromSeconds(30));
        Assert.Equal("page", parsed.ArticleId);
        Assert.Contains("حلف شمال الأطلسي", parsed.Content.Text, StringComparison.Ordinal);
        Assert.True(parsed.Content.ExtractedFromPage);
    }

    [Fact]
    public async Task An_item_with_no_page_and_no_summary_faults_and_publishes_nothing()
    {
        await _bus.Harness.Bus.Publish(Fetched("empty", body: null));

        var fault = await _bus.PublishedAsync<Fault<ArticleFetched>>(TimeSpan.FromSeconds(30));
        Assert.Contains("No article text", fault.Exceptions[0].Message, StringComparison.Ordinal);
        Assert.False(await _bus.Harness.Published.Any<ArticleParsed>());
    }
}
