using System.Text.RegularExpressions;
using Marsad.Arabic;
using Marsad.Contracts;
using Marsad.Search;

namespace Marsad.Classifier.Entities;

/// <summary>A name found in a text: where it starts and ends (characters), its kind and its canonical name.</summary>
public sealed record EntityMention(int Start, int End, string Text, string Type, string Normalized);

/// <summary>
/// People, places and organisations in a text, from the gazetteer that search's entity aliases are (deploy/aliases:
/// countries and capitals are places, organisations are organisations, people are persons), each normalised to the
/// first name of its line, plus a pattern of Arabic news style for people the gazetteer does not know: a title or
/// role, optional adjectives, then the name («الرئيس الفرنسي إيمانويل ماكرون», «وزير الخارجية الأميركي أنتوني
/// بلينكن»). A name is also found with a joined prefix (والولايات المتحدة, بروسيا, لأوكرانيا). With a trained
/// <see cref="EntityTagger"/>, the tagger adds the names neither knows and decides where a name begins and ends (the
/// gazetteer's findings are among its features), with the canonical name when the gazetteer knows the name under
/// another form.
/// </summary>
public sealed partial class EntityExtractor
{
    public const string Person = "person";
    public const string Place = "place";
    public const string Organisation = "organisation";

    private static readonly Lazy<EntityExtractor> ShippedExtractor = new(() => new EntityExtractor(EntityAliases.Shipped, EntityTagger.Shipped));

    public static EntityExtractor Shipped => ShippedExtractor.Value;

    // Normalised name (words joined by one space) → (type, canonical name).
    private readonly Dictionary<string, (string Type, string Canonical)> _names = new(StringComparer.Ordinal);
    // A name's first word → the most words a name starting with it has: most words of a text start none, and are
    // passed over without a lookup; the others are tried only as long as their names can be.
    private readonly Dictionary<string, int> _longestFrom = new(StringComparer.Ordinal);
    private readonly HashSet<string> _canonicalNames = new(StringComparer.Ordinal);
    private readonly EntityTagger? _tagger;

    public EntityExtractor(EntityAliases gazetteer, EntityTagger? tagger = null)
    {
        _tagger = tagger;
        // Groups only: a one-way rule exists because a name is also a common word (الأسد "the lion").
        foreach (var rule in gazetteer.Rules.Where(rule => rule.Inputs.SequenceEqual(rule.Outputs)))
        {
            var type = rule.File switch
            {
                "people" => Person,
                "organisations" => Organisation,
                _ => Place,
            };
            // The canonical name is the first Arabic name of the line (the lines are written Arabic first).
            var canonical = rule.Outputs.Concat(rule.Inputs).First();
            _canonicalNames.Add(canonical);
            foreach (var name in rule.Inputs.Concat(rule.Outputs))
            {
                _names.TryAdd(Key(name), (type, canonical));
            }
        }
        foreach (var name in _names.Keys)
        {
            var words = name.Split(' ');
            _longestFrom[words[0]] = Math.Max(_longestFrom.GetValueOrDefault(words[0]), words.Length);
        }
    }

