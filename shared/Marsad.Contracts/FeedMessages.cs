namespace Marsad.Contracts;

/// <summary>Command: fetch one feed now and publish every article it lists that has not been seen before.</summary>
public sealed record FetchFeed
{
    public required string FeedUrl { get; init; }

    /// <summary>The poller's claim on the feed this request was made under; none for a one-off "fetch now".</summary>
    public string? ClaimId { get; init; }

    /// <summary>The feed's content as its WebSub hub pushed it (signature checked): read this rather than fetch the feed.</summary>
    public byte[]? PushedContent { get; init; }

    public string? PushedContentType { get; init; }
}

/// <summary>Fact: a feed was fetched (or failed); how many of its items became articles.</summary>
public sealed record FeedFetched
{
    public required string FeedUrl { get; init; }
    public required DateTimeOffset FetchedAt { get; init; }
    public int ItemsSeen { get; init; }
    public int ArticlesPublished { get; init; }
    public int ArticlesAlreadyKnown { get; init; }
    public bool NotModified { get; init; }
    public string? Error { get; init; }

    /// <summary>Another fetcher was already fetching the feed, so this request was dropped (the feed was not fetched twice at once).</summary>
    public bool AlreadyBeingFetched { get; init; }
}

/// <summary>
/// Request: look at an address a user wants to follow (a feed, or a site's page that announces feeds) before it is
/// added. Answered by a fetcher with <see cref="FeedsDiscovered"/>: the api never fetches the web itself.
/// </summary>
public sealed record DiscoverFeeds
{
    public required string Url { get; init; }
}

/// <summary>What an address turned out to be: its feeds (the address itself when it is one), or why it is none.</summary>
public sealed record FeedsDiscovered
{
    public IReadOnlyList<string> FeedUrls { get; init; } = [];

    /// <summary>The address could not be looked at now and is offered as given (it may be a feed that is down).</summary>
    public string? Warning { get; init; }

    /// <summary>The address was read and is neither a feed nor a page announcing one.</summary>
    public string? Error { get; init; }
}
