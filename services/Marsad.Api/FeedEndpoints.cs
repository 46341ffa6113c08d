using Marsad.Hosting;
using Marsad.Contracts;
using Marsad.Feeds;
using MassTransit;
using Marsad.Search;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marsad.Api;

/// <summary>The feed registry over HTTP: each feed with its health; add (a feed URL, or an OPML list's feeds), pause, resume, remove.</summary>
public static class FeedEndpoints
{
    public sealed record NewFeed(string? Url);

    public sealed record FeedChange(bool? Paused);

    public static RouteGroupBuilder MapFeedsApi(this IEndpointRouteBuilder endpoints)
    {
        var feeds = endpoints.MapGroup("/api/feeds");
        feeds.MapGet("", async (FeedRegistry registry, FeedSchedule schedule, TimeProvider clock, CancellationToken cancellationToken) =>
        {
            var now = clock.GetUtcNow();
            return TypedResults.Json((await registry.ListAsync(cancellationToken)).Select(feed => FeedView.Of(feed, schedule, now)), SearchJson.Options);
        });
        feeds.MapPost("", AddAsync);
        feeds.MapPost("/import", ImportAsync);
        feeds.MapPatch("/{id}", async Task<Results<Ok<FeedView>, ProblemHttpResult>> (string id, FeedChange change, FeedRegistry registry, FeedSchedule schedule, TimeProvider clock, CancellationToken cancellationToken) =>
        {
            var feed = change.Paused is { } paused ? await registry.SetPausedAsync(id, paused, cancellationToken) : await registry.FindAsync(id, cancellationToken);
            return feed is null ? NotFound(id) : TypedResults.Ok(FeedView.Of(feed, schedule, clock.GetUtcNow()));
        });
        feeds.MapDelete("/{id}", async Task<Results<NoContent, ProblemHttpResult>> (string id, FeedRegistry registry, CancellationToken cancellationToken) =>
            await registry.RemoveAsync(id, cancellationToken) ? TypedResults.NoContent() : NotFound(id));
        return feeds;
    }

    /// <summary>
    /// Adds the feed, or, given a site's page, the feeds it announces: <c>201</c> with the feeds added (and a warning
    /// when the address could not be looked at now and was added as given).
    /// </summary>
    private static async Task<Results<Created<AddedFeeds>, ProblemHttpResult>> AddAsync(
        NewFeed request, FeedRegistry registry, IRequestClient<DiscoverFeeds> discovery, FeedSchedule schedule, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (request.Url is { Length: > MaxUrlLength })
        {
            return BadRequest($"A feed address may be at most {MaxUrlLength} characters long.");
        }
        if (!Uri.TryCreate(request.Url?.Trim(), UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            return BadRequest($"'{request.Url}' is not an http(s) address.");
        }
        var discovered = await DiscoverAsync(discovery, url, cancellationToken);
        if (discovered.Error is { } error)
        {
            return BadRequest(error);
        }
        var added = new List<FeedView>();
        foreach (var feedUrl in discovered.FeedUrls)
        {
            added.Add(FeedView.Of(await registry.AddAsync(feedUrl, cancellationToken), schedule, clock.GetUtcNow()));
        }
        return TypedResults.Created($"/api/feeds/{added[0].Id}", new AddedFeeds(added, discovered.Warning));
    }

    /// <summary>How long a fetcher has to look at an address (its own fetch times out sooner) before it is added as given.</summary>
    public static readonly TimeSpan DiscoveryTimeout = TimeSpan.FromSeconds(45);

    /// <summary>A fetcher's look at the address; when none answers in time, the address as given, with a warning.</summary>
    private static async Task<FeedsDiscovered> DiscoverAsync(IRequestClient<DiscoverFeeds> discovery, Uri url, CancellationToken cancellationToken)
    {
        try
        {
            return (await discovery.GetResponse<FeedsDiscovered>(new DiscoverFeeds { Url = url.AbsoluteUri }, cancellationToken)).Message;
        }
        catch (Exception e) when (e is RequestTimeoutException or RequestFaultException)
        {
            return new FeedsDiscovered { FeedUrls = [url.AbsoluteUri], Warning = $"not checked: no fetcher could look at it now ({e.GetType().Name})" };
        }
    }

    /// <summary>The largest OPML list taken (a list of thousands of feeds is a few hundred kilobytes).</summary>
    public const int LargestOpmlBytes = 4 * 1024 * 1024;

    /// <summary>The most feeds one list may add: a desk's whole reading list, not a way to flood the fetchers.</summary>
    public const int MostOpmlFeeds = 5_000;

    public const int MaxUrlLength = 2048;

    /// <summary>
    /// What an OPML upload may be sent as. Not <c>text/plain</c> nor a form's types: a browser sends those from any
    /// page without asking this api first, which would let any site a team member opens plant feeds.
    /// </summary>
    public static readonly IReadOnlyList<string> OpmlContentTypes = ["text/x-opml", "application/xml", "text/xml", "application/opml+xml"];

    /// <summary>Adds every http(s) feed an OPML list (the request's body) names, as given: <c>201</c> with the feeds.</summary>
    private static async Task<Results<Created<AddedFeeds>, ProblemHttpResult>> ImportAsync(
        HttpRequest request, FeedRegistry registry, FeedSchedule schedule, TimeProvider clock, CancellationToken cancellationToken)
    {
        var mediaType = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (mediaType is null || !OpmlContentTypes.Contains(mediaType))
        {
            return TypedResults.Problem($"Send the OPML list as one of {string.Join(", ", OpmlContentTypes)}.",
                statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type");
        }
        // The cap holds on what is read, whatever Content-Length says (or a chunked body does not say).
        request.HttpContext.AllowRequestBody(LargestOpmlBytes + 1);
        if (await BoundedReads.ReadAtMostAsync(request.Body, LargestOpmlBytes, cancellationToken) is not { } body)
        {
            return BadRequest($"The OPML list is larger than {LargestOpmlBytes / 1024 / 1024} MB.");
        }
        IReadOnlyList<string> named;
        try
        {
            named = FeedSources.ReadOpml(new MemoryStream(body), "The uploaded list", baseUri: null);
        }
        catch (FeedFormatException e)
        {
            return BadRequest(e.Message);
        }
        var web = named.Where(url => url.Length <= MaxUrlLength && (url.StartsWith("http://", StringComparison.Ordinal) || url.StartsWith("https://", StringComparison.Ordinal))).Distinct().ToList();
        if (web.Count == 0)
        {
            return BadRequest("The OPML list names no http(s) feed (outlines with an xmlUrl).");
        }
        if (web.Count > MostOpmlFeeds)
        {
            return BadRequest($"The OPML list names {web.Count:N0} feeds; at most {MostOpmlFeeds:N0} are taken from one list.");
        }
        var now = clock.GetUtcNow();
        var added = (await registry.AddManyAsync(web, cancellationToken)).Select(feed => FeedView.Of(feed, schedule, now)).ToList();
        var skipped = named.Count - web.Count;
        return TypedResults.Created("/api/feeds", new AddedFeeds(added, skipped > 0 ? $"{skipped} outline(s) skipped: not http(s) addresses, too long or repeated." : null));
    }

    public sealed record AddedFeeds(IReadOnlyList<FeedView> Feeds, string? Warning);

    private static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "Bad request");

    private static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem($"No feed with id {id}.", statusCode: StatusCodes.Status404NotFound, title: "Not found");
}