    /// <summary>Every mention, in the order of the text.</summary>
    /// <param name="memory">What the tagger made of the text's words in the sentences before it (a new document when none).</param>
    public IReadOnlyList<EntityMention> Mentions(string text, DocumentMemory? memory = null)
    {
        var known = KnownMentions(text);
        if (_tagger is null)
        {
            return known;
        }
        memory ??= new DocumentMemory();
        var tagged = new List<EntityMention>();
        var tokens = new List<(int Start, int End)>();
        foreach (var line in Lines().EnumerateMatches(text))
        {
            tokens.Clear();
            foreach (var token in Token().EnumerateMatches(text.AsSpan(line.Index, line.Length)))
            {
                tokens.Add((line.Index + token.Index, line.Index + token.Index + token.Length));
            }
            if (tokens.Count == 0)
            {
                continue;
            }
            var keys = new string[tokens.Count];
            for (var i = 0; i < keys.Length; i++)
            {
                keys[i] = WordKeys.Of(text.AsSpan(tokens[i].Start, tokens[i].End - tokens[i].Start));
            }
            var tags = _tagger.TagKeys(keys, TokenTags(known, tokens), memory);
            foreach (var (first, last, type) in EntitySpans.Of(tags))
            {
                var (start, end) = (tokens[first].Start, tokens[last].End);
                var name = text[start..end];
                // The tagger learnt Arabic news: what it tags must be written in Arabic letters (it took a lone
                // quotation mark, and English words such as "Friday", for names). Other scripts' names come
                // from the gazetteer.
                if (name.Any(ArabicNormalizer.IsArabicLetter))
                {
                    tagged.Add(new EntityMention(start, end, name, type, Canonical(name) ?? name));
                }
            }
        }
        // The tagger reads the gazetteer's and the title pattern's findings as features and learnt where news names
        // begin and end, so where its span differs from theirs, its span stands (better on cross-validation than
        // letting theirs stand, persons most: docs/models/entities.md). A known mention with the
        // very span the tagger found keeps its curated kind and canonical name; one the tagger did not touch is kept
        // as it is (names in other scripts, which the tagger never tags).
        static bool Overlap(EntityMention a, EntityMention b) => a.Start < b.End && b.Start < a.End;
        return tagged
            .Select(mention => known.FirstOrDefault(other => other.Start == mention.Start && other.End == mention.End) ?? mention)
            .Concat(known.Where(mention => !tagged.Any(other => Overlap(mention, other))))
            .OrderBy(mention => mention.Start)
            .ToList();
    }

    /// <summary>The keys of a text's tokens, line by line, as the tagger sees them (what word clusters are learnt from).</summary>
    public static IEnumerable<string[]> TokenKeys(string text) =>
        Lines().Matches(text).Select(line => Token().Matches(line.Value).Select(token => Key(token.Value)).ToArray()).Where(keys => keys.Length > 0);

    /// <summary>The gazetteer's tag (IOB2) for each token of a text, given the mentions it found and the tokens' character spans.</summary>
    public static string[] TokenTags(IReadOnlyList<EntityMention> mentions, IReadOnlyList<(int Start, int End)> tokens)
    {
        var tags = Enumerable.Repeat(EntityTagger.Outside, tokens.Count).ToArray();
        foreach (var mention in mentions)
        {
            var inside = false;
            for (var i = 0; i < tokens.Count; i++)
            {
                if (tokens[i].Start < mention.End && mention.Start < tokens[i].End)
                {
                    tags[i] = (inside ? "I-" : "B-") + mention.Type;
                    inside = true;
                }
            }
        }
        return tags;
    }

    /// <summary>The canonical name of a name the gazetteer knows (with or without a joined prefix), or null.</summary>
    private string? Canonical(string name)
    {
        var words = new Words(name);
        return words.Count > 0 && Gazetteer(words, 0, name) is { } found && found.Length == words.Count ? found.Mention.Normalized : null;
    }

    /// <summary>What the gazetteer and the title pattern find, in the order of the text.</summary>
    public IReadOnlyList<EntityMention> KnownMentions(string text)
    {
        var words = new Words(text);
        var mentions = new List<EntityMention>();
        for (var i = 0; i < words.Count;)
        {
            if (Gazetteer(words, i, text) is { } found)
            {
                mentions.Add(found.Mention);
                i += found.Length;
                continue;
            }
            if (Titled(words, i, text) is { } titled)
            {
                mentions.Add(titled.Mention);
                i += titled.Length;
                continue;
            }
            i++;
        }
        return mentions;
    }

    /// <summary>The entities of an article, one per name (the forms of a name within it folded into one), most mentioned first.</summary>
    public IReadOnlyList<NamedEntity> Extract(string title, string text) =>
        ArticleNames.Of(Mentions(title + "\n" + text), _canonicalNames.Contains);

