using System.Text;
using Marsad.Search;

namespace Marsad.Classifier.Entities;

/// <summary>
/// NewsFANE Gold 2014 (../shared/data/arabic-ner; CC BY-SA 3.0): Arabic newswire, one token and its fine-grained
/// IOB2 tag a line, sentences separated by blank lines. Read with the fine types mapped to Marsad's three kinds.
/// </summary>
public static class NewsFane
{
    // The fine types of the corpus's taxonomy, by kind. Left out: facilities, works, products, vehicles, and Group
    // (العرب, المسلمين, الاسرائيليين: groups of people, not the named individuals Marsad's persons are).
    private static readonly Dictionary<string, string> Kinds = new()
    {
        ["Politician"] = EntityExtractor.Person, ["Athlete"] = EntityExtractor.Person, ["Artist"] = EntityExtractor.Person,
        ["Other_PER"] = EntityExtractor.Person, ["Religious_PER"] = EntityExtractor.Person, ["Scientist"] = EntityExtractor.Person,
        ["Businessperson"] = EntityExtractor.Person, ["Lawyer"] = EntityExtractor.Person, ["Engineer"] = EntityExtractor.Person,
        ["Police"] = EntityExtractor.Person,
        ["Non-Governmental"] = EntityExtractor.Organisation, ["Sports"] = EntityExtractor.Organisation, ["Government"] = EntityExtractor.Organisation,
        ["Media"] = EntityExtractor.Organisation, ["Commercial"] = EntityExtractor.Organisation, ["Educational"] = EntityExtractor.Organisation,
        ["Medical-Science"] = EntityExtractor.Organisation, ["Entertainment"] = EntityExtractor.Organisation, ["Religious_ORG"] = EntityExtractor.Organisation,
        ["Nation"] = EntityExtractor.Place, ["Population-Center"] = EntityExtractor.Place, ["State-or-Province"] = EntityExtractor.Place,
        ["GPE-Cluster"] = EntityExtractor.Place, ["Continent"] = EntityExtractor.Place, ["County-or-District"] = EntityExtractor.Place,
        ["Water-Body"] = EntityExtractor.Place, ["Land"] = EntityExtractor.Place, ["Land-Region-Natural"] = EntityExtractor.Place,
        ["Celestial"] = EntityExtractor.Place,
    };

    /// <summary>The corpus file under a folder (the corpus's own name, NewsFANE*.txt).</summary>
    public static string Find(string folder) =>
        Directory.GetFiles(folder, "NewsFANE*.txt", SearchOption.AllDirectories).SingleOrDefault()
        ?? throw new FileNotFoundException($"No NewsFANE*.txt under {Path.GetFullPath(folder)} (expected ../shared/data/arabic-ner).");

    /// <summary>
    /// The corpus's sentences as news writes them (<see cref="AsWritten"/>): tokens and their tags as Marsad's kinds
    /// (types outside them become O).
    /// </summary>
    public static List<(List<string> Tokens, List<string> Tags)> Read(string path)
    {
        var sentences = new List<(List<string>, List<string>)>();
        var tokens = new List<string>();
        var tags = new List<string>();
        foreach (var raw in File.ReadLines(path))
        {
            // Most tokens carry a left-to-right mark; the file starts with a byte-order mark.
            var line = raw.Replace("\u200E", "").Replace("\uFEFF", "").TrimEnd('\r');
            if (line.Trim().Length == 0)
            {
                if (tokens.Count > 0)
                {
                    sentences.Add((tokens, tags));
                    (tokens, tags) = ([], []);
                }
                continue;
            }
            var parts = line.Split('\t');
            var token = parts[0].Trim();
            if (token.Length == 0)
            {
                continue;
            }
            tokens.Add(token);
            tags.Add(Kind(parts.Length > 1 ? parts[1].Trim() : EntityTagger.Outside));
        }
        if (tokens.Count > 0)
        {
            sentences.Add((tokens, tags));
        }
        return AsWritten(sentences);
    }

    // The conjunctions, prepositions and future particle the corpus writes apart from the word they join, and the
    // pronoun endings. ك is taken as a preposition only: as an ending it is rarer, and a token is one or the other.
    private static readonly HashSet<string> JoinedPrefixes = ["و", "ف", "ب", "ل", "ك", "س"];
    private static readonly HashSet<string> JoinedSuffixes = ["ه", "ها", "هم", "هما", "هن", "نا", "ي", "كم", "كما", "كن"];

    /// <summary>
    /// Sentences with the clitics the corpus splits off joined back to their words, as news writes them and as the
    /// extractor reads them: و قال → وقال, بلاد ه → بلاده, ل الفريق → للفريق. A word that takes a prefix keeps its
    /// own tag (و كيرشنر → وكيرشنر, a person). Trained on the corpus's split tokens, the tagger read news much worse
    /// than it scored on them; trained on the joined words, it reads news as well as it scores (docs/models/entities.md).
    /// </summary>
    public static List<(List<string> Tokens, List<string> Tags)> AsWritten(IEnumerable<(List<string> Tokens, List<string> Tags)> sentences)
    {
        var joined = new List<(List<string>, List<string>)>();
        foreach (var (tokens, tags) in sentences)
        {
            var words = new List<string>();
            var kinds = new List<string>();
            for (var i = 0; i < tokens.Count; i++)
            {
                var token = tokens[i];
                var tag = tags[i];
                var prefixes = "";
                while (JoinedPrefixes.Contains(token) && i + 1 < tokens.Count && IsWord(tokens[i + 1]))
                {
                    prefixes += token;
                    tag = tag == EntityTagger.Outside ? tags[i + 1] : tag;
                    token = tokens[++i];
                }
                if (prefixes.Length > 0)
                {
                    // ل and the article are written لل.
                    token = prefixes[^1] == 'ل' && token.StartsWith("ال", StringComparison.Ordinal) ? prefixes + token[1..] : prefixes + token;
                }
                if (JoinedSuffixes.Contains(token) && words.Count > 0 && IsWord(words[^1]))
                {
                    words[^1] += token;
                    continue;
                }
                words.Add(token);
                kinds.Add(tag);
            }
            joined.Add((words, kinds));
        }
        return joined;

        static bool IsWord(string token) => token.All(char.IsLetter);
    }

