using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;

namespace Marsad.Search.Tests;

/// <summary>The terms an analyzer makes of a text for a field, in order.</summary>
internal static class AnalyzerTokens
{
    public static List<string> Of(Analyzer analyzer, string field, string text) =>
        WithPositions(analyzer, field, text).Select(token => token.Term).ToList();

    /// <summary>Terms with their positions: two terms at one position are alternatives for one word.</summary>
    public static List<(string Term, int Position)> WithPositions(Analyzer analyzer, string field, string text)
    {
        using var stream = analyzer.GetTokenStream(field, text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        var increment = stream.AddAttribute<IPositionIncrementAttribute>();
        stream.Reset();
        var tokens = new List<(string, int)>();
        var position = -1;
        while (stream.IncrementToken())
        {
            position += increment.PositionIncrement;
            tokens.Add((term.ToString(), position));
        }
        stream.End();
        return tokens;
    }
}
