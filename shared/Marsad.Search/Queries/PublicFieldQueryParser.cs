using Lucene.Net.Analysis;
using Lucene.Net.QueryParsers.Classic;
using Lucene.Net.Search;
using Marsad.Search.Analysis;

namespace Marsad.Search.Queries;

/// <summary>
/// The classic query_string parser over title and text, refusing what could hurt the index or leak internals:
/// fields that are not public, leading wildcards and regular expressions.
/// </summary>
internal sealed class PublicFieldQueryParser : MultiFieldQueryParser
{
    public PublicFieldQueryParser(Analyzer analyzer)
        : base(MarsadAnalyzers.Version, [.. LuceneFields.DefaultFieldBoosts.Keys], analyzer, LuceneFields.DefaultFieldBoosts.ToDictionary())
    {
        DefaultOperator = Operator.AND;
        AllowLeadingWildcard = false;
    }

    /// <summary>
    /// The user's query with its entity aliases, parsed, and the expanded text (what Elasticsearch is sent). The
    /// query is checked as typed first, so an error points into what the user wrote, not into the expansion.
    /// </summary>
    public static (Query Query, string Expanded) ParseWithAliases(string text, Analyzer analyzer, EntityAliases aliases)
    {
        QueryLimits.Check(text);
        var typed = ParseOrExplain(text, analyzer);
        var expanded = aliases.Expand(text);
        return expanded == text ? (typed, text) : (ParseOrExplain(expanded, analyzer), expanded);
    }

    /// <summary>The user's query, or a <see cref="QuerySyntaxException"/> that says where it went wrong.</summary>
    public static Query ParseOrExplain(string text, Analyzer analyzer)
    {
        try
        {
            return new PublicFieldQueryParser(analyzer).Parse(text);
        }
        catch (BooleanQuery.TooManyClausesException)
        {
            throw new QuerySyntaxException($"The query expands to more than {BooleanQuery.MaxClauseCount} clauses (wildcards and aliases count); narrow it.");
        }
        catch (ParseException e)
        {
            // Lucene's message names the column; its Java-style "Was expecting one of" list is noise for a user, and
            // its "Cannot parse '…'" echoes the whole query back, which the caller already has.
            var message = e.Message;
            var echo = $"Cannot parse '{text}': ";
            if (message.StartsWith(echo, StringComparison.Ordinal))
            {
                message = message[echo.Length..];
            }
            var expecting = message.IndexOf("Was expecting", StringComparison.Ordinal);
            if (expecting > 0)
            {
                message = message[..expecting];
            }
            throw new QuerySyntaxException(
                "Malformed query: " + string.Join(' ', message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)), e);
        }
    }

    protected override Query GetFieldQuery(string field, string queryText, bool quoted) =>
        base.GetFieldQuery(CheckField(field), queryText, quoted);

    protected override Query GetFieldQuery(string field, string queryText, int slop) =>
        base.GetFieldQuery(CheckField(field), queryText, slop);

    // A range over analysed text enumerates every term between its ends: costly, and meaningless to a reader.
    protected override Query GetRangeQuery(string field, string part1, string part2, bool startInclusive, bool endInclusive) =>
        field is null || LuceneFields.DefaultFieldBoosts.ContainsKey(field)
            ? throw new ParseException($"Ranges ([a TO b]) are not allowed on {(field is null ? "the text" : $"'{field}'")}; use words, phrases or a suffix *.")
            : base.GetRangeQuery(CheckField(field), part1, part2, startInclusive, endInclusive);

    protected override Query GetPrefixQuery(string field, string termStr) =>
        base.GetPrefixQuery(CheckField(field), CheckWildcard(termStr));

    protected override Query GetWildcardQuery(string field, string termStr) =>
        base.GetWildcardQuery(CheckField(field), CheckWildcard(termStr));

    // A leading wildcard is left to the parser's own refusal (AllowLeadingWildcard is off), which says so.
    private static string CheckWildcard(string term)
    {
        var literal = term.IndexOfAny(['*', '?']);
        if (literal != 0 && (literal < 0 ? term.Length : literal) < QueryLimits.MinWildcardPrefix)
        {
            throw new ParseException($"'{term}': a wildcard needs at least {QueryLimits.MinWildcardPrefix} letters before its * or ?.");
        }
        return term;
    }

    protected override Query GetFuzzyQuery(string field, string termStr, float minSimilarity) =>
        base.GetFuzzyQuery(CheckField(field), termStr, minSimilarity);

    protected override Query GetRegexpQuery(string field, string termStr) =>
        throw new ParseException($"Regular expressions (/{termStr}/) are not allowed; use words, phrases or a suffix *.");

    private static string? CheckField(string? field)
    {
        // A null field means "every default field" (MultiFieldQueryParser expands it itself).
        if (field is null || LuceneFields.Public.Contains(field))
        {
            return field;
        }
        throw new ParseException(
            $"Unknown field '{field}'. Searchable fields: {string.Join(", ", LuceneFields.Public.Order())}.");
    }
}