    private static string Kind(string tag) =>
        tag.Length > 2 && Kinds.TryGetValue(tag[2..], out var kind) ? tag[..2] + kind : EntityTagger.Outside;

    /// <summary>A sentence as text (tokens joined by spaces) and each token's character span in it.</summary>
    public static (string Text, List<(int Start, int End)> Offsets) Join(IReadOnlyList<string> tokens)
    {
        var text = new StringBuilder();
        var offsets = new List<(int, int)>();
        foreach (var token in tokens)
        {
            offsets.Add((text.Length, text.Length + token.Length));
            text.Append(token).Append(' ');
        }
        return (text.ToString(), offsets);
    }

    /// <summary>
    /// Training sentences, in the corpus's order: tokens, gold tags, what the gazetteer alone finds in them, and how
    /// the sentences before them tagged their words.
    /// </summary>
    public static List<TaggedSentence> ForTraining(IEnumerable<(List<string> Tokens, List<string> Tags)> sentences, EntityAliases gazetteer)
    {
        var known = new EntityExtractor(gazetteer);
        var memory = new DocumentMemory();
        return sentences.Select(sentence =>
        {
            var (text, offsets) = Join(sentence.Tokens);
            var keys = sentence.Tokens.Select(EntityAliases.Key).ToList();
            var recalled = memory.Recall(keys);
            memory.Remember(keys, sentence.Tags);
            return new TaggedSentence(sentence.Tokens, sentence.Tags, EntityExtractor.TokenTags(known.KnownMentions(text), offsets), recalled);
        }).ToList();
    }
}

/// <summary>Precision, recall and F1 of exact spans (whole tokens), per kind, of an extractor on gold sentences.</summary>
public sealed class EntityEvaluation
{
    public static readonly string[] Kinds = [EntityExtractor.Person, EntityExtractor.Place, EntityExtractor.Organisation];

    private readonly Dictionary<string, (int TruePositive, int FalsePositive, int FalseNegative)> _counts = Kinds.ToDictionary(kind => kind, _ => (0, 0, 0));

    // Each extractor's memory of the sentences added before, as of one document.
    private readonly Dictionary<EntityExtractor, DocumentMemory> _memories = [];

    /// <summary>Counts what the extractor finds in a sentence, against the gold tags; sentences are added in the corpus's order.</summary>
    public void Add(EntityExtractor extractor, IReadOnlyList<string> tokens, IReadOnlyList<string> gold)
    {
        var (text, offsets) = NewsFane.Join(tokens);
        if (!_memories.TryGetValue(extractor, out var memory))
        {
            _memories[extractor] = memory = new DocumentMemory();
        }
        var found = extractor.Mentions(text, memory)
            .Select(mention => (First: offsets.FindIndex(offset => offset.End > mention.Start), Last: offsets.FindLastIndex(offset => offset.Start < mention.End), mention.Type))
            .ToHashSet();
        var expected = EntitySpans.Of(gold).ToHashSet();
        foreach (var kind in Kinds)
        {
            var (tp, fp, fn) = _counts[kind];
            var predicted = found.Where(span => span.Type == kind).ToHashSet();
            var wanted = expected.Where(span => span.Type == kind).ToHashSet();
            _counts[kind] = (tp + wanted.Intersect(predicted).Count(), fp + predicted.Except(wanted).Count(), fn + wanted.Except(predicted).Count());
        }
    }

    /// <summary>Rows per kind and micro-averaged over all: (kind, gold, found, precision, recall, F1).</summary>
    public IReadOnlyList<(string Kind, int Gold, int Found, double Precision, double Recall, double F1)> Rows()
    {
        var all = (_counts.Values.Sum(c => c.TruePositive), _counts.Values.Sum(c => c.FalsePositive), _counts.Values.Sum(c => c.FalseNegative));
        return _counts.Select(pair => Row(pair.Key, pair.Value)).Append(Row("all (micro)", all)).ToList();

        static (string, int, int, double, double, double) Row(string kind, (int TruePositive, int FalsePositive, int FalseNegative) c)
        {
            var precision = c.TruePositive + c.FalsePositive == 0 ? 0 : (double)c.TruePositive / (c.TruePositive + c.FalsePositive);
            var recall = c.TruePositive + c.FalseNegative == 0 ? 0 : (double)c.TruePositive / (c.TruePositive + c.FalseNegative);
            var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            return (kind, c.TruePositive + c.FalseNegative, c.TruePositive + c.FalsePositive, precision, recall, f1);
        }
    }

    public string Table()
    {
        var table = new StringBuilder("| type | gold | found | precision | recall | F1 |\n|---|---|---|---|---|---|\n");
        foreach (var (kind, gold, found, precision, recall, f1) in Rows())
        {
            table.Append(FormattableString.Invariant($"| {kind} | {gold} | {found} | {precision:0.000} | {recall:0.000} | {f1:0.000} |\n"));
        }
        return table.ToString();
    }
}
