using Marsad.Hosting;
using Marsad.Search;
using Marsad.Search.Lucene;
using Marsad.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Marsad.Subscriptions;

namespace Marsad.Alerts.Tests;

/// <summary>The alerts service's matching, over a real embedded index and real files in a data folder.</summary>
[Trait(Needs.Trait, Needs.SharedData)]
public sealed class SubscriptionMatcherTests : IDisposable
{
    private readonly TemporaryDirectory _data = new();
    private readonly LuceneSearchStore _store;
    private readonly SubscriptionStore _subscriptions;

    public SubscriptionMatcherTests()
    {
        _store = new LuceneSearchStore(Path.Combine(_data.Path, "index"));
        _subscriptions = new FileSubscriptionStore(Options(), TimeProvider.System);
    }

    public void Dispose()
    {
        _store.Dispose();
        _data.Dispose();
    }

    private IOptions<MarsadOptions> Options() => Microsoft.Extensions.Options.Options.Create(new MarsadOptions { DataDir = _data.Path });

    private SubscriptionMatcher Matcher(AlertHistory history) =>
        new(_subscriptions, history, new DeliveryJournal(Options()), _store, EntityAliases.Shipped, TimeProvider.System, NullLogger<SubscriptionMatcher>.Instance);

    private static ArticleDocument Article(string id, string title, string text) => new()
    {
        Id = id, Url = "https://news.example/" + id, Title = title, Text = text, Source = "وكالة", Language = "ar",
    };

    [Fact]
    public async Task An_article_alerts_each_matching_subscription_once_even_when_delivered_again()
    {
        await _store.IndexAsync(
        [
            Article("nato", "الناتو وأوكرانيا", RepoPaths.SeedArticleText),
            Article("other", "أسعار النفط", "ارتفعت أسعار النفط اليوم في الأسواق العالمية بعد قرار خفض الإنتاج"),
        ], CancellationToken.None);
        var watch = await _subscriptions.AddAsync("NATO and Ukraine", "أوكرانيا AND الناتو", null, null, DigestMode.Instant, null, CancellationToken.None);
        await _subscriptions.AddAsync("Oil", "النفط", null, null, DigestMode.Instant, null, CancellationToken.None);

        using (var history = new AlertHistory(Options()))
        {
            var matcher = Matcher(history);
            var alert = Assert.Single(await matcher.MatchAsync("nato", null, CancellationToken.None));
            Assert.Equal(watch.Id, alert.SubscriptionId);
            Assert.Equal("NATO and Ukraine", alert.SubscriptionName);
            Assert.Equal("https://news.example/nato", alert.Url);
            // A re-delivery of the same ArticleIndexed raises nothing new.
            Assert.Empty(await matcher.MatchAsync("nato", null, CancellationToken.None));
        }

        // Nor after a restart: the history is on disk.
        using var reopened = new AlertHistory(Options());
        Assert.Empty(await Matcher(reopened).MatchAsync("nato", null, CancellationToken.None));
        Assert.Single(AlertHistory.Read(_data.Path));
    }

    [Fact]
    public async Task Another_outlet_s_copy_of_a_story_already_alerted_on_raises_no_new_alert()
    {
        var seed = RepoPaths.SeedArticleText;
        var paragraphs = seed.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var copy = string.Join('\n', paragraphs.Skip(1).SkipLast(1).Append("المصدر: وكالات")).Replace("اليوم الجمعة", "الجمعة");
        var other = AntCorpus.Sample(every: 10).First(article => article.Text.Contains("الناتو", StringComparison.Ordinal));
        await _store.IndexAsync(
        [
            Article("nato", "الناتو يتحد ضد أي عمل عسكري روسي", seed),
            Article("nato-copy", "الحلفاء يتوحدون في وجه موسكو", copy),
            Article("other-story", other.Title, other.Text),
        ], CancellationToken.None);
        await _subscriptions.AddAsync("NATO", "الناتو", null, null, DigestMode.Instant, null, CancellationToken.None);

        using (var history = new AlertHistory(Options()))
        {
            var matcher = Matcher(history);
            Assert.Single(await matcher.MatchAsync("nato", null, CancellationToken.None));
            Assert.Empty(await matcher.MatchAsync("nato-copy", null, CancellationToken.None));
            // A different story on the same subject is news.
            Assert.Single(await matcher.MatchAsync("other-story", null, CancellationToken.None));
        }
        // The stories are remembered across a restart.
        using var reopened = new AlertHistory(Options());
        Assert.Empty(await Matcher(reopened).MatchAsync("nato-copy", null, CancellationToken.None));
        Assert.Equal(["nato", "other-story"], AlertHistory.Read(_data.Path).Select(alert => alert.ArticleId));
    }

    [Fact]
    public async Task An_article_not_yet_visible_in_the_store_is_an_error_to_retry()
    {
        await _subscriptions.AddAsync("any", "الناتو", null, null, DigestMode.Instant, null, CancellationToken.None);
        using var history = new AlertHistory(Options());
        await Assert.ThrowsAsync<InvalidOperationException>(() => Matcher(history).MatchAsync("missing", null, CancellationToken.None));
    }

    [Fact]
    public async Task A_malformed_query_is_refused_when_the_subscription_is_added()
    {
        var error = await Assert.ThrowsAsync<QuerySyntaxException>(
            () => _subscriptions.AddAsync("bad", "\"unclosed", null, null, DigestMode.Instant, null, CancellationToken.None));
        Assert.Contains("column", error.Message, StringComparison.Ordinal);
        Assert.Empty(await _subscriptions.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Editing_pausing_and_resuming_a_subscription_never_sends_again_what_it_already_matched()
    {
        await _store.IndexAsync([Article("nato", "الناتو وأوكرانيا", RepoPaths.SeedArticleText)], CancellationToken.None);
        var subscription = await _subscriptions.AddAsync("NATO", "الناتو", null, null, DigestMode.Instant, null, CancellationToken.None);
        using var history = new AlertHistory(Options());
        var matcher = Matcher(history);
        Assert.Single(await matcher.MatchAsync("nato", null, CancellationToken.None));

        await _subscriptions.UpdateAsync(subscription.Id, new SubscriptionChange(Query: "الناتو AND أوكرانيا"), CancellationToken.None);
        Assert.Empty(await matcher.MatchAsync("nato", null, CancellationToken.None));

        await _subscriptions.UpdateAsync(subscription.Id, new SubscriptionChange(Enabled: false), CancellationToken.None);
        Assert.Empty(await matcher.MatchAsync("nato", null, CancellationToken.None));
        await _subscriptions.UpdateAsync(subscription.Id, new SubscriptionChange(Enabled: true), CancellationToken.None);
        Assert.Empty(await matcher.MatchAsync("nato", null, CancellationToken.None));

        Assert.Single(AlertHistory.Read(_data.Path));
        await Assert.ThrowsAsync<QuerySyntaxException>(() => _subscriptions.UpdateAsync(subscription.Id, new SubscriptionChange(Query: "((("), CancellationToken.None));
        Assert.Null(await _subscriptions.UpdateAsync("nope", new SubscriptionChange(Enabled: false), CancellationToken.None));
    }
}
