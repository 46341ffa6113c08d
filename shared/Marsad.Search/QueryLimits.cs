namespace Marsad.Search;

/// <summary>
/// What one query may cost, checked before any parser sees it: Lucene's classic parser recurses once per nesting
/// level (50,000 parentheses overflowed the stack and took the whole process with it) and spends seconds on a
/// megabyte of <c>OR</c>s. Search, live search, alert subscriptions and the CLI all pass through here.
/// </summary>
public static class QueryLimits
{
    /// <summary>The longest query, in characters: a long Boolean query of names fits many times over.</summary>
    public const int MaxLength = 4096;

    public const int MaxNesting = 16;

    /// <summary>Words, phrases and field clauses in one query, before entity aliases are added.</summary>
    public const int MaxClauses = 128;

    /// <summary>Letters a prefix or wildcard term needs before its first <c>*</c> or <c>?</c>, so it cannot expand to most of the index.</summary>
    public const int MinWildcardPrefix = 2;

    /// <summary>The deepest result a search may page to (<c>page × size</c>), as Elasticsearch's own <c>max_result_window</c>.</summary>
    public const int MaxResultWindow = 10_000;

    /// <exception cref="QuerySyntaxException">The query is over a limit; the message names which, without echoing the query.</exception>
    public static void Check(string query)
    {
        if (query.Length > MaxLength)
        {
            throw new QuerySyntaxException($"The query is {query.Length:N0} characters long; at most {MaxLength:N0} are allowed.");
        }
        var depth = 0;
        var deepest = 0;
        var clauses = 0;
        var inWord = false;
        var quoted = false;
        for (var i = 0; i < query.Length; i++)
        {
            var c = query[i];
            if (c == '\\')
            {
                i++; // an escaped character is part of the word, whatever it is
                inWord = true;
                continue;
            }
            if (c == '"')
            {
                if (!quoted)
                {
                    clauses++;
                }
                quoted = !quoted;
                inWord = false;
                continue;
            }
            if (quoted)
            {
                continue;
            }
            if (c == '(')
            {
                deepest = Math.Max(deepest, ++depth);
                if (deepest > MaxNesting)
                {
                    throw new QuerySyntaxException($"The query nests parentheses deeper than {MaxNesting} levels.");
                }
                inWord = false;
            }
            else if (c == ')')
            {
                depth = Math.Max(0, depth - 1);
                inWord = false;
            }
            else if (char.IsWhiteSpace(c))
            {
                inWord = false;
            }
            else if (!inWord)
            {
                inWord = true;
                clauses++;
            }
            if (clauses > MaxClauses)
            {
                throw new QuerySyntaxException($"The query has more than {MaxClauses} words and clauses; split it into several searches or alerts.");
            }
        }
    }

    /// <summary>Why a page of results cannot be served, or null: <c>page × size</c> beyond <see cref="MaxResultWindow"/>, in checked arithmetic.</summary>
    public static string? PageProblem(int page, int size)
    {
        if (size is < 1 or > SearchRequest.MaxSize)
        {
            return $"'size' must be between 1 and {SearchRequest.MaxSize}.";
        }
        if (page < 1)
        {
            return "'page' starts at 1.";
        }
        return (long)page * size > MaxResultWindow
            ? $"Results are served up to the {MaxResultWindow:N0}th ('page' × 'size' ≤ {MaxResultWindow:N0}); narrow the search instead of paging further."
            : null;
    }
}
