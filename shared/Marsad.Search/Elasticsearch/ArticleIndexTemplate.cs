using System.Text.Json;
using System.Text.Json.Nodes;
using Marsad.Arabic;
using Marsad.Search.Analysis;

namespace Marsad.Search.Elasticsearch;

/// <summary>
/// The index template for article indices, built from the same definitions as the embedded index's analyzers
/// (<see cref="ArabicNormalizer.CharacterFoldings"/>, <see cref="MarsadAnalyzers.StopWordList"/>,
/// <see cref="MarsadAnalyzers.ElidedArticles"/>, <see cref="MarsadAnalyzers.AttachedPrepositionPatterns"/>,
/// <see cref="MarsadAnalyzers.StemOverrides"/>, Lucene's Arabic light
/// stemmer), so a query finds the same articles
/// in both stores. deploy/elasticsearch/ ships this JSON for operators; a test keeps the two identical.
/// </summary>
public static class ArticleIndexTemplate
{
    public const string TextAnalyzer = "marsad_text";
    public const string TextQueryAnalyzer = "marsad_text_query";
    public const string ExactAnalyzer = "marsad_exact";
    public const string KeywordNormalizer = "marsad_keyword";
    private const string FoldingCharFilter = "marsad_arabic_folding";

    public static string TemplateName(string indexPrefix) => indexPrefix;

    public static JsonObject Build(string indexPrefix, int replicas = 0) => new()
    {
        ["index_patterns"] = new JsonArray(indexPrefix + "-*"),
        ["priority"] = 200,
        ["_meta"] = new JsonObject { ["description"] = "Marsad articles: Arabic analysis shared with the embedded Lucene index" },
        ["template"] = new JsonObject
        {
            ["aliases"] = new JsonObject { [indexPrefix] = new JsonObject() },
            ["settings"] = new JsonObject
            {
                ["number_of_shards"] = 1,
                ["number_of_replicas"] = replicas,
                ["analysis"] = Analysis(),
            },
            ["mappings"] = Mappings(),
        },
    };

    public static string ToJson(JsonObject template) =>
        template.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    private static JsonObject Analysis() => new()
    {
        ["char_filter"] = new JsonObject
        {
            [FoldingCharFilter] = new JsonObject
            {
                ["type"] = "mapping",
                // Escaped, so invisible characters (tatweel, bidi marks, zero-width) survive in the file and the rule parser.
                ["mappings"] = new JsonArray(ArabicNormalizer.CharacterFoldings
                    .Select(folding => (JsonNode)$"{Escape(folding.Key.ToString())}=>{Escape(folding.Value)}")
                    .ToArray()),
            },
        },
        ["filter"] = new JsonObject
        {
            ["marsad_elision"] = new JsonObject
            {
                ["type"] = "elision",
                ["articles_case"] = true,
                ["articles"] = new JsonArray(MarsadAnalyzers.ElidedArticles.Select(article => (JsonNode)article).ToArray()),
            },
            ["marsad_stop"] = new JsonObject
            {
                ["type"] = "stop",
                ["ignore_case"] = true,
                ["stopwords"] = new JsonArray(MarsadAnalyzers.StopWordList.Select(word => (JsonNode)word).ToArray()),
            },
            ["marsad_attached_preposition"] = new JsonObject
            {
                ["type"] = "pattern_capture",
                ["preserve_original"] = true,
                ["patterns"] = new JsonArray(MarsadAnalyzers.AttachedPrepositionPatterns.Select(pattern => (JsonNode)pattern).ToArray()),
            },
            ["marsad_root_waw"] = new JsonObject
            {
                ["type"] = "stemmer_override",
                ["rules"] = new JsonArray(MarsadAnalyzers.StemOverrides.Select(rule => (JsonNode)$"{rule.Key} => {rule.Value}").ToArray()),
            },
        },
        ["analyzer"] = new JsonObject
        {
            [TextAnalyzer] = TextChain(stem: true, splitAttachedPrepositions: true),
            [TextQueryAnalyzer] = TextChain(stem: true, splitAttachedPrepositions: false),
            [ExactAnalyzer] = TextChain(stem: false, splitAttachedPrepositions: false),
        },
        ["normalizer"] = new JsonObject
        {
            [KeywordNormalizer] = new JsonObject
            {
                ["type"] = "custom",
                ["char_filter"] = new JsonArray(FoldingCharFilter),
                ["filter"] = new JsonArray("lowercase"),
            },
        },
    };

