using Lucene.Net.Index;
using Lucene.Net.Search;

namespace Marsad.Search.Queries;

/// <summary>
/// Stored queries indexed by the terms they require, as Lucene's Monitor (Luwak) does: for each query, a set of
/// terms at least one of which every article it matches must contain (or none, when no such set can be told:
/// wildcards, ranges, a bare negation). An article is then tested only against the queries one of whose terms it
/// holds, so the cost of matching grows with the queries that could match, not with all of them.
/// </summary>
public sealed class StoredQueryIndex<T>
{
    private readonly Dictionary<string, List<Entry>> _byTerm = new(StringComparer.Ordinal);
    private readonly List<Entry> _always = [];

    /// <param name="Logic">
    /// The query as a test of which terms the article holds, when it is only that (words and prefixes joined by
    /// AND, OR and NOT over any fields): then it need not be run. Null for phrases, fuzzy terms, ranges.
    /// </param>
    /// <param name="Necessary">For a query that must be run: a test of the article's terms it must pass first (a phrase's words all there).</param>
    internal sealed record Entry(T Item, StoredQuery Query, Func<IReadOnlySet<string>, bool>? Logic, Func<IReadOnlySet<string>, bool> Necessary);

    public StoredQueryIndex(IEnumerable<T> items, Func<T, StoredQuery> queryOf)
    {
        foreach (var item in items)
        {
            var query = queryOf(item);
            if (RequiredTerms.Of(query.Query) is { } terms)
            {
                var entry = new Entry(item, query, RequiredTerms.Logic(query.Query), RequiredTerms.Necessary(query.Query));
                foreach (var term in terms)
                {
                    HasPrefixes |= RequiredTerms.IsPrefixKey(term);
                    if (!_byTerm.TryGetValue(term, out var queries))
                    {
                        _byTerm[term] = queries = [];
                    }
                    queries.Add(entry);
                }
            }
            else
            {
                _always.Add(new Entry(item, query, RequiredTerms.Logic(query.Query), RequiredTerms.Necessary(query.Query)));
            }
            Count++;
        }
    }

    public int Count { get; }

    /// <summary>Whether any query is a prefix query: only then does an article's every term answer for its first letters too.</summary>
    internal bool HasPrefixes { get; }

    /// <summary>How many of the queries are tested against every article (no required terms could be told).</summary>
    public int AlwaysTested => _always.Count;

    /// <summary>The queries that could match an article holding these terms (field and term, as <see cref="RequiredTerms.Key"/> makes them).</summary>
    internal IEnumerable<Entry> Candidates(IEnumerable<string> articleTerms)
    {
        var seen = new HashSet<StoredQuery>(ReferenceEqualityComparer.Instance);
        foreach (var candidate in _always)
        {
            seen.Add(candidate.Query);
            yield return candidate;
        }
        foreach (var term in articleTerms)
        {
            if (_byTerm.TryGetValue(term, out var queries))
            {
                foreach (var candidate in queries.Where(candidate => seen.Add(candidate.Query)))
                {
                    yield return candidate;
                }
            }
        }
    }
}

/// <summary>The terms a query requires (one of them in any match), keyed by field and term.</summary>
internal static class RequiredTerms
{
    /// <summary>Prefix queries are indexed by up to this many of their first letters.</summary>
    public const int PrefixLetters = 8;

    public static string Key(string field, string text) => field + "\u0001" + text;

    public static bool IsPrefixKey(string key) => key.Contains('\u0002');

    /// <summary>The key of a prefix (a query's, or one of an article term's first letters).</summary>
    public static string PrefixKey(string field, string prefix) => field + "\u0002" + prefix[..Math.Min(prefix.Length, PrefixLetters)];

    /// <summary>The keys an article term answers to: itself, and (when prefix queries are indexed) its first one to <see cref="PrefixLetters"/> letters.</summary>
    public static IEnumerable<string> KeysOf(string field, string term, bool withPrefixes)
    {
        yield return Key(field, term);
        for (var length = 1; withPrefixes && length <= Math.Min(term.Length, PrefixLetters); length++)
        {
            yield return PrefixKey(field, term[..length]);
        }
    }

    /// <summary>
    /// Terms one of which any match must hold, or null when none can be told. A conjunction needs only one of its
    /// required parts (the one with the fewest, longest terms: the rarest to find); a disjunction needs one of each
    /// of its parts; a phrase needs its longest word.
    /// </summary>
    /// <summary>
    /// The query as a test of the article's terms (keys as <see cref="KeysOf"/> makes them), or null when it needs
    /// positions or more than terms (phrases, fuzzy terms, ranges, long prefixes, minimum-should-match). Lucene's
    /// rules: with required clauses, optional ones do not decide a match; without, one optional clause must hold;
    /// a negation alone matches nothing.
    /// </summary>
    public static Func<IReadOnlySet<string>, bool>? Logic(Query query)
    {
        switch (query)
        {
            case TermQuery term:
                var key = Key(term.Term.Field, term.Term.Text);
                return keys => keys.Contains(key);
            case PrefixQuery prefix when prefix.Prefix.Text.Length is > 0 and <= PrefixLetters:
                var prefixKey = PrefixKey(prefix.Prefix.Field, prefix.Prefix.Text);
                return keys => keys.Contains(prefixKey);
            case DisjunctionMaxQuery disjunction:
                var alternatives = disjunction.Disjuncts.Select(Logic).ToList();
                return alternatives.Any(logic => logic is null) ? null : keys => alternatives.Any(logic => logic!(keys));
            case ConstantScoreQuery { Query: { } inner }:
                return Logic(inner);
            case BooleanQuery boolean when boolean.MinimumNumberShouldMatch <= 1:
                var clauses = boolean.Clauses.Select(clause => (clause.Occur, Logic: Logic(clause.Query))).ToList();
                if (clauses.Any(clause => clause.Logic is null))
                {
                    return null;
                }
                var required = clauses.Where(clause => clause.Occur == Occur.MUST).Select(clause => clause.Logic!).ToList();
                var excluded = clauses.Where(clause => clause.Occur == Occur.MUST_NOT).Select(clause => clause.Logic!).ToList();
                var optional = clauses.Where(clause => clause.Occur == Occur.SHOULD).Select(clause => clause.Logic!).ToList();
                if (required.Count > 0)
                {
                    return keys => required.All(logic => logic(keys)) && !excluded.Any(logic => logic(keys));
                }
                return optional.Count == 0 ? _ => false : keys => optional.Any(logic => logic(keys)) && !excluded.Any(logic => logic(keys));
            default:
                return null;
        }
    }

