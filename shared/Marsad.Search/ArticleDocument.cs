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
    public IReadOnlyList<string> Topics { get; init; } = [];
    public IReadOnlyList<string> Entities { get; init; } = [];
}

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
