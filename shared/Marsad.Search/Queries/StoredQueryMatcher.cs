using Lucene.Net.Analysis;
using Lucene.Net.Index;
using Lucene.Net.Index.Memory;
using Lucene.Net.Search;
using Marsad.Search.Analysis;
using Marsad.Search.Lucene;

namespace Marsad.Search.Queries;

/// <summary>A user's query, parsed once and kept, to be tested against one article at a time (alert subscriptions).</summary>
public sealed class StoredQuery
{
    internal StoredQuery(string text, Query query)
    {
        Text = text;
        Query = query;
    }

    public string Text { get; }

    internal Query Query { get; }
}

/// <summary>
/// Tests stored queries against a single article held in a Lucene <see cref="MemoryIndex"/>, with the same parser
/// and analyzers as the search index, so a subscription matches exactly the articles its query would find.
/// </summary>
public static class StoredQueryMatcher
{
    private static readonly Analyzer Analyzer = MarsadAnalyzers.CreateIndexAnalyzer();
    private static readonly Analyzer QueryAnalyzer = MarsadAnalyzers.CreateQueryAnalyzer();

    /// <param name="query">The subscription's query, in the search syntax.</param>
    /// <param name="aliases">Entity aliases, as search applies them; the shipped ones when null.</param>
    /// <exception cref="QuerySyntaxException">The query is malformed, names a field that is not public, or starts with a wildcard.</exception>
    public static StoredQuery Compile(string query, EntityAliases? aliases = null) =>
        string.IsNullOrWhiteSpace(query)
            ? throw new QuerySyntaxException("An alert needs a query.")
            : new StoredQuery(query, PublicFieldQueryParser.ParseWithAliases(query, QueryAnalyzer, aliases ?? EntityAliases.Shipped).Query);

    /// <summary>The queries among <paramref name="queries"/> that match the article.</summary>
    public static IEnumerable<T> Matching<T>(ArticleDocument article, IEnumerable<T> queries, Func<T, StoredQuery> queryOf)
    {
        var index = ArticleIndex(article);
        return queries.Where(candidate => index.Search(queryOf(candidate).Query) > 0f);
    }

    /// <summary>
    /// The indexed queries that match the article: only those requiring a term the article holds are tested (and
    /// those with no required terms), so most of many queries are never run.
    /// </summary>
    public static IReadOnlyList<T> Matching<T>(ArticleDocument article, StoredQueryIndex<T> queries) => Matching(article, queries, out _);

    /// <param name="tested">How many queries were run against the article (one that only tests which terms it holds needs no run).</param>
    public static IReadOnlyList<T> Matching<T>(ArticleDocument article, StoredQueryIndex<T> queries, out int tested)
    {
        var index = ArticleIndex(article);
        var keys = Terms(index, queries.HasPrefixes).ToHashSet(StringComparer.Ordinal);
        var runs = 0;
        var matching = new List<T>();
        foreach (var candidate in queries.Candidates(keys))
        {
            // A query that is only a test of terms is decided by the terms; any other runs, if its terms allow a match.
            var matches = candidate.Logic is { } logic
                ? logic(keys)
                : candidate.Necessary(keys) && ++runs > 0 && index.Search(candidate.Query.Query) > 0f;
            if (matches)
            {
                matching.Add(candidate.Item);
            }
        }
        tested = runs;
        return matching;
    }

    /// <summary>Every term of the article as analysed for search, field by field.</summary>
    private static IEnumerable<string> Terms(MemoryIndex index, bool withPrefixes)
    {
        var reader = (AtomicReader)index.CreateSearcher().IndexReader;
        foreach (var field in reader.Fields)
        {
            var termsEnum = reader.GetTerms(field).GetEnumerator();
            while (termsEnum.MoveNext())
            {
                foreach (var key in RequiredTerms.KeysOf(field, termsEnum.Term.Utf8ToString(), withPrefixes))
                {
                    yield return key;
                }
            }
        }
    }

    private static MemoryIndex ArticleIndex(ArticleDocument article)
    {
        var index = new MemoryIndex();
        index.AddField(LuceneFields.Title, article.Title, Analyzer);
        index.AddField(LuceneFields.Text, article.Text, Analyzer);
        index.AddField(LuceneFields.TitleExact, article.Title, Analyzer);
        index.AddField(LuceneFields.TextExact, article.Text, Analyzer);
        index.AddField(LuceneFields.Source, article.Source, Analyzer);
        index.AddField(LuceneFields.Lang, article.Language, Analyzer);
        // A MemoryIndex takes each field once: multi-valued keyword fields go in as one stream of normalised values.
        AddKeywords(index, LuceneFields.Topic, article.Topics);
        AddKeywords(index, LuceneFields.Entity, article.Entities);
        AddKeywords(index, LuceneFields.Story, article.StoryId is { } story ? [story] : []);
        return index;
    }

    /// <summary>The passages of the article's text the query matched, as search highlights them.</summary>
    public static IReadOnlyList<string> Highlights(StoredQuery query, ArticleDocument article) =>
        ArticleHighlights.Of(query.Query, Analyzer, article.Text);

    private static void AddKeywords(MemoryIndex index, string field, IReadOnlyList<string> values)
    {
        var normalized = values.Where(value => !string.IsNullOrWhiteSpace(value)).Select(MarsadAnalyzers.NormalizeKeyword).Distinct().ToList();
        if (normalized.Count > 0)
        {
            index.AddField(field, index.KeywordTokenStream(normalized));
        }
    }
}
