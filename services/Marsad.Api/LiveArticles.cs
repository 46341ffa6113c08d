using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Marsad.Contracts;
using Marsad.Search;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using Marsad.Search.Analysis;
using Marsad.Search.Queries;

namespace Marsad.Api;

/// <summary>
/// Newly indexed articles, handed to every open live search in this process. Each api process hears every
/// <see cref="ArticleIndexed"/> on a temporary queue of its own, so any number of api instances can serve live pages.
/// </summary>
public sealed class LiveArticles
{
    // A page that cannot keep up loses the oldest news, not the process's memory.
    private const int BacklogPerListener = 256;

    private readonly Lock _gate = new();
    private readonly List<Channel<ArticleIndexed>> _listeners = [];

    public void Announce(ArticleIndexed article)
    {
        lock (_gate)
        {
            foreach (var listener in _listeners)
            {
                listener.Writer.TryWrite(article);
            }
        }
    }

    public async IAsyncEnumerable<ArticleIndexed> ListenAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<ArticleIndexed>(new BoundedChannelOptions(BacklogPerListener) { FullMode = BoundedChannelFullMode.DropOldest });
        lock (_gate)
        {
            _listeners.Add(channel);
        }
        try
        {
            await foreach (var article in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return article;
            }
        }
        finally
        {
            lock (_gate)
            {
                _listeners.Remove(channel);
            }
        }
    }
}

/// <summary>Hands each newly indexed article to the live searches (an article indexed again is not news).</summary>
public sealed class LiveArticlesConsumer(LiveArticles live) : IConsumer<ArticleIndexed>
{
    public Task Consume(ConsumeContext<ArticleIndexed> context)
    {
        if (!context.Message.AlreadyIndexed)
        {
            live.Announce(context.Message);
        }
        return Task.CompletedTask;
    }
}

public static class LiveEndpoints
{
    /// <summary>
    /// <c>GET /api/live</c> with the search's own parameters (<c>q, lang, topic, source, from, to</c>): server-sent
    /// events, one <c>article</c> event (a search hit, highlights included) for each new article that matches.
    /// </summary>
    public static RouteHandlerBuilder MapLiveApi(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/api/live", Results<ServerSentEventsResult<SearchHit>, ProblemHttpResult> (
            string? q, string? lang, string? topic, string? source, string? from, string? to,
            LiveArticles live, ISearchStore store, EntityAliases aliases, CancellationToken cancellationToken) =>
        {
            StoredQuery? query = null;
            try
            {
                // No query, or "*", is every article (the filters still apply).
                query = string.IsNullOrWhiteSpace(q) || q.Trim() == "*" ? null : StoredQueryMatcher.Compile(q, aliases);
            }
            catch (QuerySyntaxException e)
            {
                return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest, title: "Malformed query");
            }
            if (!SearchDates.TryParse(from, endOfDay: false, out var fromDate) || !SearchDates.TryParse(to, endOfDay: true, out var toDate))
            {
                return TypedResults.Problem("'from' and 'to' are ISO 8601 dates, e.g. 2022-01-07.", statusCode: StatusCodes.Status400BadRequest, title: "Bad request");
            }
            var filter = new LiveFilter(query, lang, topic, source, fromDate, toDate);
            return TypedResults.ServerSentEvents(MatchingAsync(filter, live, store, cancellationToken), eventType: "article");
        });

    /// <summary>The search's filters, applied to one article as the stores apply them: keyword values compared after the same normalisation, a blank one no filter.</summary>
    private sealed record LiveFilter(StoredQuery? Query, string? Language, string? Topic, string? Source, DateTimeOffset? From, DateTimeOffset? To)
    {
        public bool Admits(ArticleDocument article) =>
            Keeps(Language, [article.Language])
            && Keeps(Topic, article.Topics)
            && Keeps(Source, [article.Source])
            && (From is null || article.Published >= From)
            && (To is null || article.Published <= To)
            && (Query is null || StoredQueryMatcher.Matching(article, [Query], query => query).Any());

        private static bool Keeps(string? filter, IEnumerable<string> values) =>
            string.IsNullOrWhiteSpace(filter)
            || values.Any(value => MarsadAnalyzers.NormalizeKeyword(value) == MarsadAnalyzers.NormalizeKeyword(filter));
    }

    private static async IAsyncEnumerable<SearchHit> MatchingAsync(LiveFilter filter, LiveArticles live, ISearchStore store, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var indexed in live.ListenAsync(cancellationToken))
        {
            // Read back from the store, as the alerts are: the page shows what search shows.
            if (await ReadAsync(store, indexed, cancellationToken) is { } article && filter.Admits(article))
            {
                yield return SearchHit.For(article, score: 0, filter.Query is { } query ? StoredQueryMatcher.Highlights(query, article) : []);
            }
        }
    }

    // A reader may see the indexer's write a moment after it is announced.
    private static async Task<ArticleDocument?> ReadAsync(ISearchStore store, ArticleIndexed indexed, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            if (await store.GetAsync(indexed.ArticleId, indexed.Published, cancellationToken) is { } article)
            {
                return article;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(300), cancellationToken);
        }
        return null;
    }
}