    /// <summary>A text's words, each normalised once, with the forms it takes without a joined prefix.</summary>
    private sealed class Words
    {
        public Words(string text)
        {
            var spans = new List<(int Index, int Length)>();
            foreach (var word in Word().EnumerateMatches(text))
            {
                spans.Add((word.Index, word.Length));
            }
            Spans = spans;
            var forms = spans.Select(span => WordKeys.FormsOf(text.AsSpan(span.Index, span.Length))).ToArray();
            Keys = [.. forms.Select(form => form.Key)];
            Unprefixed = [.. forms.Select(form => form.Unprefixed)];
        }

        /// <summary>Where each word is in the text.</summary>
        public List<(int Index, int Length)> Spans { get; }

        public string[] Keys { get; }

        public string[][] Unprefixed { get; }

        public int Count => Spans.Count;

        /// <summary>Where a name to look up is built, reused for the whole text.</summary>
        public char[] Candidate { get; set; } = new char[256];
    }

    /// <summary>The longest known name starting at word <paramref name="start"/> (in any of its unprefixed forms).</summary>
    private (EntityMention Mention, int Length)? Gazetteer(Words words, int start, string text)
    {
        var longest = 0;
        foreach (var first in words.Unprefixed[start])
        {
            longest = Math.Max(longest, _longestFrom.GetValueOrDefault(first));
        }
        if (longest == 0)
        {
            return null;
        }
        // Candidates are built in one buffer and looked up as spans: no string is made for a name that is not there.
        var names = _names.GetAlternateLookup<ReadOnlySpan<char>>();
        var candidate = words.Candidate;
        for (var length = Math.Min(longest, words.Count - start); length > 0; length--)
        {
            foreach (var first in words.Unprefixed[start])
            {
                if (_longestFrom.GetValueOrDefault(first) < length)
                {
                    continue;
                }
                var size = first.Length;
                for (var k = start + 1; k < start + length; k++)
                {
                    size += 1 + words.Keys[k].Length;
                }
                if (size > candidate.Length)
                {
                    candidate = words.Candidate = new char[size];
                }
                first.CopyTo(candidate);
                var written = first.Length;
                for (var k = start + 1; k < start + length; k++)
                {
                    candidate[written++] = ' ';
                    words.Keys[k].CopyTo(candidate.AsSpan(written));
                    written += words.Keys[k].Length;
                }
                if (names.TryGetValue(candidate.AsSpan(0, written), out var entry))
                {
                    var (from, end) = (words.Spans[start], words.Spans[start + length - 1]);
                    return (new EntityMention(from.Index, end.Index + end.Length, text[from.Index..(end.Index + end.Length)], entry.Type, entry.Canonical), length);
                }
            }
        }
        return null;
    }

    // A title or role, up to two adjectives (الفرنسي, الأميركي), then two or three words that make a name.
    private (EntityMention Mention, int Length)? Titled(Words words, int start, string text)
    {
        string[]? role = null;
        foreach (var candidate in Roles)
        {
            if (IsRoleAt(words, start, candidate))
            {
                role = candidate;
                break;
            }
        }
        if (role is null)
        {
            return null;
        }
        var next = start + role.Length;
        for (var adjectives = 0; adjectives < 2 && next < words.Count && Adjective().IsMatch(words.Keys[next]); adjectives++)
        {
            next++;
        }
        var nameWords = 0;
        while (nameWords < 3 && next + nameWords < words.Count && IsNameWord(words.Keys[next + nameWords]))
        {
            nameWords++;
        }
        if (nameWords < 2)
        {
            return null;
        }
        var first = words.Spans[next];
        var last = words.Spans[next + nameWords - 1];
        var name = text[first.Index..(last.Index + last.Length)];
        var known = _names.TryGetValue(Key(name), out var entry) ? entry.Canonical : name;
        return (new EntityMention(first.Index, last.Index + last.Length, name, Person, known), next + nameWords - start);
    }