    // The same chain, in the same order, as MarsadAnalyzers' TextAnalyzer with the same two switches.
    private static JsonObject TextChain(bool stem, bool splitAttachedPrepositions)
    {
        var filters = new List<string> { "lowercase", "marsad_elision" };
        if (splitAttachedPrepositions)
        {
            filters.Add("marsad_attached_preposition");
        }
        filters.Add("marsad_stop");
        if (stem)
        {
            filters.AddRange(["marsad_root_waw", "arabic_stem"]);
        }
        return new JsonObject
        {
            ["type"] = "custom",
            ["char_filter"] = new JsonArray(FoldingCharFilter),
            ["tokenizer"] = "standard",
            ["filter"] = new JsonArray(filters.Select(filter => (JsonNode)filter).ToArray()),
        };
    }

    private static JsonObject Mappings() => new()
    {
        ["dynamic"] = "strict",
        ["properties"] = new JsonObject
        {
            ["id"] = new JsonObject { ["type"] = "keyword" },
            ["url"] = new JsonObject { ["type"] = "keyword", ["index"] = false },
            ["title"] = new JsonObject
            {
                ["type"] = "text",
                ["analyzer"] = TextAnalyzer,
                ["search_analyzer"] = TextQueryAnalyzer,
                ["fields"] = new JsonObject
                {
                    ["exact"] = new JsonObject { ["type"] = "text", ["analyzer"] = ExactAnalyzer },
                    ["keyword"] = new JsonObject { ["type"] = "keyword", ["ignore_above"] = 1024 },
                },
            },
            ["text"] = new JsonObject
            {
                ["type"] = "text",
                ["analyzer"] = TextAnalyzer,
                ["search_analyzer"] = TextQueryAnalyzer,
                // Stemmed with each language's own rules, for articles in those languages.
                ["fields"] = new JsonObject
                {
                    ["exact"] = new JsonObject { ["type"] = "text", ["analyzer"] = ExactAnalyzer },
                    ["en"] = new JsonObject { ["type"] = "text", ["analyzer"] = "english" },
                    ["fr"] = new JsonObject { ["type"] = "text", ["analyzer"] = "french" },
                },
            },
            ["source"] = KeywordWithRaw(),
            ["topic"] = KeywordWithRaw(),
            ["entity"] = KeywordWithRaw(),
            ["lang"] = KeywordWithRaw(),
            ["author"] = new JsonObject { ["type"] = "keyword" },
            ["image"] = new JsonObject { ["type"] = "keyword", ["index"] = false },
            ["published"] = new JsonObject { ["type"] = "date" },
            // Same-story grouping: the first article's id (searchable, story:ID), the fingerprint's bands (looked up
            // to find copies) and the fingerprint itself (compared bit by bit, never searched).
            ["story"] = new JsonObject { ["type"] = "keyword", ["normalizer"] = KeywordNormalizer },
            ["story_band"] = new JsonObject { ["type"] = "keyword" },
            ["story_fingerprint"] = new JsonObject { ["type"] = "keyword", ["index"] = false },
            ["@timestamp"] = new JsonObject { ["type"] = "date" },
        },
    };

    // Filters and queries match the normalised value; facets (and Kibana) show the value as published (.raw).
    private static JsonObject KeywordWithRaw() => new()
    {
        ["type"] = "keyword",
        ["normalizer"] = KeywordNormalizer,
        ["fields"] = new JsonObject { ["raw"] = new JsonObject { ["type"] = "keyword" } },
    };

    private static string Escape(string value) => string.Concat(value.Select(c => $"\\u{(int)c:X4}"));
}
