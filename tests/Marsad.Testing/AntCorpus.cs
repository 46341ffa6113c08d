using System.Globalization;
using System.Text.RegularExpressions;

namespace Marsad.Testing;

/// <summary>One labelled article of the ANT corpus.</summary>
public sealed record AntArticle(string Id, string Url, string Source, string Category, string Title, string Text, DateTimeOffset? Published);

/// <summary>
/// The ANT corpus (about 30,500 labelled Arabic news articles in TREC-style files), read in place from
/// ../shared/data/arabic-news: its text is the publishers', used for tests and benchmarks, never copied.
/// </summary>
public static partial class AntCorpus
{
    /// <summary>Every article file, in a stable order, so a sample is the same articles on every run.</summary>
    public static IEnumerable<string> Files() =>
        Directory.EnumerateFiles(RepoPaths.SharedFile("data", "arabic-news", "ant-v2.1"), "*.txt", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal);

    /// <summary>Every <paramref name="every"/>th article of the sorted corpus: all five outlets and six topics, the same articles every run.</summary>
    public static IEnumerable<AntArticle> Sample(int every) =>
        Files().Where((_, index) => index % every == 0).Select(Read).OfType<AntArticle>().DistinctBy(article => article.Id);

    /// <summary>An article as the indexer hands it to a store (its topic label as its topic).</summary>
    public static Marsad.Search.ArticleDocument ToDocument(AntArticle article) => new()
    {
        Id = article.Id,
        Url = article.Url,
        Title = article.Title,
        Text = article.Text,
        Source = article.Source,
        Language = "ar",
        Topics = [article.Category],
        Published = article.Published,
    };

    /// <summary>The article in one file, or null when it has no title or no text.</summary>
    public static AntArticle? Read(string path)
    {
        var document = File.ReadAllText(path);
        string? Field(string name) => FieldPattern(name).Match(document) is { Success: true } match ? match.Groups[1].Value.Trim() : null;
        var title = Field("TITLE");
        var text = Field("TEXT");
        if (string.IsNullOrWhiteSpace(title) || string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        return new AntArticle(
            Path.GetFileNameWithoutExtension(path),
            Field("URL") ?? path,
            Field("SRC") ?? "unknown",
            Field("CAT") ?? "unknown",
            title,
            text,
            DateTimeOffset.TryParse(Field("TIME"), CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) ? time : null);
    }

    private static Regex FieldPattern(string name) => name switch
    {
        "TITLE" => Title(),
        "TEXT" => Text(),
        "URL" => Url(),
        "SRC" => Src(),
        "CAT" => Cat(),
        _ => Time(),
    };

    [GeneratedRegex("<TITLE>(.*?)</TITLE>", RegexOptions.Singleline)]
    private static partial Regex Title();

    [GeneratedRegex("<TEXT>(.*?)</TEXT>", RegexOptions.Singleline)]
    private static partial Regex Text();

    [GeneratedRegex("<URL>(.*?)</URL>", RegexOptions.Singleline)]
    private static partial Regex Url();

    [GeneratedRegex("<SRC>(.*?)</SRC>", RegexOptions.Singleline)]
    private static partial Regex Src();

    [GeneratedRegex("<CAT>(.*?)</CAT>", RegexOptions.Singleline)]
    private static partial Regex Cat();

    [GeneratedRegex("<TIME>(.*?)</TIME>", RegexOptions.Singleline)]
    private static partial Regex Time();
}
