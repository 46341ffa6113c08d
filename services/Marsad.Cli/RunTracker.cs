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
/// Follows a one-shot run through the bus: it knows how many feeds were asked for, learns from each feed's
/// <see cref="FeedFetched"/> how many articles entered the pipeline, and is done when every one of them has come
/// out of it, indexed, recognised as already indexed, or faulted.
/// </summary>
public sealed class RunTracker
{
    private readonly Lock _lock = new();
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _errors = [];
    private readonly List<TimeSpan> _latencies = [];
    private int _feedsExpected = -1;
    private int _feedsDone;
    private int _articlesPublished;
    private int _alreadyKnown;
    private int _indexed;
    private int _alreadyIndexed;
    private int _failedArticles;
    private int _failedFeeds;

    public Task Completion => _done.Task;

    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_lock)
            {
                return [.. _errors];
            }
        }
    }

    /// <summary>For each article indexed in this run, the time from its fetch to the indexer's announcement.</summary>
    public IReadOnlyList<TimeSpan> Latencies
    {
        get
        {
            lock (_lock)
            {
                return [.. _latencies];
            }
        }
    }

    public RunSummary Summary
    {
        get
        {
            lock (_lock)
            {
                return new RunSummary(_articlesPublished, _indexed, _alreadyKnown + _alreadyIndexed, _failedArticles + _failedFeeds, Alerts: 0);
            }
        }
    }

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

    public void OnArticleIndexed(ArticleIndexed article, DateTimeOffset receivedAt) => Update(() =>
    {
        if (article.FetchedAt is { } fetchedAt)
        {
            _latencies.Add(receivedAt - fetchedAt);
        }
        if (article.AlreadyIndexed)
        {
            _alreadyIndexed++;
        }
        else
        {
            _indexed++;
        }
    });

    public void OnFeedFault(string feedUrl, string reason) => Update(() =>
    {
        _feedsDone++;
        _failedFeeds++;
        _errors.Add($"feed {feedUrl}: {reason}");
    });

    public void OnArticleFault(string articleUrl, string reason) => Update(() =>
    {
        _failedArticles++;
        _errors.Add($"article {articleUrl}: {reason}");
    });

    private void Update(Action change)
    {
        lock (_lock)
        {
            change();
            var articlesDone = _indexed + _alreadyIndexed + _failedArticles;
            if (_feedsExpected >= 0 && _feedsDone >= _feedsExpected && articlesDone >= _articlesPublished)
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
    IConsumer<Fault<FetchFeed>>,
    IConsumer<Fault<ArticleFetched>>,
    IConsumer<Fault<ArticleParsed>>,
    IConsumer<Fault<ArticleClassified>>
{
    public Task Consume(ConsumeContext<FeedFetched> context)
    {
        tracker.OnFeedFetched(context.Message);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<ArticleIndexed> context)
    {
        tracker.OnArticleIndexed(context.Message, timeProvider.GetUtcNow());
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<Fault<FetchFeed>> context)
    {
        tracker.OnFeedFault(context.Message.Message.FeedUrl, Reason(context.Message));
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<Fault<ArticleFetched>> context)
    {
        tracker.OnArticleFault(context.Message.Message.Url, Reason(context.Message));
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<Fault<ArticleParsed>> context)
    {
        tracker.OnArticleFault(context.Message.Message.Content.Url, Reason(context.Message));
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<Fault<ArticleClassified>> context)
    {
        tracker.OnArticleFault(context.Message.Message.Content.Url, Reason(context.Message));
        return Task.CompletedTask;
    }

    private static string Reason<T>(Fault<T> fault) =>
        fault.Exceptions.FirstOrDefault()?.Message ?? "unknown error";
}
