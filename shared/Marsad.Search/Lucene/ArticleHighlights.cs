using Lucene.Net.Analysis;
using Lucene.Net.Search;
using Lucene.Net.Search.Highlight;
using Marsad.Search.Analysis;

namespace Marsad.Search.Lucene;

/// <summary>
/// The passages of an article's text that a query matched, whole words with <c>&lt;em&gt;</c> around the matches and
/// everything else HTML-escaped: for search hits and for the alerts a subscription's query raises.
/// </summary>
internal static class ArticleHighlights
{
    private const int FragmentChars = 160;
    private const int Fragments = 3;

    public static IReadOnlyList<string> Of(Query query, Analyzer analyzer, string text)
    {
        var scorer = new QueryScorer(query, LuceneFields.Text);
        var highlighter = new Highlighter(new SimpleHTMLFormatter("<em>", "</em>"), new MarkupOnlyEncoder(), scorer)
        {
            TextFragmenter = new SimpleSpanFragmenter(scorer, FragmentChars),
        };
        using var tokens = analyzer.GetTokenStream(LuceneFields.Text, text);
        return highlighter.GetBestFragments(tokens, text, Fragments).Select(fragment => fragment.Trim()).ToList();
    }
}
