using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Marsad.Search;

/// <summary>A search as the CLI and the API ask for it; see the query syntax in docs/contract.md.</summary>
public sealed record SearchRequest
{
    public string Query { get; init; } = "";
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public string? Language { get; init; }
    public string? Topic { get; init; }
    public string? Source { get; init; }
    public int Page { get; init; } = 1;
    public int Size { get; init; } = 10;

    public const int MaxSize = 100;

    /// <summary>How long one search may run in the store before it is stopped and refused.</summary>
    public static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(10);

    /// <summary>The page and size a store serves: within their ranges, and no deeper than <see cref="QueryLimits.MaxResultWindow"/>.</summary>
    public (int Page, int Size) ServedPage()
    {
        var size = Math.Clamp(Size, 1, MaxSize);
        return (Math.Clamp(Page, 1, QueryLimits.MaxResultWindow / size), size);
    }
}

/// <summary>The contract's search response: field names and shapes are part of the product's outer surface.</summary>
public sealed record SearchResponse
{
    public required long Total { get; init; }
    public required long TookMs { get; init; }
    public required IReadOnlyList<SearchHit> Hits { get; init; }
    public required IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> Facets { get; init; }
}

public sealed record SearchHit
{
    public required string Id { get; init; }
    public required string Url { get; init; }
    public required string Title { get; init; }
    public required string Source { get; init; }
    public DateTimeOffset? Published { get; init; }
    [JsonPropertyName("lang")]
    public required string Language { get; init; }
    public IReadOnlyList<string> Topics { get; init; } = [];
    public IReadOnlyList<string> Entities { get; init; } = [];
    public double Score { get; init; }
    public IReadOnlyList<string> Highlights { get; init; } = [];

    /// <summary>The article's picture, when its feed or page named one.</summary>
    public string? Image { get; init; }

    /// <summary>The first article of this one's story (its own id when it is the first; absent for articles indexed before stories).</summary>
    public string? StoryId { get; init; }

    /// <summary>A hit for a stored article, as every store reports it.</summary>
    public static SearchHit For(ArticleDocument article, double score, IReadOnlyList<string> highlights) => new()
    {
        Id = article.Id,
        Url = article.Url,
        Title = article.Title,
        Source = article.Source,
        Published = article.Published,
        Language = article.Language,
        Topics = article.Topics,
        Entities = article.Entities,
        Score = Math.Round(score, 4),
        Highlights = highlights,
        StoryId = article.StoryId,
        Image = article.Image,
    };
}

/// <summary>The facets every search response carries, whatever the store: keyword counts, and articles a day.</summary>
public static class SearchFacets
{
    public const string Topic = "topic";
    public const string Source = "source";
    public const string Lang = "lang";
    public const string Entity = "entity";

    /// <summary>Matching articles per publication day (UTC, yyyy-MM-dd), the most recent <see cref="Days"/> days that have any.</summary>
    public const string Date = "date";

    public const int Days = 60;

    /// <summary>The most frequent values of a keyword facet a response lists.</summary>
    public const int Values = 20;

    public static readonly IReadOnlyList<string> Keywords = [Topic, Source, Lang, Entity];

    public static readonly IReadOnlyList<string> All = [.. Keywords, Date];

    public static string Day(DateTimeOffset published) => published.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>The query could not be understood; the message says where. Callers answer 400 / exit code 2.</summary>
public sealed class QuerySyntaxException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The search ran past <see cref="SearchRequest.TimeLimit"/> and was stopped. Callers answer 400: the query asks too much.</summary>
public sealed class SearchTooCostlyException() : Exception($"The search ran longer than {SearchRequest.TimeLimit.TotalSeconds:0} s and was stopped; narrow the query or the dates.");

public static class SearchJson
{
    /// <summary>
    /// camelCase, with Arabic and the highlight markup left readable rather than \u-escaped. The relaxed encoder
    /// is safe here: this JSON is served as application/json and printed to terminals, never inlined into HTML.
    /// </summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };
}

/// <summary>How users may write dates in <c>--from</c>/<c>--to</c> and <c>from=</c>/<c>to=</c>: ISO 8601, date or date-time.</summary>
public static class SearchDates
{
    /// <summary>
    /// Dates outside these are clamped to them: no news is older or newer, and the ends of the calendar overflow the
    /// end-of-day arithmetic (<c>9999-12-31</c> was a 500).
    /// </summary>
    public static readonly DateTimeOffset Earliest = new(1900, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset Latest = new(2200, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A bare date means the whole day: its start for <c>from</c>, its end for <c>to</c>.</summary>
    public static bool TryParse(string? value, bool endOfDay, out DateTimeOffset? date)
    {
        if (!TryParseUnclamped(value, endOfDay, out date))
        {
            return false;
        }
        if (date is { } parsed)
        {
            date = parsed < Earliest ? Earliest : parsed > Latest ? Latest : parsed;
        }
        return true;
    }

    private static bool TryParseUnclamped(string? value, bool endOfDay, out DateTimeOffset? date)
    {
        date = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            return true;
        }
        var styles = System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal;
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var day))
        {
            date = new DateTimeOffset(day.ToDateTime(endOfDay ? TimeOnly.MaxValue : TimeOnly.MinValue), TimeSpan.Zero);
            return true;
        }
        if (DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, styles, out var parsed))
        {
            date = parsed;
            return true;
        }
        return false;
    }
}
