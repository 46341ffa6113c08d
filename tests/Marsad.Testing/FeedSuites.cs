using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Marsad.Fetcher;
using Marsad.Feeds;

namespace Marsad.Testing;

/// <summary>One feed of another project's test suite, with the parse that project expects of it (when it ships one).</summary>
/// <param name="ExpectedItems">For feeds without an expected parse: how many items a strict XML parser (expat) counted, per the data set's INVENTORY.tsv.</param>
public sealed record FeedCase(string Suite, string Path, string? ExpectedPath, int? ExpectedItems = null);

/// <summary>What Marsad's feed parser made of a case: whether it parsed, and whether its items are the ones expected.</summary>
public sealed record FeedCaseResult(FeedCase Case, bool Parsed, bool? AsExpected, string Detail);

/// <summary>
/// The feed test suites of other projects in ../shared/data/feeds, run through Marsad's feed parser: rss-parser's
/// inputs with the JSON it expects, feed-rs's fixtures with their serde JSON (as expected: the same items with the
/// same titles, whitespace and entities aside); CodeHollow's, node-feedparser's and miniflux's feeds, held to the
/// item count a strict XML parser found where it could read them.
/// </summary>
public static partial class FeedSuites
{
    public static IEnumerable<FeedCase> Cases()
    {
        var rssParser = RepoPaths.SharedFile("data", "feeds", "rss-parser", "test");
        foreach (var input in Directory.GetFiles(Path.Combine(rssParser, "input")).Order(StringComparer.Ordinal))
        {
            var expected = Path.Combine(rssParser, "output", Path.GetFileNameWithoutExtension(input) + ".json");
            yield return new FeedCase("rss-parser", input, File.Exists(expected) ? expected : null);
        }
        var feedRs = RepoPaths.SharedFile("data", "feeds", "feed-rs", "feed-rs", "fixture");
        foreach (var folder in new[] { "rss0", "rss1", "rss2", "atom", "jsonfeed" })
        {
            var inputs = Directory.GetFiles(Path.Combine(feedRs, folder))
                .Where(file => file.EndsWith(".xml", StringComparison.Ordinal) || (file.EndsWith(".json", StringComparison.Ordinal) && !file.EndsWith(".serde.json", StringComparison.Ordinal)));
            foreach (var input in inputs.Order(StringComparer.Ordinal))
            {
                var expected = Path.ChangeExtension(input, ".serde.json");
                yield return new FeedCase("feed-rs/" + folder, input, File.Exists(expected) ? expected : null);
            }
        }
        // Real publishers' feeds and tricky cases of three more projects, with only an item count to hold them to.
        var feeds = RepoPaths.SharedFile("data", "feeds");
        var counted = File.ReadLines(Path.Combine(feeds, "INVENTORY.tsv")).Skip(1)
            .Select(line => line.Split('\t'))
            .Where(columns => columns.Length >= 8 && columns[6] == "ok" && int.TryParse(columns[7], out _))
            .ToDictionary(columns => columns[0], columns => int.Parse(columns[7]));
        foreach (var (suite, folder) in new[]
        {
            ("codehollow", "codehollow-feedreader/FeedReader.Tests/Feeds"),
            ("node-feedparser", "node-feedparser/test/feeds"),
            ("miniflux/parser", "miniflux/internal/reader/parser/testdata"),
            ("miniflux/encoding", "miniflux/internal/reader/encoding/testdata"),
            ("miniflux/xml", "miniflux/internal/reader/xml/testdata"),
        })
        {
            foreach (var input in Directory.GetFiles(Path.Combine(feeds, folder)).Order(StringComparer.Ordinal))
            {
                var relative = Path.GetRelativePath(feeds, input).Replace('\\', '/');
                yield return new FeedCase(suite, input, null, counted.TryGetValue(relative, out var items) ? items : null);
            }
        }
    }

    public static FeedCaseResult Run(FeedCase feedCase)
    {
        ParsedFeed parsed;
        try
        {
            parsed = FeedParser.Parse(File.ReadAllBytes(feedCase.Path), new Uri("https://feeds.example/" + Path.GetFileName(feedCase.Path)));
        }
        catch (FeedFormatException e)
        {
            return new FeedCaseResult(feedCase, false, feedCase.ExpectedPath is null && feedCase.ExpectedItems is null ? null : false, e.Message);
        }
        if (feedCase.ExpectedPath is null)
        {
            return feedCase.ExpectedItems is { } count
                ? new FeedCaseResult(feedCase, true, parsed.Items.Count == count, $"{parsed.Items.Count} items, {count} expected")
                : new FeedCaseResult(feedCase, true, null, $"{parsed.Items.Count} items");
        }
        var expected = ExpectedTitles(feedCase);
        var found = parsed.Items.Select(item => Normalise(item.Title)).ToList();
        if (expected.Count != found.Count)
        {
            return new FeedCaseResult(feedCase, true, false, $"{found.Count} items, {expected.Count} expected");
        }
        var different = expected.Zip(found).Where(pair => pair.First != pair.Second).ToList();
        return different.Count == 0
            ? new FeedCaseResult(feedCase, true, true, $"{found.Count} items as expected")
            : new FeedCaseResult(feedCase, true, false, $"title '{different[0].Second}', expected '{different[0].First}' ({different.Count} of {found.Count} differ)");
    }

    private static List<string> ExpectedTitles(FeedCase feedCase)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(feedCase.ExpectedPath!));
        return feedCase.Suite == "rss-parser"
            ? json.RootElement.GetProperty("feed").GetProperty("items").EnumerateArray()
                .Select(item => Normalise(item.TryGetProperty("title", out var title) && title.ValueKind == JsonValueKind.String ? title.GetString() : null)).ToList()
            : json.RootElement.GetProperty("entries").EnumerateArray()
                .Select(entry => Normalise(entry.GetProperty("title") is { ValueKind: JsonValueKind.Object } title ? title.GetProperty("content").GetString() : null)).ToList();
    }

    private static string Normalise(string? title) =>
        Whitespace().Replace(WebUtility.HtmlDecode(Tag().Replace(title ?? "", " ")), " ").Trim();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tag();
}
