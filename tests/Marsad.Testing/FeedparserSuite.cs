using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Marsad.Fetcher;
using Marsad.Feeds;

namespace Marsad.Testing;

/// <summary>One of feedparser's test files: the expression its result must satisfy and the HTTP headers it is served with.</summary>
public sealed record FeedparserCase(string Folder, string Path, string Expect, IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>The file's path under feedparser's tests/ folder.</summary>
    public string Name => System.IO.Path.GetRelativePath(System.IO.Path.Combine(RepoPaths.SharedFile("data", "feeds", "feedparser-tests"), "tests"), Path).Replace('\\', '/');
}

/// <summary>What became of a case: pass, fail, or n/a (it asks for something Marsad's parser does not produce), and why.</summary>
public sealed record FeedparserOutcome(FeedparserCase Case, string Outcome, string Detail);

/// <summary>
/// feedparser's encoding, entity, ill-formed, well-formed and JSON tests (../shared/data/feeds/feedparser-tests), run
/// through Marsad's feed parser. Each file's leading comment says what feedparser must make of it (<c>Expect:</c>, a
/// Python expression over feedparser's result) and how it is served (<c>Header:</c>); Marsad's parse is put in
/// feedparser's shape (bozo, encoding, feed.title, entries[].title/link/id/summary/content/author/published) and the
/// expression evaluated by python3, as feedparser's harness does. feedparser's <c>bozo</c> ("ill-formed, read
/// anyway") is Marsad's repair pass, or a refusal.
/// </summary>
public static partial class FeedparserSuite
{
    public static readonly string[] Folders = ["encoding", "entities", "illformed", "wellformed", "json"];

    // feedparser's harness serves the http_* files from this address, and some expectations name it.
    private static readonly Uri ServedFrom = new("http://127.0.0.1:8097/");

