using Marsad.Search.Analysis;

namespace Marsad.Search.Tests;

public sealed class MarsadAnalyzersTests
{
    private static string Stem(string word) => Assert.Single(AnalyzerTokens.Of(MarsadAnalyzers.CreateTextQueryAnalyzer(), "text", word));

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

public sealed class ProtectedNameTests
{
    private static List<string> Indexed(string text) => AnalyzerTokens.Of(MarsadAnalyzers.CreateTextAnalyzer(), "text", text);

    private static string Queried(string text) => Assert.Single(AnalyzerTokens.Of(MarsadAnalyzers.CreateTextQueryAnalyzer(), "text", text));

    [Theory]
    [InlineData("إيران", "الإيرانية")]
    [InlineData("لبنان", "اللبنانيين")]
    [InlineData("فلسطين", "الفلسطيني")]
    [InlineData("الإمارات", "الإماراتي")]
    [InlineData("السودان", "والسودانية")]
    [InlineData("إيران", "لإيران")]
    [InlineData("البحرين", "بالبحرين")]
    [InlineData("مصر", "مصريا")]       // the accusative adjective
    [InlineData("إيران", "إيرانيا")]
    public void A_protected_name_finds_its_adjective_and_its_prefixed_forms(string name, string form) =>
        Assert.Contains(Queried(name), Indexed(form));

    [Fact]
    public void Every_protected_name_keeps_its_whole_form_as_its_stem()
    {
        foreach (var name in MarsadAnalyzers.ProtectedNames)
        {
            var folded = Marsad.Arabic.ArabicNormalizer.Normalize(name);
            Assert.Equal(folded.StartsWith("ال", StringComparison.Ordinal) ? folded[2..] : folded, Queried(name));
        }
    }
}

public sealed class AttachedPrepositionTests
{
    private static List<string> Indexed(string text) => AnalyzerTokens.Of(MarsadAnalyzers.CreateTextAnalyzer(), "text", text);

    private static List<string> Queried(string text) => AnalyzerTokens.Of(MarsadAnalyzers.CreateTextQueryAnalyzer(), "text", text);

    [Theory]
    [InlineData("لإسرائيل", "إسرائيل")]
    [InlineData("بأوكرانيا", "أوكرانيا")]
    [InlineData("وبفرنسا", "فرنسا")]
    [InlineData("كمراقبين", "مراقبين")]
    [InlineData("لمجلس", "مجلس")]
    [InlineData("لوزير", "وزير")]      // the rest is a root-و word, stemmed as its ال form
    [InlineData("بغزة", "غزة")]        // a listed name of three letters
    [InlineData("ولمصر", "مصر")]
    [InlineData("وبالناتو", "الناتو")] // the conjunction before بال, which the stemmer alone would keep
    [InlineData("فللمرة", "المرة")]
    [InlineData("بلبنان", "لبنان")]    // ل after a preposition other than ل
    [InlineData("لكأس", "كأس")]
    public void A_word_with_a_joined_preposition_is_also_indexed_as_the_word_itself(string joined, string word)
    {
        var terms = AnalyzerTokens.WithPositions(MarsadAnalyzers.CreateTextAnalyzer(), "text", joined);
        Assert.Contains((Assert.Single(Queried(word)), 0), terms);
        Assert.All(terms, term => Assert.Equal(0, term.Position));
    }

    [Theory]
    [InlineData("لبنان")]       // never after ل: لبنان is not ل + بنان
    [InlineData("بالاقتصاد")]   // بال is the stemmer's, already stripped
    [InlineData("بطاقة")]       // listed: "card" is not ب + "energy"
    [InlineData("لصالح")]
    [InlineData("بحرية")]
    [InlineData("وبحرية")]      // listed words stay whole after the conjunction too
    [InlineData("لجنة")]        // the rest (جنة) is too short to split
    [InlineData("بوتين")]       // a rest beginning with و that is not a root-و word: وتين would stem to تين
    [InlineData("لوكاس")]
    public void Words_that_only_begin_with_those_letters_are_indexed_as_one_term(string word) =>
        Assert.Single(Indexed(word));

    [Fact]
    public void Queries_and_the_exact_fields_never_split()
    {
        Assert.Single(Queried("لإسرائيل"));
        Assert.Equal(["لاسرائيل"], AnalyzerTokens.Of(MarsadAnalyzers.CreateExactAnalyzer(), "text.exact", "لإسرائيل"));
    }

    /// <summary>
    /// Words a light stemmer or a careless prefix rule would merge, and which mean different things: a query for
    /// either must not match a text that has only the other, in the stemmed or the exact fields.
    /// </summary>
    [Theory]
    [InlineData("فهم", "هم")]
    [InlineData("كتاب", "تاب")]
    [InlineData("بطاقة", "طاقة")]
    [InlineData("لصالح", "صالح")]
    [InlineData("بحرية", "حرية")]
    [InlineData("لجنة", "جنة")]
    [InlineData("بعيد", "عيد")]
    [InlineData("كامل", "أمل")]
    [InlineData("فريق", "ريق")]
    [InlineData("كلام", "لام")]
    [InlineData("لبنان", "بنان")]
    [InlineData("وزير", "زير")]
    [InlineData("والي", "الي")]
    [InlineData("بوتين", "تين")]
    [InlineData("لبنان", "لبن")]       // protected names: the stemmer would cut them to common words
    [InlineData("السودان", "سود")]
    [InlineData("سلمان", "السلم")]
    [InlineData("البحرين", "بحر")]
    [InlineData("طهران", "طهر")]
    [InlineData("لوكاس", "كأس")]
    [InlineData("كانون", "أن")]
    public void Words_that_must_not_collapse_together_do_not_find_each_other(string word, string other)
    {
        var pairs = new[]
        {
            (Index: MarsadAnalyzers.CreateTextAnalyzer(), Query: MarsadAnalyzers.CreateTextQueryAnalyzer()),
            (Index: MarsadAnalyzers.CreateExactAnalyzer(), Query: MarsadAnalyzers.CreateExactAnalyzer()),
        };
        foreach (var (index, query) in pairs)
        {
            foreach (var (text, typed) in new[] { (word, other), (other, word) })
            {
                var shared = AnalyzerTokens.Of(index, "text", text).Intersect(AnalyzerTokens.Of(query, "text", typed)).ToList();
                Assert.True(shared.Count == 0, $"a query for {typed} matches {text} through {string.Join(", ", shared)}");
            }
        }
    }
}