    /// <summary>
    /// A test of the article's terms that every match passes (for a phrase: all its words are there), so most
    /// queries that must be run are not: true when nothing can be told.
    /// </summary>
    public static Func<IReadOnlySet<string>, bool> Necessary(Query query)
    {
        static Func<IReadOnlySet<string>, bool> Always() => _ => true;
        switch (query)
        {
            case TermQuery or PrefixQuery:
                return Logic(query) ?? Always();
            case PhraseQuery phrase:
                var words = phrase.GetTerms().Select(term => Key(term.Field, term.Text)).ToArray();
                return keys => words.All(keys.Contains);
            case MultiPhraseQuery multiPhrase:
                var positions = multiPhrase.GetTermArrays().Select(terms => terms.Select(term => Key(term.Field, term.Text)).ToArray()).ToArray();
                return keys => positions.All(alternatives => alternatives.Any(keys.Contains));
            case DisjunctionMaxQuery disjunction:
                var alternatives = disjunction.Disjuncts.Select(Necessary).ToList();
                return keys => alternatives.Any(test => test(keys));
            case ConstantScoreQuery { Query: { } inner }:
                return Necessary(inner);
            case BooleanQuery boolean when boolean.Clauses.Count > 0:
                var required = boolean.Clauses.Where(clause => clause.Occur == Occur.MUST).Select(clause => Necessary(clause.Query)).ToList();
                if (required.Count > 0)
                {
                    return keys => required.All(test => test(keys));
                }
                var optional = boolean.Clauses.Where(clause => clause.Occur == Occur.SHOULD).Select(clause => Necessary(clause.Query)).ToList();
                return optional.Count == 0 ? Always() : keys => optional.Any(test => test(keys));
            default:
                return Always();
        }
    }

    public static IReadOnlySet<string>? Of(Query query)
    {
        switch (query)
        {
            case TermQuery term:
                return new HashSet<string> { Key(term.Term.Field, term.Term.Text) };
            case PhraseQuery phrase when phrase.GetTerms().Length > 0:
                var longest = phrase.GetTerms().MaxBy(term => term.Text.Length)!;
                return new HashSet<string> { Key(longest.Field, longest.Text) };
            case MultiPhraseQuery multiPhrase when multiPhrase.GetTermArrays().Count > 0:
                return multiPhrase.GetTermArrays().MaxBy(terms => terms.Min(term => term.Text.Length))!.Select(term => Key(term.Field, term.Text)).ToHashSet();
            case DisjunctionMaxQuery disjunction:
                return Union(disjunction.Disjuncts);
            case PrefixQuery prefix when prefix.Prefix.Text.Length > 0:
                return new HashSet<string> { PrefixKey(prefix.Prefix.Field, prefix.Prefix.Text) };
            case ConstantScoreQuery { Query: { } inner }:
                return Of(inner);
            case BooleanQuery { Clauses.Count: 0 }:
                // Nothing left after analysis (only stop words: "ما لا"): matches nothing, so is never a candidate.
                return new HashSet<string>();
            case BooleanQuery boolean:
                var required = boolean.Clauses.Where(clause => clause.Occur == Occur.MUST).Select(clause => Of(clause.Query)).OfType<IReadOnlySet<string>>().ToList();
                if (required.Count > 0)
                {
                    return required.OrderBy(terms => terms.Count).ThenByDescending(terms => terms.Min(term => term.Length)).First();
                }
                if (boolean.Clauses.Any(clause => clause.Occur == Occur.MUST))
                {
                    // Required parts whose terms cannot be told: any article may match.
                    return null;
                }
                var optional = boolean.Clauses.Where(clause => clause.Occur == Occur.SHOULD).Select(clause => clause.Query).ToList();
                return optional.Count == 0 ? null : Union(optional);
            default:
                // Wildcards, fuzzy terms, ranges, everything else: tested against every article.
                return null;
        }
    }

    private static HashSet<string>? Union(IEnumerable<Query> queries)
    {
        var union = new HashSet<string>(StringComparer.Ordinal);
        foreach (var query in queries)
        {
            if (Of(query) is not { } terms)
            {
                return null;
            }
            union.UnionWith(terms);
        }
        return union;
    }
}
