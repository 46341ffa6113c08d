using System.Text;
using System.Text.RegularExpressions;
using Marsad.Arabic;

namespace Marsad.Search;

/// <summary>One line of an alias file: the names it reads (<paramref name="Inputs"/>) and what they find.</summary>
public sealed record AliasRule(string File, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs);

/// <summary>
/// Names that mean the same entity (الناتو, حلف شمال الأطلسي, NATO, OTAN), read from files in Elasticsearch's
/// synonym format and applied to a query before either store parses it, so both stores, and alert subscriptions,
/// expand a query the same way.
/// <list type="bullet">
/// <item><c>a, b, c</c>: each of them finds all of them.</item>
/// <item><c>a, b => c, d</c>: a or b finds c and d (and itself only when listed on the right).</item>
/// <item>Lines starting with <c>#</c> are comments. Rules for the same name add up.</item>
/// </list>
/// Names are compared after Arabic normalisation and lower-casing, word by word, so a query typed with or without
/// hamza or tashkeel finds its aliases. A quoted phrase is taken as written and never expanded.
/// </summary>
public sealed partial class EntityAliases
{
    /// <summary>The folder, beside the binaries, where the build copies deploy/aliases/*.txt.</summary>
    public static string ShippedPath { get; } = Path.Combine(AppContext.BaseDirectory, "aliases");

    private static readonly Lazy<EntityAliases> ShippedAliases = new(() => Load(ShippedPath));

    /// <summary>The alias files shipped with Marsad (deploy/aliases).</summary>
    public static EntityAliases Shipped => ShippedAliases.Value;

    public static EntityAliases None { get; } = new(new Dictionary<string, List<string>>(), []);

    // Normalised name (words joined by one space) → what a query for it also finds, as written in the file.
    private readonly Dictionary<string, List<string>> _alternatives;
    private readonly int _longestName;

    private EntityAliases(Dictionary<string, List<string>> alternatives, List<AliasRule> rules)
    {
        _alternatives = alternatives;
        _longestName = alternatives.Keys.Select(name => name.Count(c => c == ' ') + 1).DefaultIfEmpty(0).Max();
        Rules = rules;
    }

    /// <summary>Lines that define aliases (one group or mapping each).</summary>
    public int RuleCount => Rules.Count;

    /// <summary>Every rule as written, with the file it came from: the gazetteer the entity extractor shares.</summary>
    public IReadOnlyList<AliasRule> Rules { get; }

    /// <summary>
    /// The aliases in a file, or in every <c>*.txt</c> file of a folder; "none" for no aliases.
    /// </summary>
    /// <exception cref="FileNotFoundException">Neither a file nor a folder.</exception>
    /// <exception cref="FormatException">A line that is not a rule; the message names the file and line.</exception>
    public static EntityAliases Load(string path)
    {
        if (string.Equals(path, "none", StringComparison.OrdinalIgnoreCase))
        {
            return None;
        }
        var files = Directory.Exists(path)
            ? Directory.EnumerateFiles(path, "*.txt").Order(StringComparer.Ordinal).ToList()
            : File.Exists(path) ? [path] : throw new FileNotFoundException($"No alias file or folder at {Path.GetFullPath(path)}.", path);
        return Parse(files.SelectMany(file => File.ReadLines(file).Select((line, index) => (line, $"{file}:{index + 1}"))));
    }

    /// <summary>Rules from lines of text, each with where it came from (for error messages).</summary>
    public static EntityAliases Parse(IEnumerable<(string Line, string Location)> lines)
    {
        var alternatives = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var rules = new List<AliasRule>();
        foreach (var (line, location) in lines)
        {
            var text = line.Trim();
            if (text.Length == 0 || text.StartsWith('#'))
            {
                continue;
            }
            var sides = text.Split("=>");
            if (sides.Length > 2)
            {
                throw new FormatException($"{location}: a rule has at most one '=>'.");
            }
            var inputs = Names(sides[0], location);
            var outputs = sides.Length == 2 ? Names(sides[1], location) : inputs;
            if (inputs.Count == 0 || outputs.Count == 0 || (sides.Length == 1 && inputs.Count < 2))
            {
                throw new FormatException($"{location}: expected 'name, name, …' or 'name, … => name, …', got '{text}'.");
            }
            foreach (var input in inputs)
            {
                var known = ListFor(alternatives, Key(input));
                foreach (var output in outputs.Where(output => !known.Any(name => Key(name) == Key(output))))
                {
                    known.Add(output);
                }
            }
            rules.Add(new AliasRule(Path.GetFileNameWithoutExtension(location[..location.LastIndexOf(':')]), inputs, outputs));
        }
        return new EntityAliases(alternatives, rules);
    }

    /// <summary>What a query for <paramref name="name"/> also finds (itself included when the rules say so).</summary>
    public IReadOnlyList<string> AlternativesFor(string name) =>
        _alternatives.TryGetValue(Key(name), out var found) ? found : [];

    /// <summary>Every name the rules know, normalised.</summary>
    public IEnumerable<string> KnownNames => _alternatives.Keys;

