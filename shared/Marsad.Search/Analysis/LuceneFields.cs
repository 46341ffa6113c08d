namespace Marsad.Search.Analysis;

/// <summary>Field names in the embedded index. The public ones are those a user's query may name.</summary>
internal static class LuceneFields
{
    public const string Id = "id";
    public const string Url = "url";
    public const string Title = "title";
    public const string Text = "text";

    /// <summary>Normalised but not stemmed: exact matching on request, and a higher score for exact matches.</summary>
    public const string TitleExact = "title.exact";
    public const string TextExact = "text.exact";
    public const string Source = "source";
    public const string Topic = "topic";
    public const string Entity = "entity";
    public const string Lang = "lang";
    public const string Author = "author";
    public const string Image = "image";
    public const string Published = "published";

    /// <summary>The id of the first article of the article's story: <c>story:ID</c> finds all its copies.</summary>
    public const string Story = "story";

    /// <summary>The bands of the story fingerprint, looked up to find an article's copies; not searchable by users.</summary>
    public const string StoryBand = "story_band";
    public const string StoryFingerprint = "story_fingerprint";

    public static readonly string[] KeywordFields = [Source, Topic, Entity, Lang, Story];

    public static readonly string[] ExactFields = [TitleExact, TextExact];

    public static readonly HashSet<string> Public = [Title, Text, TitleExact, TextExact, Source, Topic, Entity, Lang, Story];

    /// <summary>
    /// The fields a query searches when it names none, with their weights: a title match counts double, and an
    /// exact match (no stemming) counts more than one that only shares the stem. Both stores use these weights.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, float> DefaultFieldBoosts = new Dictionary<string, float>
    {
        [Title] = 2f,
        [Text] = 1f,
        [TitleExact] = 4f,
        [TextExact] = 3f,
    };

    /// <summary>Facet dimensions, named as in the search response.</summary>
    public static readonly IReadOnlyList<string> FacetDimensions = SearchFacets.All;
}
