using System.Text.RegularExpressions;

namespace Marsad.Search;

/// <summary>
/// Several bare words mean all of them, anywhere in the article. Both stores also score the same words as a loose
/// phrase, in an optional clause, so articles where the words stand together (أسعار النفط, اللاجئين السوريين) rank
/// above those that only mention each somewhere; which articles match does not change.
/// </summary>
public static partial class ProximityBonus
{
    /// <summary>How many positions the words may move and still count as together.</summary>
    public const int Slop = 3;

    /// <summary>The loose phrase for a query of two or more bare words, or null for any other query.</summary>
    public static string? PhraseFor(string query)
    {
        var match = BareWords().Match(query);
        if (!match.Success)
        {
            return null;
        }
        var words = query.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return words.Any(EntityAliases.IsOperator) ? null : $"\"{string.Join(' ', words)}\"~{Slop}";
    }

    [GeneratedRegex(@"^\s*[\p{L}\p{M}\p{N}]+(?:\s+[\p{L}\p{M}\p{N}]+)+\s*$")]
    private static partial Regex BareWords();
}
