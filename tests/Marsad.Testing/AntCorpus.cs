using Marsad.Classifier.Topics;

namespace Marsad.Testing;

/// <summary>One labelled article of the ANT corpus (or, in a benchmark's mixed corpus, one in another language: <see cref="MixedNews"/>).</summary>
public sealed record AntArticle(string Id, string Url, string Source, string Category, string Title, string Text, DateTimeOffset? Published, string Language = "ar");

/// <summary>
/// The ANT corpus (about 30,500 labelled Arabic news articles in TREC-style files), read in place from
/// ../shared/data/arabic-news: its text is the publishers', used for tests and benchmarks, never copied.
/// </summary>
public static class AntCorpus
{
    /// <summary>Every article file, in a stable order, so a sample is the same articles on every run.</summary>
    public static IEnumerable<string> Files() => NewsCorpus.Files(RepoPaths.SharedFile("data", "arabic-news", "ant-v2.1"));

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

    /// <summary>The article in one file (read by the classifier's own corpus reader), or null when it has no title or no text.</summary>
    public static AntArticle? Read(string path) =>
        NewsCorpus.ReadFile(path) is { } article
            ? new AntArticle(article.Id, article.Url, article.Outlet, article.Label, article.Title, article.Text, article.Published)
            : null;
}
