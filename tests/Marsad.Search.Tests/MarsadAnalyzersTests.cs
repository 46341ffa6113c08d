using Marsad.Search.Lucene;

namespace Marsad.Search.Tests;

public sealed class MarsadAnalyzersTests
{
    private static string Stem(string word) => Assert.Single(AnalyzerTokens.Of(MarsadAnalyzers.CreateTextAnalyzer(), "text", word));

    [Fact]
    public void A_word_whose_first_waw_is_a_root_letter_stems_alike_bare_with_the_article_and_with_the_conjunction()
    {
        foreach (var word in MarsadAnalyzers.RootWawWords)
        {
            var bare = Stem(word);
            Assert.Equal(bare, Stem("ال" + word));
            Assert.Equal(bare, Stem("و" + word));
            Assert.Equal(bare, Stem("وال" + word));
        }
    }

    [Theory]
    [InlineData("المعلمون", "معلم")]
    [InlineData("والمعلمات", "معلم")]
    [InlineData("بالاقتصاد", "اقتصاد")]
    [InlineData("وأضاف", "اضاف")]   // the conjunction و is still stripped where it is one
    public void Light_stemming_still_strips_articles_conjunctions_and_suffixes(string word, string stem) =>
        Assert.Equal(stem, Stem(word));
}
