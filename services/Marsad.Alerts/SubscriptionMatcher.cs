using System.Collections.Concurrent;
using Marsad.Alerts.Delivery;
using Marsad.Arabic;
using Marsad.Contracts;
using Marsad.Search;
using Microsoft.Extensions.Logging;
using Marsad.Search.Queries;
using Marsad.Subscriptions;

namespace Marsad.Alerts;

/// <summary>
/// Matches one indexed article against every enabled subscription and records what it raises. The article is read
/// back from the store, so the alert sees exactly the text, language and topics that search sees.
/// </summary>
public sealed class SubscriptionMatcher(
    SubscriptionStore subscriptions,
    AlertHistory history,
    DeliveryJournal deliveries,
    ISearchStore store,
    EntityAliases aliases,
    TimeProvider timeProvider,
    ILogger<SubscriptionMatcher> logger)
{
    // Compiled once per subscription and query text: an edited query is compiled again.
    private readonly ConcurrentDictionary<(string Id, string Query), StoredQuery> _compiled = new();

    // The enabled subscriptions indexed by the terms they require, for the subscription list they were built from.
    private (IReadOnlyList<Subscription> From, StoredQueryIndex<Subscription> Index)? _index;
    private readonly Lock _indexGate = new();

    public async Task<IReadOnlyList<AlertRaised>> MatchAsync(string articleId, DateTimeOffset? published, CancellationToken cancellationToken)
    {
        var index = Index(await subscriptions.ListAsync(cancellationToken));
        if (index.Count == 0)
        {
            return [];
        }
        // Not there yet means a reader that has not seen the indexer's commit: throwing lets the retry policy wait.
        var article = await store.GetAsync(articleId, published, cancellationToken)
            ?? throw new InvalidOperationException($"Article {articleId} is not in the store yet.");

        var raised = new List<AlertRaised>();
        // Computed for the first match only: most articles match no subscription.
        ulong? story = null;
        IReadOnlyList<string>? otherSources = null;
        foreach (var subscription in StoredQueryMatcher.Matching(article, index))
        {
            var alert = new AlertRaised
            {
                SubscriptionId = subscription.Id,
                SubscriptionName = subscription.Name,
                ArticleId = article.Id,
                Url = article.Url,
                Title = article.Title,
                Source = article.Source,
                Published = article.Published,
                Language = article.Language,
                RaisedAt = timeProvider.GetUtcNow(),
                StoryFingerprint = story ??= StoryFingerprint.Of(article.Title + "\n" + article.Text),
                StoryId = article.StoryId,
            };
            if (history.TryRecord(alert))
            {
                logger.LogInformation("Alert {Subscription}: {Title} ({Url})", subscription.Name, article.Title, article.Url);
                raised.Add(alert);
                if (subscription.Mode == DigestMode.Instant && (subscription.Webhook ?? subscription.Email) is not null)
                {
                    // One body for every channel: the webhook's JSON, which the e-mail is rendered from.
                    otherSources ??= await OtherSourcesAsync(article, cancellationToken);
                    var body = WebhookSender.Body(subscription, alert, article.Topics, StoredQueryMatcher.Highlights(Compile(subscription), article), otherSources);
                    deliveries.AddForEachChannel(subscription, article.Id, body, alert.RaisedAt, dueAt: alert.RaisedAt);
                }
            }
        }
        return raised;
    }

    /// <summary>The other outlets that have reported the article's story so far (its copies in the index).</summary>
    private async Task<IReadOnlyList<string>> OtherSourcesAsync(ArticleDocument article, CancellationToken cancellationToken)
    {
        if (article.StoryId is not { Length: > 0 } storyId)
        {
            return [];
        }
        return (await store.StorySourcesAsync(storyId, cancellationToken)).Where(source => source != article.Source).Order(StringComparer.Ordinal).ToList();
    }

    private StoredQueryIndex<Subscription> Index(IReadOnlyList<Subscription> all)
    {
        lock (_indexGate)
        {
            if (_index is not { } built || !ReferenceEquals(built.From, all))
            {
                _index = built = (all, new StoredQueryIndex<Subscription>(all.Where(subscription => subscription.Enabled), Compile));
            }
            return built.Index;
        }
    }

    private StoredQuery Compile(Subscription subscription) =>
        _compiled.GetOrAdd((subscription.Id, subscription.Query), key => StoredQueryMatcher.Compile(key.Query, aliases));
}