    private static bool IsRoleAt(Words words, int start, string[] role)
    {
        if (start + role.Length > words.Count)
        {
            return false;
        }
        for (var k = 0; k < role.Length; k++)
        {
            if (Array.IndexOf(words.Unprefixed[start + k], role[k]) < 0)
            {
                return false;
            }
        }
        return true;
    }

    // A word of a personal name: not an article-prefixed noun, not a common function or verb word.
    private static bool IsNameWord(string word) =>
        word.Length >= 2 && !word.StartsWith("ال", StringComparison.Ordinal) && word.All(ArabicNormalizer.IsArabicLetter) && !NotNames.Contains(word);

    /// <summary>A word as written, then without each joined prefix it may have (بروسيا: روسيا; للولايات: ولايات, الولايات, لولايات).</summary>
    internal static IEnumerable<string> WithoutPrefixes(string word)
    {
        yield return word;
        foreach (var prefix in Prefixes)
        {
            if (word.Length - prefix.Length >= 3 && word.StartsWith(prefix, StringComparison.Ordinal))
            {
                var rest = word[prefix.Length..];
                yield return rest;
                // بالولايات → الولايات: the preposition and the article, whose alef it absorbed (لل → ال).
                if (prefix is "لل")
                {
                    yield return "ال" + rest;
                }
            }
        }
    }

    private static readonly string[] Prefixes = ["وال", "بال", "كال", "فال", "لل", "و", "ف", "ب", "ل", "ك"];

    private static readonly string[][] Roles = new[]
    {
        "رئيس الوزراء", "رئيس الحكومه", "وزير الخارجيه", "وزيره الخارجيه", "وزير الدفاع", "وزير الداخليه", "وزير الماليه",
        "وزير الاقتصاد", "الامين العام", "المتحدث باسم", "الرئيس", "رئيس", "الملك", "الامير", "الشيخ", "المستشار", "المستشاره",
        "السفير", "النائب", "الجنرال", "العقيد", "اللواء", "المدرب", "اللاعب", "النجم", "الفنان", "الفنانه", "الكاتب", "الدكتور",
        "البابا", "ولي العهد", "السلطان", "الوزير", "الوزيره", "المبعوث", "القائد", "زعيم", "الزعيم",
    }.Select(role => role.Split(' ')).OrderByDescending(role => role.Length).ToArray();

    private static readonly HashSet<string> NotNames =
    [
        "في", "من", "على", "الى", "عن", "مع", "ان", "قد", "لا", "ما", "هو", "هي", "كان", "قال", "اكد", "اعلن", "امس", "اليوم", "بعد",
        "قبل", "حيث", "الذي", "التي", "خلال", "عقب", "لدي", "عبر", "انه", "بين", "منذ", "حول", "ضد", "نحو", "الجديد", "السابق",
        "وجها", "لوجه", "ايضا", "جدا", "مجددا", "رسميا", "شخصيا", "حاليا", "سابقا", "يوم", "امام", "الي", "اذ", "لكن",
    ];

    private static string Key(string name) => EntityAliases.Key(name);

    [GeneratedRegex(@"[\p{L}\p{M}\p{N}][\p{L}\p{M}\p{N}'’-]*")]
    private static partial Regex Word();

    // The tagger's tokens, as the corpus it learnt from has them: words, and each other character that is not a space.
    // A surrogate pair (an emoji) is one token, not two halves that mean nothing alone.
    [GeneratedRegex(@"[\p{L}\p{M}\p{N}]+|[\uD800-\uDBFF][\uDC00-\uDFFF]|[^\s\p{L}\p{M}\p{N}]")]
    private static partial Regex Token();

    [GeneratedRegex(@"[^\n]+")]
    private static partial Regex Lines();

    // Nisba adjectives of nationality or office (الفرنسي, الأميركية, الروسي), after the title.
    [GeneratedRegex(@"^ال\p{L}{2,}(?:ي|يه)$")]
    private static partial Regex Adjective();
}