    public static IEnumerable<FeedparserCase> Cases()
    {
        var root = RepoPaths.SharedFile("data", "feeds", "feedparser-tests");
        foreach (var folder in Folders)
        {
            foreach (var path in Directory.EnumerateFiles(Path.Combine(root, "tests", folder), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var comment = LeadingText(File.ReadAllBytes(path));
                if (Field(comment, "Expect") is not { } expect || Field(comment, "SkipUnless") is not null)
                {
                    continue;
                }
                var headers = HeaderLine().Matches(comment)
                    .Select(match => match.Groups[1].Value.Split(':', 2))
                    .Where(parts => parts.Length == 2)
                    .GroupBy(parts => parts[0].Trim().ToLowerInvariant())
                    .ToDictionary(group => group.Key, group => group.Last()[1].Trim());
                yield return new FeedparserCase(folder, path, expect, headers);
            }
        }
    }

    /// <summary>
    /// Folders of tests about what Marsad does not do by design, with why: it keeps a feed's HTML only to take the
    /// text out of it (the parser service does), never to show it, so it neither sanitises that HTML nor rewrites the
    /// links inside it; and it reads RSS, Atom and JSON Feed, not Microsoft's CDF of 1997.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> NotMarsadsJob = new Dictionary<string, string>
    {
        ["wellformed/sanitize"] = "sanitising feed HTML (Marsad takes its text, never shows it)",
        ["wellformed/base"] = "rewriting relative links inside feed HTML (Marsad takes its text)",
        ["wellformed/cdf"] = "CDF, a 1997 format Marsad does not read",
    };

    public static async Task<IReadOnlyList<FeedparserOutcome>> RunAsync(IReadOnlyList<FeedparserCase> cases)
    {
        var outcomes = new FeedparserOutcome?[cases.Count];
        var input = new StringBuilder();
        for (var index = 0; index < cases.Count; index++)
        {
            var folder = Path.GetRelativePath(Path.Combine(RepoPaths.SharedFile("data", "feeds", "feedparser-tests"), "tests"), Path.GetDirectoryName(cases[index].Path)!).Replace('\\', '/');
            if (NotMarsadsJob.TryGetValue(folder, out var reason))
            {
                outcomes[index] = new FeedparserOutcome(cases[index], "n/a", reason);
                continue;
            }
            input.AppendLine(new JsonObject { ["id"] = index, ["expect"] = cases[index].Expect, ["result"] = Result(cases[index]) }.ToJsonString());
        }
        var script = Path.Combine(RepoPaths.Root, "tests", "Marsad.Testing", "feedparser_expect.py");
        var run = await ProcessRunner.RunAsync("python3", [script], TimeSpan.FromMinutes(2), standardInput: input.ToString());
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"python3 {script} failed: {run.StandardError}");
        }
        foreach (var outcome in run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonNode.Parse(line)!))
        {
            var index = outcome["id"]!.GetValue<int>();
            outcomes[index] = new FeedparserOutcome(cases[index], outcome["outcome"]!.GetValue<string>(), outcome["detail"]!.GetValue<string>());
        }
        return outcomes.Select((outcome, index) => outcome ?? throw new InvalidOperationException($"No outcome for {cases[index].Path}")).ToList();
    }

    /// <summary>Marsad's parse of the case in feedparser's result shape.</summary>
    public static JsonObject Result(FeedparserCase feedparserCase)
    {
        var address = new Uri(ServedFrom, "tests/" + Path.GetRelativePath(Path.Combine(RepoPaths.SharedFile("data", "feeds", "feedparser-tests"), "tests"), feedparserCase.Path).Replace('\\', '/'));
        ParsedFeed parsed;
        try
        {
            parsed = FeedParser.Parse(File.ReadAllBytes(feedparserCase.Path), address, feedparserCase.Headers.GetValueOrDefault("content-type"));
        }
        catch (FeedFormatException e)
        {
            return new JsonObject { ["bozo"] = true, ["bozo_exception"] = e.Message, ["feed"] = new JsonObject(), ["entries"] = new JsonArray() };
        }
        var entries = new JsonArray(parsed.Items.Select(item =>
        {
            var entry = new JsonObject();
            Put(entry, "title", item.Title);
            Put(entry, "link", item.Link?.AbsoluteUri);
            Put(entry, "id", item.Guid);
            Put(entry, "summary", item.Summary);
            Put(entry, "description", item.Summary);
            Put(entry, "author", item.Author);
            if (item.Summary is { } summary)
            {
                entry["content"] = new JsonArray(new JsonObject { ["value"] = summary });
            }
            return (JsonNode)entry;
        }).ToArray());
        var feed = new JsonObject();
        Put(feed, "title", parsed.Title);
        return new JsonObject { ["bozo"] = parsed.Repaired, ["encoding"] = parsed.Encoding, ["feed"] = feed, ["entries"] = entries };
    }

    private static void Put(JsonObject target, string key, string? value)
    {
        if (value is not null)
        {
            target[key] = value;
        }
    }

    // The comment is in the file's own encoding: UTF-16 and UTF-32 files have it in theirs.
    private static string LeadingText(byte[] bytes)
    {
        var encoding = bytes switch
        {
            [0x00, 0x00, 0xFE, 0xFF, ..] or [0x00, 0x00, 0x00, _, ..] => new UTF32Encoding(bigEndian: true, byteOrderMark: true),
            [0xFF, 0xFE, 0x00, 0x00, ..] or [_, 0x00, 0x00, 0x00, ..] => new UTF32Encoding(bigEndian: false, byteOrderMark: true),
            [0xFE, 0xFF, ..] or [0x00, _, ..] => Encoding.BigEndianUnicode,
            [0xFF, 0xFE, ..] or [_, 0x00, ..] => Encoding.Unicode,
            _ => Encoding.Latin1,
        };
        var text = encoding.GetString(bytes, 0, Math.Min(bytes.Length, 8192));
        return text.Replace("\uFEFF", "");
    }

    // "Expect: …" on a line of its own, or inside the JSON test's "__TEST__" string, ended by "-->".
    private static string? Field(string comment, string name) =>
        Regex.Match(comment, $@"^{name}:\s*(.+?)\s*$", RegexOptions.Multiline) is { Success: true } line
            ? line.Groups[1].Value
            : Regex.Match(comment, $@"{name}:\s*(.+?)\s*-->") is { Success: true } inline ? inline.Groups[1].Value : null;

    [GeneratedRegex(@"^Header:\s*(.+?)\s*$", RegexOptions.Multiline)]
    private static partial Regex HeaderLine();
}
