namespace Marsad.Search;

/// <summary>An article as the search store holds it; the id is the article's identity, so re-indexing replaces nothing twice.</summary>
public sealed record ArticleDocument
{
    public required string Id { get; init; }
    public required string Url { get; init; }
    public required string Title { get; init; }
    public required string Text { get; init; }
    public required string Source { get; init; }
    public required string Language { get; init; }
    public DateTimeOffset? Published { get; init; }
    public string? Author { get; init; }

    /// <summary>The article's picture (the feed's enclosure or media:content, else the page's og:image), kept to show, not searched.</summary>
    public string? Image { get; init; }
    public IReadOnlyList<string> Topics { get; init; } = [];
    public IReadOnlyList<string> Entities { get; init; } = [];

    /// <summary>The SimHash of the article's title and text (<c>StoryFingerprint</c>), by which its copies are found.</summary>
    public ulong? StoryFingerprint { get; init; }

    /// <summary>The id of the first article of its story that Marsad indexed (its own id when it is the first).</summary>
    public string? StoryId { get; init; }
}

/// <summary>A stored article that may be a copy of the same story: it shares bands of its story fingerprint.</summary>
public sealed record StoryCandidate(string Id, string StoryId, ulong Fingerprint, DateTimeOffset? Published);

public enum IndexOutcome
{
    Indexed,
    AlreadyIndexed,

    /// <summary>The store refuses this document for good (a mapping conflict); the reason says why.</summary>
    Rejected,
}

/// <summary>What became of one article of a batch.</summary>
public sealed record IndexResult(IndexOutcome Outcome, string? Reason = null)
{
    public static readonly IndexResult Indexed = new(IndexOutcome.Indexed);
    public static readonly IndexResult AlreadyIndexed = new(IndexOutcome.AlreadyIndexed);
}
