using Marsad.Contracts;
using Marsad.Search;

namespace Marsad.Classifier.Entities;

/// <summary>
/// An article's entities, one for each person, place or organisation it names. News introduces a person once by
/// full name and then by surname (نستور كيرشنر, then كيرشنر), joins a conjunction or preposition to a name
/// (وكيرشنر), and spells one name with and without hamza (آبل, أبل). The tagger finds each form as a name of its own,
/// so the entity facet would show one person three times, each with a part of the count. The forms of a name the
/// gazetteer does not know are folded into one here, within one article only: elsewhere كيرشنر may be someone else.
/// A name the gazetteer knows is already canonical and is never folded into another (عمان, Amman, and عُمان, Oman, are
/// two places).
/// </summary>
public static class ArticleNames
{
    /// <param name="isCanonical">Whether a name is one of the gazetteer's canonical names.</param>
    public static IReadOnlyList<NamedEntity> Of(IReadOnlyList<EntityMention> mentions, Func<string, bool> isCanonical)
    {
        var names = mentions
            .GroupBy(mention => (mention.Type, mention.Normalized))
            .Select(group => new Name(group.Key.Type, group.Key.Normalized, group.First().Text, group.Count(), EntityAliases.Key(group.Key.Normalized), isCanonical(group.Key.Normalized)))
            .ToList();
        // The form that stands for all the forms written alike: the canonical one, else the most frequent, else the
        // first in the article (grouping and sorting both keep the article's order).
        var byKey = names
            .GroupBy(name => (name.Type, name.Key))
            .ToDictionary(group => group.Key, group => group.OrderByDescending(name => name.IsCanonical).ThenByDescending(name => name.Count).First());

        Name Spelled(Name name)
        {
            if (name.IsCanonical)
            {
                return name;
            }
            var alike = byKey[(name.Type, name.Key)];
            if (alike != name)
            {
                return Spelled(alike);
            }
            // وكيرشنر is كيرشنر when the article also names كيرشنر.
            var (first, rest) = SplitFirstWord(name.Key);
            foreach (var bare in EntityExtractor.WithoutPrefixes(first).Skip(1))
            {
                if (byKey.TryGetValue((name.Type, bare + rest), out var unprefixed))
                {
                    return Spelled(unprefixed);
                }
            }
            return name;
        }

        // كيرشنر is نستور كيرشنر when that is the only person of the article with that last name.
        Name Whole(Name name)
        {
            if (name.IsCanonical || name.Type != EntityExtractor.Person || name.Key.Contains(' '))
            {
                return name;
            }
            var surnames = EntityExtractor.WithoutPrefixes(name.Key).ToHashSet(StringComparer.Ordinal);
            var fullNames = names
                .Where(other => other.Type == EntityExtractor.Person && other.Key.Contains(' ') && surnames.Contains(other.Key[(other.Key.LastIndexOf(' ') + 1)..]))
                .Select(Spelled)
                .Distinct()
                .ToList();
            return fullNames.Count == 1 ? fullNames[0] : name;
        }

        return names
            .GroupBy(name => Whole(Spelled(name)))
            .Select(group => new NamedEntity(group.Key.Text, group.Key.Type, group.Key.Normalized, group.Sum(name => name.Count)))
            .OrderByDescending(entity => entity.Count)
            .ThenBy(entity => entity.Normalized, StringComparer.Ordinal)
            .ToList();
    }

    private static (string FirstWord, string AfterIt) SplitFirstWord(string key) =>
        key.IndexOf(' ') is var space and >= 0 ? (key[..space], key[space..]) : (key, "");

    /// <param name="Text">The name as the article first writes it.</param>
    /// <param name="Key">The name normalised as the gazetteer and search compare names.</param>
    private sealed record Name(string Type, string Normalized, string Text, int Count, string Key, bool IsCanonical);
}
