using Marsad.Contracts;
using MassTransit;

namespace Marsad.Cli;

/// <summary>The counts of a one-shot run, as the summary line prints them.</summary>
public sealed record RunSummary(int Fetched, int Indexed, int Duplicates, int Failed, int Alerts)
{
    public override string ToString() =>
        $"fetched {Fetched}, indexed {Indexed}, duplicates {Duplicates}, failed {Failed}, alerts {Alerts}";
}

/// <summary>
/// Follows a one-shot run through the bus. It knows how many feeds were asked for and learns from each feed's
/// <see cref="FeedFetched"/> how many articles entered the pipeline. The run is done when every article has come
/// out of the pipeline (indexed, recognised as already indexed, or faulted) and every indexed article has been
/// matched against the alert subscriptions.
/// </summary>
public sealed class RunTracker
{
    private readonly Lock _lock = new();
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _errors = [];
    private readonly List<TimeSpan> _latencies = [];
    private int _feedsExpected = -1;
    private int _feedsDone;
    private int _failedFeeds;
    private int _articlesPublished;
    private int _alreadyKnown;
    private int _indexed;
    private int _alreadyIndexed;
    private int _failedBeforeIndex;
    private int _matched;
    private int _failedMatching;
    private int _alerts;

    public Task Completion => _done.Task;

    public IReadOnlyList<string> Errors => Read(() => (IReadOnlyList<string>)[.. _errors]);

    /// <summary>For each article indexed in this run, the time from its fetch to the indexer's announcement.</summary>
    public IReadOnlyList<TimeSpan> Latencies => Read(() => (IReadOnlyList<TimeSpan>)[.. _latencies]);

    public RunSummary Summary => Read(() => new RunSummary(
        _articlesPublished,
        _indexed,
        _alreadyKnown + _alreadyIndexed,
        _failedFeeds + _failedBeforeIndex + _failedMatching,
        _alerts));

    public void ExpectFeeds(int count) => Update(() => _feedsExpected = count);

    public void OnFeedFetched(FeedFetched feed) => Update(() =>
    {
        _feedsDone++;
        _articlesPublished += feed.ArticlesPublished;
        _alreadyKnown += feed.ArticlesAlreadyKnown;
        if (feed.Error is not null)
        {
            _failedFeeds++;
            _errors.Add($"feed {feed.FeedUrl}: {feed.Error}");
        }
    });

    public void OnFeedFault(string feedUrl, string reason) => Update(() =>
    {
        _feedsDone++;
        _failedFeeds++;
        _errors.Add($"feed {feedUrl}: {reason}");
    });

    public void OnArticleIndexed(ArticleIndexed article, DateTimeOffset receivedAt) => Update(() =>
    {
        if (article.AlreadyIndexed)
        {
            _alreadyIndexed++;
        }
        else
        {
            _indexed++;
        }
        if (article.FetchedAt is { } fetchedAt)
        {
            _latencies.Add(receivedAt - fetchedAt);
        }
    });

    /// <summary>An article that could not be fetched, parsed, classified or indexed.</summary>
    public void OnArticleFault(string articleUrl, string reason) => Update(() =>
    {
        _failedBeforeIndex++;
        _errors.Add($"article {articleUrl}: {reason}");
    });

    public void OnArticleMatched(ArticleMatched matched) => Update(() =>
    {
        _matched++;
        _alerts += matched.Alerts.Count;
    });

    /// <summary>An indexed article whose matching against the subscriptions failed.</summary>
    public void OnMatchingFault(string articleUrl, string reason) => Update(() =>
    {
        _failedMatching++;
        _errors.Add($"alerts for {articleUrl}: {reason}");
    });

    private T Read<T>(Func<T> read)
    {
        lock (_lock)
        {
            return read();
        }
    }

    private void Update(Action change)
    {
        lock (_lock)
        {
            change();
            var outOfPipeline = _indexed + _alreadyIndexed + _failedBeforeIndex;
            var matchedOrFailed = _matched + _failedMatching;
            if (_feedsExpected >= 0 && _feedsDone >= _feedsExpected
                && outOfPipeline >= _articlesPublished
                && matchedOrFailed >= _indexed + _alreadyIndexed)
            {
                _done.TrySetResult();
            }
        }
    }
}

/// <summary>Listens on the bus for what <see cref="RunTracker"/> counts; registered only in one-shot runs.</summary>
public sealed class RunTrackerConsumer(RunTracker tracker, TimeProvider timeProvider) :
    IConsumer<FeedFetched>,
    IConsumer<ArticleIndexed>,
    IConsumer<ArticleMatched>,
    IConsumer<ArticleRejected>,
    IConsumer<Fault<FetchFeed>>,
    IConsumer<Fault<ArticleFetched>>,
    IConsumer<Fault<ArticleParsed>>,
    IConsumer<Fault<ArticleClassified>>,
    IConsumer<Fault<ArticleIndexed>>
{
    public Task Consume(ConsumeContext<FeedFetched> context) => Done(() => tracker.OnFeedFetched(context.Message));

    public Task Consume(ConsumeContext<ArticleIndexed> context) =>
        Done(() => tracker.OnArticleIndexed(context.Message, timeProvider.GetUtcNow()));

    public Task Consume(ConsumeContext<ArticleMatched> context) => Done(() => tracker.OnArticleMatched(context.Message));

    public Task Consume(ConsumeContext<ArticleRejected> context) =>
        Done(() => tracker.OnArticleFault(context.Message.Url, $"{context.Message.Stage}: {context.Message.Reason}"));

    public Task Consume(ConsumeContext<Fault<FetchFeed>> context) =>
        Done(() => tracker.OnFeedFault(context.Message.Message.FeedUrl, Reason(context.Message)));

    public Task Consume(ConsumeContext<Fault<ArticleFetched>> context) =>
        Done(() => tracker.OnArticleFault(context.Message.Message.Url, Reason(context.Message)));

    public Task Consume(ConsumeContext<Fault<ArticleParsed>> context) =>
        Done(() => tracker.OnArticleFault(context.Message.Message.Content.Url, Reason(context.Message)));

    public Task Consume(ConsumeContext<Fault<ArticleClassified>> context) =>
        Done(() => tracker.OnArticleFault(context.Message.Message.Content.Url, Reason(context.Message)));

    public Task Consume(ConsumeContext<Fault<ArticleIndexed>> context) =>
        Done(() => tracker.OnMatchingFault(context.Message.Message.Url, Reason(context.Message)));

    private static Task Done(Action record)
    {
        record();
        return Task.CompletedTask;
    }

    private static string Reason<T>(Fault<T> fault) => fault.Exceptions.FirstOrDefault()?.Message ?? "unknown error";
}
