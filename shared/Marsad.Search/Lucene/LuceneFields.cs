namespace Marsad.Search.Lucene;

/// <summary>Field names in the embedded index. The public ones are those a user's query may name.</summary>
internal static class LuceneFields
{
    public const string Id = "id";
    public const string Url = "url";
    public const string Title = "title";
    public const string Text = "text";
    public const string Source = "source";
    public const string Topic = "topic";
    public const string Entity = "entity";
    public const string Lang = "lang";
    public const string Author = "author";
    public const string Published = "published";

    public static readonly string[] KeywordFields = [Source, Topic, Entity, Lang];

    public static readonly HashSet<string> Public = [Title, Text, Source, Topic, Entity, Lang];

    /// <summary>Facet dimensions, named as in the search response.</summary>
    public static readonly string[] FacetDimensions = [Topic, Source, Lang];
}
