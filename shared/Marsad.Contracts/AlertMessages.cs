namespace Marsad.Contracts;

/// <summary>An article matched a subscription: raised at most once per subscription and article.</summary>
public sealed record AlertRaised
{
    public required string SubscriptionId { get; init; }
    public required string SubscriptionName { get; init; }
    public required string ArticleId { get; init; }
    public required string Url { get; init; }
    public required string Title { get; init; }
    public required string Source { get; init; }
    public DateTimeOffset? Published { get; init; }
    public required string Language { get; init; }
    public DateTimeOffset RaisedAt { get; init; }

    /// <summary>The article's story fingerprint (SimHash): a copy of a story already alerted on raises no new alert.</summary>
    public ulong? StoryFingerprint { get; init; }

    /// <summary>The first indexed article of the article's story (digests group by it).</summary>
    public string? StoryId { get; init; }
}

/// <summary>Fact: an indexed article was matched against every subscription; lists the alerts it raised (usually none).</summary>
public sealed record ArticleMatched
{
    public required string ArticleId { get; init; }
    public IReadOnlyList<AlertRaised> Alerts { get; init; } = [];
}
