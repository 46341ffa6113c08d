namespace Marsad.Contracts;

/// <summary>What the feed said about an item; the parser falls back to it when the page yields nothing.</summary>
public sealed record FeedItem
{
    public required string FeedUrl { get; init; }
    public required string Source { get; init; }
    public string? Title { get; init; }
    public string? Summary { get; init; }
    public string? Author { get; init; }
    public DateTimeOffset? Published { get; init; }

    /// <summary>The item's picture: an image enclosure, media:content or media:thumbnail (an absolute http(s) address).</summary>
    public string? ImageUrl { get; init; }
}

/// <summary>Fact: an article page was downloaded (or could not be, in which case <see cref="FetchError"/> says why).</summary>
public sealed record ArticleFetched
{
    public required string ArticleId { get; init; }
    public required string Url { get; init; }
    public required FeedItem Item { get; init; }
    public required DateTimeOffset FetchedAt { get; init; }

    /// <summary>The page as served: bytes, because the charset is the parser's decision (header, BOM or meta).</summary>
    public byte[]? Body { get; init; }
    public string? ContentType { get; init; }
    public string? FetchError { get; init; }
}

/// <summary>A clean article: the parser's output, carried unchanged through classification.</summary>
public sealed record ArticleContent
{
    public required string Url { get; init; }
    public required string Source { get; init; }
    public required string Title { get; init; }
    public required string Text { get; init; }
    public string? Author { get; init; }
    public DateTimeOffset? Published { get; init; }

    /// <summary>The article's picture (the feed's, else the page's og:image), kept as metadata.</summary>
    public string? ImageUrl { get; init; }
    public string? LanguageHint { get; init; }

    /// <summary>False when the page yielded no article and the feed's summary was used instead.</summary>
    public bool ExtractedFromPage { get; init; }

    /// <summary>Why the page was not used, when it was not: an index page, a video page, a paywall, too little text, no page.</summary>
    public string? NotAnArticle { get; init; }

    /// <summary>When the fetcher got the page: the start of the article's way through Marsad, for latency figures.</summary>
    public DateTimeOffset? FetchedAt { get; init; }
}

public sealed record ArticleParsed
{
    public required string ArticleId { get; init; }
    public required ArticleContent Content { get; init; }
}

public sealed record TopicScore(string Label, double Score);

public sealed record NamedEntity(string Text, string Type, string Normalized, int Count);

public sealed record ArticleClassified
{
    public required string ArticleId { get; init; }
    public required ArticleContent Content { get; init; }
    public required string Language { get; init; }
    public double LanguageConfidence { get; init; }
    public IReadOnlyList<TopicScore> Topics { get; init; } = [];
    public IReadOnlyList<NamedEntity> Entities { get; init; } = [];
}

/// <summary>Fact: an article is in the store. <see cref="AlreadyIndexed"/> marks a re-delivery that changed nothing.</summary>
public sealed record ArticleIndexed
{
    public required string ArticleId { get; init; }
    public required string Url { get; init; }
    public required string Title { get; init; }
    public required string Source { get; init; }
    public DateTimeOffset? Published { get; init; }
    public required string Language { get; init; }
    public IReadOnlyList<string> Topics { get; init; } = [];
    public bool AlreadyIndexed { get; init; }
    public DateTimeOffset? FetchedAt { get; init; }

    /// <summary>The id of the first indexed article of this article's story (its own id when it is the first).</summary>
    public string? StoryId { get; init; }
}

/// <summary>Fact: a stage refused an article for good; the message itself went to that stage's error queue with the reason.</summary>
public sealed record ArticleRejected
{
    public required string ArticleId { get; init; }
    public required string Url { get; init; }
    public required string Stage { get; init; }
    public required string Reason { get; init; }
}
