using System.Text.Json;
using System.Text.Json.Nodes;
using Marsad.Contracts;
using Marsad.Hosting;
using Marsad.Search;
using Microsoft.Extensions.Options;
using Marsad.Subscriptions;

namespace Marsad.Alerts.Delivery;

/// <summary>
/// Hourly and daily digests: when a period ends, each digest subscription that raised alerts in it gets one
/// delivery per channel listing its stories (alerts grouped by story, each with the outlets that reported it),
/// tried and retried like any other delivery. A period with no alerts sends nothing.
/// </summary>
public sealed class DigestBuilder(
    SubscriptionStore subscriptions,
    DeliveryJournal journal,
    ISearchStore store,
    IOptions<MarsadOptions> marsad,
    IOptions<AlertDeliveryOptions> options)
{
    // Digests already looked at, so a period is considered once per process, not on every wake.
    private readonly HashSet<(string Subscription, string Digest)> _considered = [];

    /// <summary>The last complete period before <paramref name="now"/>: the previous full hour, or the 24 hours up to the last daily time.</summary>
    public static (DateTimeOffset From, DateTimeOffset To) LastPeriod(DigestMode mode, DateTimeOffset now, TimeSpan dailyAt)
    {
        now = now.ToUniversalTime();
        if (mode == DigestMode.Hourly)
        {
            var hour = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
            return (hour.AddHours(-1), hour);
        }
        var today = new DateTimeOffset(now.Date, TimeSpan.Zero) + dailyAt;
        var end = today <= now ? today : today.AddDays(-1);
        return (end.AddDays(-1), end);
    }

    public const string IdPrefix = AlertDelivery.DigestIdPrefix;

    /// <summary>The id a digest has in the delivery journal, in place of an article's.</summary>
    public static string DigestId(DateTimeOffset periodEnd) => IdPrefix + periodEnd.UtcDateTime.ToString("yyyyMMdd'T'HHmm'Z'", System.Globalization.CultureInfo.InvariantCulture);

    public async Task EnqueueDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var due = (await subscriptions.ListAsync(cancellationToken))
            .Where(subscription => subscription.Enabled && subscription.Mode != DigestMode.Instant && (subscription.Webhook ?? subscription.Email) is not null)
            .Select(subscription => (Subscription: subscription, Period: LastPeriod(subscription.Mode, now, options.Value.DailyDigestAt)))
            .Where(item => _considered.Add((item.Subscription.Id, DigestId(item.Period.To))))
            .ToList();
        if (due.Count == 0)
        {
            return;
        }
        var history = AlertHistory.Read(marsad.Value.DataDir).ToList();
        foreach (var (subscription, (from, to)) in due)
        {
            var alerts = history.Where(alert => alert.SubscriptionId == subscription.Id && alert.RaisedAt >= from && alert.RaisedAt < to).ToList();
            if (alerts.Count == 0)
            {
                continue;
            }
            var body = await BodyAsync(subscription, from, to, alerts, cancellationToken);
            journal.AddForEachChannel(subscription, DigestId(to), body, raisedAt: to, dueAt: now);
        }
    }

    private async Task<string> BodyAsync(Subscription subscription, DateTimeOffset from, DateTimeOffset to, List<AlertRaised> alerts, CancellationToken cancellationToken)
    {
        var stories = new JsonArray();
        foreach (var story in alerts.GroupBy(alert => alert.StoryId ?? alert.ArticleId))
        {
            var first = story.First();
            var sources = story.Select(alert => alert.Source).ToHashSet();
            if (first.StoryId is { } storyId)
            {
                // The copies indexed since the alert, by outlets that reported it later in the period.
                sources.UnionWith(await store.StorySourcesAsync(storyId, cancellationToken));
            }
            sources.Remove(first.Source);
            stories.Add(WebhookSender.Article(first, sources.Order(StringComparer.Ordinal)));
        }
        return new JsonObject
        {
            ["subscriptionId"] = subscription.Id,
            ["subscriptionName"] = subscription.Name,
            ["digest"] = new JsonObject
            {
                ["mode"] = subscription.Mode.ToString().ToLowerInvariant(),
                ["from"] = from.ToString("O"),
                ["to"] = to.ToString("O"),
            },
            ["stories"] = stories,
        }.ToJsonString(WebhookSender.BodyJson);
    }
}
