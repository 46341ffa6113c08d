using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Marsad.Arabic;
using Marsad.Search;

namespace Marsad.Testing;

/// <summary>
/// One query of the relevance set. <see cref="Judge"/> is the reader's judgement written as a pattern over the
/// normalised title and text (every form of the name or word a reader would count as a hit, with joined prefixes),
/// independent of either store's analysis; <see cref="Relevant"/> is what it selects in the sample. Articles that
/// match <see cref="Exclude"/> and not <see cref="Judge"/> are the near misses the query must not find.
/// </summary>
public sealed record RelevanceQuery(string Id, string Query, string Why, string Judge, string? Exclude, IReadOnlyList<string> Relevant);

/// <summary>What a store made of one query: precision in the first ten and over every hit, recall over every hit, and the misses.</summary>
public sealed record RelevanceResult(
    RelevanceQuery Query, int Hits, double PrecisionAt10, double Precision, double Recall, IReadOnlyList<string> Missed, IReadOnlyList<string> WronglyFound, IReadOnlyList<string> NotRelevantInTop10);

/// <summary>
/// The relevance set (tests/relevance/ant-relevance.json): queries over a fixed sample of the ANT corpus with the
/// article ids each must find. The tests require every one to be found in both stores; bench/run.sh relevance
/// prints precision@10 and recall.
/// </summary>
public sealed class RelevanceSet
{
    public static string DefaultPath => Path.Combine(RepoPaths.Root, "tests", "relevance", "ant-relevance.json");

    private RelevanceSet(int every, IReadOnlyList<RelevanceQuery> queries)
    {
        Every = every;
        Queries = queries;
    }

    /// <summary>The sample: every Nth article of the sorted corpus.</summary>
    public int Every { get; }

    public IReadOnlyList<RelevanceQuery> Queries { get; }

    public static RelevanceSet Load(string? path = null)
    {
        var json = JsonNode.Parse(File.ReadAllText(path ?? DefaultPath))!;
        var queries = json["queries"]!.AsArray().Select(query => new RelevanceQuery(
            query!["id"]!.GetValue<string>(),
            query["query"]!.GetValue<string>(),
            query["why"]!.GetValue<string>(),
            query["judge"]!.GetValue<string>(),
            query["exclude"]?.GetValue<string>(),
            query["relevant"]?.AsArray().Select(id => id!.GetValue<string>()).ToList() ?? [])).ToList();
        return new RelevanceSet(json["sample"]!["every"]!.GetValue<int>(), queries);
    }

    public IReadOnlyList<AntArticle> Sample() => AntCorpus.Sample(Every).ToList();

    /// <summary>The ids a pattern selects in the sample, in corpus order.</summary>
    public static IReadOnlyList<string> Select(string pattern, IEnumerable<AntArticle> sample)
    {
        var regex = new Regex(pattern, RegexOptions.CultureInvariant);
        return sample.Where(article => regex.IsMatch(Normalized(article))).Select(article => article.Id).ToList();
    }

    /// <summary>Near misses: articles the exclusion pattern selects and the judgement does not.</summary>
    public static IReadOnlyList<string> NearMisses(RelevanceQuery query, IReadOnlyList<AntArticle> sample) =>
        query.Exclude is null ? [] : Select(query.Exclude, sample).Except(Select(query.Judge, sample)).ToList();

    /// <summary>Writes the set back with every query's relevant ids taken from its judgement (bench/run.sh relevance --judge).</summary>
    public static void WriteJudgements(string path)
    {
        var set = Load(path);
        var sample = set.Sample();
        var json = JsonNode.Parse(File.ReadAllText(path))!;
        foreach (var query in json["queries"]!.AsArray())
        {
            var ids = Select(query!["judge"]!.GetValue<string>(), sample);
            query["relevant"] = new JsonArray(ids.Select(id => (JsonNode)id).ToArray());
        }
        File.WriteAllText(path, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
    }

    /// <summary>Runs one query against a store, reading every hit.</summary>
    public static async Task<RelevanceResult> EvaluateAsync(ISearchStore store, RelevanceQuery query, IReadOnlyList<string> nearMisses, CancellationToken cancellationToken)
    {
        var found = new List<string>();
        for (var page = 1; ; page++)
        {
            var response = await store.SearchAsync(new SearchRequest { Query = query.Query, Size = SearchRequest.MaxSize, Page = page }, cancellationToken);
            found.AddRange(response.Hits.Select(hit => hit.Id));
            if (found.Count >= response.Total || response.Hits.Count == 0)
            {
                break;
            }
        }
        var relevant = query.Relevant.ToHashSet();
        var top = found.Take(10).ToList();
        // Of the first ten, how many are relevant, out of as many as there could be (fewer than ten relevant: all of them).
        var precision = relevant.Count == 0 ? 1 : (double)top.Count(relevant.Contains) / Math.Min(10, relevant.Count);
        var recall = relevant.Count == 0 ? 1 : (double)found.Count(relevant.Contains) / relevant.Count;
        var precisionOverAll = found.Count == 0 ? 1 : (double)found.Count(relevant.Contains) / found.Count;
        return new RelevanceResult(
            query, found.Count, precision, precisionOverAll, recall,
            relevant.Except(found).ToList(),
            nearMisses.Intersect(found).ToList(),
            top.Where(id => !relevant.Contains(id)).ToList());
    }

    private static string Normalized(AntArticle article) => ArabicNormalizer.Normalize(article.Title + "\n" + article.Text).ToLowerInvariant();
}