    /// <summary>
    /// The query with every bare name the rules know replaced by the group of its aliases:
    /// <c>الناتو AND أوكرانيا</c> becomes <c>(الناتو OR "حلف شمال الأطلسي" OR "NATO" …) AND أوكرانيا</c>. Names of
    /// several words are found as the longest run of bare words. Quoted phrases, wildcards, fuzzy and boosted terms
    /// and ranges are left as typed; <c>field:name</c> and <c>+name</c>/<c>-name</c> keep their field or sign.
    /// The query must already be well-formed (the caller parses it first, so errors point into what the user typed).
    /// </summary>
    public string Expand(string query)
    {
        if (_alternatives.Count == 0)
        {
            return query;
        }
        var output = new StringBuilder(query.Length);
        var run = new List<string>();   // bare words since the last boundary, with the spaces between them kept in output order
        foreach (Match lexeme in Lexeme().Matches(query))
        {
            var value = lexeme.Value;
            if (char.IsWhiteSpace(value[0]))
            {
                if (run.Count == 0)
                {
                    output.Append(value);
                }
                continue;
            }
            if (IsBareWord(value))
            {
                run.Add(value);
                continue;
            }
            FlushRun(run, output);
            output.Append(ExpandSingle(value));
        }
        FlushRun(run, output);
        return output.ToString();
    }

    private void FlushRun(List<string> run, StringBuilder output)
    {
        if (run.Count == 0)
        {
            return;
        }
        var parts = new List<string>();
        for (var start = 0; start < run.Count;)
        {
            var matched = 0;
            for (var length = Math.Min(_longestName, run.Count - start); length > 0 && matched == 0; length--)
            {
                if (_alternatives.ContainsKey(Key(string.Join(' ', run.Skip(start).Take(length)))))
                {
                    matched = length;
                }
            }
            if (matched == 0)
            {
                parts.Add(run[start]);
                start++;
                continue;
            }
            parts.Add(Group(string.Join(' ', run.Skip(start).Take(matched))));
            start += matched;
        }
        // Closing a run ends on the boundary that follows it, so keep one space before that boundary.
        output.Append(string.Join(' ', parts)).Append(' ');
        run.Clear();
    }

    // field:name, +name, -name, !name: one word with a field or a sign; anything else is left alone.
    private string ExpandSingle(string lexeme)
    {
        var match = SignedOrFielded().Match(lexeme);
        if (!match.Success || IsOperator(lexeme))
        {
            return lexeme;
        }
        var word = match.Groups["word"].Value;
        return _alternatives.ContainsKey(Key(word)) ? match.Groups["prefix"].Value + Group(word) : lexeme;
    }

    private string Group(string typed)
    {
        var key = Key(typed);
        var alternatives = _alternatives[key];
        var rendered = alternatives.Select(name => Key(name) == key && !typed.Contains(' ') ? typed : Quote(name));
        return "(" + string.Join(" OR ", rendered) + ")";
    }

    private static string Quote(string name) => "\"" + name.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    private static bool IsBareWord(string lexeme) => BareWord().IsMatch(lexeme) && !IsOperator(lexeme);

    /// <summary>The query syntax's word operators (upper case only, as the classic parser reads them).</summary>
    internal static bool IsOperator(string lexeme) => lexeme is "AND" or "OR" or "NOT" or "TO";

    /// <summary>A name as the rules compare it: each word normalised (Arabic folding) and lower-cased, one space between.</summary>
    public static string Key(string name) =>
        string.Join(' ', name.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Select(word => ArabicNormalizer.Normalize(word).ToLowerInvariant()));

    private static List<string> Names(string side, string location)
    {
        var names = side.Split(',').Select(name => string.Join(' ', name.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))).ToList();
        if (names.Any(name => name.Length == 0))
        {
            throw new FormatException($"{location}: an empty name (two commas, or a comma at an end).");
        }
        return names;
    }

    private static List<string> ListFor(Dictionary<string, List<string>> alternatives, string key)
    {
        if (!alternatives.TryGetValue(key, out var list))
        {
            alternatives[key] = list = [];
        }
        return list;
    }

    // Whitespace; a quoted phrase with its ~slop or ^boost; a range; a parenthesis; or a run of anything else.
    [GeneratedRegex(@"\s+|""(?:\\.|[^""\\])*""?(?:[~^][0-9.]*)?|[\[{][^\]}]*[\]}]?(?:\^[0-9.]*)?|[()]|(?:\\.|[^\s()""\[\]{}])+")]
    private static partial Regex Lexeme();

    // A word of letters, marks and digits, with inner apostrophes, dots or hyphens (l'OTAN, U.S, al-Sharaa).
    [GeneratedRegex(@"^[\p{L}\p{M}\p{N}](?:[\p{L}\p{M}\p{N}'’.]|-(?=[\p{L}\p{M}\p{N}]))*$")]
    private static partial Regex BareWord();

    [GeneratedRegex(@"^(?<prefix>[+\-!]|[\p{L}_][\p{L}\p{N}_.]*:)(?<word>[\p{L}\p{M}\p{N}](?:[\p{L}\p{M}\p{N}'’.]|-(?=[\p{L}\p{M}\p{N}]))*)$")]
    private static partial Regex SignedOrFielded();
}
