using System.Diagnostics;
using Marsad.Classifier.Entities;
using Marsad.Testing;

namespace Marsad.Bench;

/// <summary>
/// The entity extractor on NewsFANE Gold 2014 (../shared/data/arabic-ner): precision, recall and F1 of exact spans
/// (whole tokens) for persons, places and organisations, with the corpus's fine types mapped to those three.
/// </summary>
public static class EntityBench
{
    // The fine types of the corpus's taxonomy, by coarse kind. Left out: facilities, works, products, vehicles, and
    // Group (العرب, المسلمين, الاسرائيليين: groups of people, not the named individuals Marsad's persons are).
    private static readonly Dictionary<string, string> Coarse = new()
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

    public static void Run()
    {
        var file = Directory.GetFiles(RepoPaths.SharedFile("data", "arabic-ner"), "NewsFANE*.txt", SearchOption.AllDirectories).Single();
        var sentences = Sentences(file);
        var extractor = EntityExtractor.Shipped;
        var counts = new Dictionary<string, (int TruePositive, int FalsePositive, int FalseNegative)>();
        var watch = Stopwatch.StartNew();
        var tokens = 0;
        foreach (var sentence in sentences)
        {
            tokens += sentence.Count;
            var offsets = new List<(int Start, int End)>();
            var text = new System.Text.StringBuilder();
            foreach (var (token, _) in sentence)
            {
                offsets.Add((text.Length, text.Length + token.Length));
                text.Append(token).Append(' ');
            }
            var gold = Spans(sentence);
            var found = extractor.Mentions(text.ToString())
                .Select(mention => (Type: mention.Type,
                    First: offsets.FindIndex(offset => offset.End > mention.Start),
                    Last: offsets.FindLastIndex(offset => offset.Start < mention.End)))
                .ToHashSet();
            foreach (var type in new[] { EntityExtractor.Person, EntityExtractor.Place, EntityExtractor.Organisation })
            {
                var expected = gold.Where(span => span.Type == type).ToHashSet();
                var predicted = found.Where(span => span.Type == type).ToHashSet();
                var (tp, fp, fn) = counts.GetValueOrDefault(type);
                counts[type] = (tp + expected.Intersect(predicted).Count(), fp + predicted.Except(expected).Count(), fn + expected.Except(predicted).Count());
            }
        }
        watch.Stop();
        Console.WriteLine($"# Entity extraction on NewsFANE Gold 2014 — {sentences.Count} sentences, {tokens} tokens, exact token spans, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Console.WriteLine();
        Console.WriteLine("| type | gold | found | precision | recall | F1 |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var (type, (tp, fp, fn)) in counts.Append(new("all (micro)", (counts.Values.Sum(c => c.TruePositive), counts.Values.Sum(c => c.FalsePositive), counts.Values.Sum(c => c.FalseNegative)))))
        {
            var precision = tp + fp == 0 ? 0 : (double)tp / (tp + fp);
            var recall = tp + fn == 0 ? 0 : (double)tp / (tp + fn);
            var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            Console.WriteLine($"| {type} | {tp + fn} | {tp + fp} | {precision:0.000} | {recall:0.000} | {f1:0.000} |");
        }
        Console.WriteLine();
        Console.WriteLine($"{tokens / watch.Elapsed.TotalSeconds:0} tokens/s");
    }

    private static List<List<(string Token, string Tag)>> Sentences(string path)
    {
        var sentences = new List<List<(string, string)>>();
        var current = new List<(string, string)>();
        foreach (var raw in File.ReadLines(path))
        {
            var line = raw.Replace("\u200E", "").Replace("\uFEFF", "").TrimEnd('\r');
            if (line.Trim().Length == 0)
            {
                if (current.Count > 0)
                {
                    sentences.Add(current);
                    current = [];
                }
                continue;
            }
            var parts = line.Split('\t');
            current.Add((parts[0].Trim(), parts.Length > 1 ? parts[1].Trim() : "O"));
        }
        if (current.Count > 0)
        {
            sentences.Add(current);
        }
        return sentences;
    }

    // IOB2 spans of the three kinds, as (type, first token, last token).
    private static List<(string Type, int First, int Last)> Spans(List<(string Token, string Tag)> sentence)
    {
        var spans = new List<(string, int, int)>();
        for (var i = 0; i < sentence.Count; i++)
        {
            if (!sentence[i].Tag.StartsWith("B-", StringComparison.Ordinal))
            {
                continue;
            }
            var fine = sentence[i].Tag[2..];
            var last = i;
            while (last + 1 < sentence.Count && sentence[last + 1].Tag == "I-" + fine)
            {
                last++;
            }
            if (Coarse.TryGetValue(fine, out var type))
            {
                spans.Add((type, i, last));
            }
        }
        return spans;
    }
}
