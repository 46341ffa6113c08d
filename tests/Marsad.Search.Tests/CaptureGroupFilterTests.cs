using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.Pattern;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.TokenAttributes;
using Marsad.Arabic;
using Marsad.Search.Analysis;
using Marsad.Testing;

namespace Marsad.Search.Tests;

/// <summary>
/// The attached-preposition split gives exactly what Lucene's <c>PatternCaptureGroupTokenFilter</c> (and so
/// Elasticsearch's <c>pattern_capture</c>) gives with the same patterns — terms, positions and offsets — on real
/// news, so replacing it for speed changed no token.
/// </summary>
[Trait(Needs.Trait, Needs.SharedData)]
public sealed class CaptureGroupFilterTests
{
    [Fact]
    public void Splits_as_Lucenes_pattern_capture_filter_does_on_ANT_articles()
    {
        var texts = AntCorpus.Files().Where((_, index) => index % 61 == 0).Select(AntCorpus.Read).OfType<AntArticle>()
            .Select(article => ArabicNormalizer.Normalize(article.Title + "\n" + article.Text))
            .Prepend("وبالناتو فللمرة لوزير بغزة مصريا إيرانيا بطاقة لبنان فالحل l'OTAN NATO's 2024 و ب لل")
            .ToList();
        Assert.True(texts.Count > 400, $"only {texts.Count} ANT articles: is ../shared/data there?");
        var split = 0;
        foreach (var text in texts)
        {
            var expected = Tokens(text, tokens => new PatternCaptureGroupTokenFilter(tokens, preserveOriginal: true, MarsadAnalyzers.AttachedPreposition));
            var actual = Tokens(text, tokens => new CaptureGroupFilter(tokens, MarsadAnalyzers.AttachedPreposition, MarsadAnalyzers.MayHaveAttachedPreposition));
            Assert.Equal(expected, actual);
            split += actual.Count(token => token.Increment == 0);
        }
        // The patterns did split words here: the comparison is not between two filters that do nothing.
        Assert.True(split > 1_000, $"{split} split tokens");
    }

    private static List<(string Term, int Increment, int Start, int End)> Tokens(string text, Func<TokenStream, TokenStream> split)
    {
        using var analyzer = Analyzer.NewAnonymous((_, reader) =>
        {
            var tokenizer = new StandardTokenizer(MarsadAnalyzers.Version, reader);
            return new TokenStreamComponents(tokenizer, split(new LowerCaseFilter(MarsadAnalyzers.Version, tokenizer)));
        });
        using var stream = analyzer.GetTokenStream("text", text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        var increment = stream.AddAttribute<IPositionIncrementAttribute>();
        var offset = stream.AddAttribute<IOffsetAttribute>();
        stream.Reset();
        var tokens = new List<(string, int, int, int)>();
        while (stream.IncrementToken())
        {
            tokens.Add((term.ToString(), increment.PositionIncrement, offset.StartOffset, offset.EndOffset));
        }
        stream.End();
        return tokens;
    }
}
