using System.Globalization;
using System.Text.RegularExpressions;

namespace Marsad.Classifier.Topics;

/// <summary>One labelled article of a training corpus: its outlet and its topic as the corpus names it.</summary>
public sealed record LabelledArticle(string Id, string Outlet, string Label, string Title, string Text, string Url, DateTimeOffset? Published);

/// <summary>
/// Reads the ANT corpus's TREC-style files (&lt;TITLE&gt;, &lt;TEXT&gt;, &lt;CAT&gt;, &lt;SRC&gt;, &lt;URL&gt;, &lt;TIME&gt;), laid out as
/// outlet/topic/file.txt, in a stable order.
/// </summary>
public static partial class NewsCorpus
{
    public static IEnumerable<string> Files(string folder) =>
        Directory.EnumerateFiles(folder, "*.txt", SearchOption.AllDirectories)
            .Where(path => !Path.GetFileName(path).Equals("README.txt", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal);

    public static IEnumerable<LabelledArticle> Read(string folder) => Files(folder).Select(ReadFile).OfType<LabelledArticle>();

    /// <summary>
    /// The ids of articles the corpus files under more than one topic: the same address, or the same text, under two
    /// labels. One of the two labels is wrong whatever a model says, so these are reported apart in evaluations.
    /// </summary>
    public static IReadOnlySet<string> FiledUnderSeveralTopics(IReadOnlyCollection<LabelledArticle> articles)
    {
        var labelsByUrl = articles.GroupBy(article => article.Url).ToDictionary(group => group.Key, group => group.Select(article => article.Label).Distinct().Count());
        var labelsByText = articles.GroupBy(article => article.Text).ToDictionary(group => group.Key, group => group.Select(article => article.Label).Distinct().Count());
        return articles.Where(article => labelsByUrl[article.Url] > 1 || labelsByText[article.Text] > 1).Select(article => article.Id).ToHashSet();
    }

    /// <summary>The article in one file, or null when it has no title or no text.</summary>
    public static LabelledArticle? ReadFile(string path)
    {
        var document = File.ReadAllText(path);
        string? Field(string name) => FieldPattern().Matches(document).FirstOrDefault(match => match.Groups[1].Value == name)?.Groups[2].Value.Trim();
        var title = Field("TITLE");
        var text = Field("TEXT");
        if (string.IsNullOrWhiteSpace(title) || string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var topicFolder = Path.GetFileName(Path.GetDirectoryName(path)) ?? "unknown";
        var outletFolder = Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(path))) ?? "unknown";
        return new LabelledArticle(
            Path.GetFileNameWithoutExtension(path),
            Field("SRC") ?? outletFolder,
            Field("CAT") ?? topicFolder,
            title,
            text,
            Field("URL") ?? path,
            DateTimeOffset.TryParse(Field("TIME"), CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) ? time : null);
    }

    [GeneratedRegex(@"<(TITLE|TEXT|URL|SRC|CAT|TIME)>(.*?)</\1>", RegexOptions.Singleline)]
    private static partial Regex FieldPattern();
}
