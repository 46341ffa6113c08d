using Marsad.Arabic;

namespace Marsad.Arabic.Tests;

public sealed class ArabicNormalizerTests
{
    [Theory]
    [InlineData("أوكرانيا", "اوكرانيا")]        // hamza above
    [InlineData("إيمانويل", "ايمانويل")]        // hamza below
    [InlineData("آذان", "اذان")]                // madda
    [InlineData("ٱلرحمن", "الرحمن")]            // alef wasla
    [InlineData("مستشفى", "مستشفي")]           // alef maqsura
    [InlineData("الجلسة", "الجلسه")]            // taa marbuta
    [InlineData("أُوكْرَانِيَا", "اوكرانيا")]     // tashkeel
    [InlineData("روســيا", "روسيا")]            // tatweel
    [InlineData("رحمٰن", "رحمن")]               // superscript alef
    [InlineData("ایران", "ايران")]              // Persian yeh
    [InlineData("کتاب", "كتاب")]                // Persian keheh
    [InlineData("٢٠٢٢", "2022")]                // Arabic-Indic digits
    [InlineData("۱۴۰۰", "1400")]                // Persian digits
    [InlineData("NATO", "nato")]
    public void Folds_spelling_variants_to_one_form(string input, string expected) =>
        Assert.Equal(expected, ArabicNormalizer.Normalize(input));

    [Fact]
    public void Removes_invisible_bidi_and_zero_width_marks()
    {
        var withMarks = "\u200Fروسيا\u200E و\u202Bالناتو\u202C\u200B";
        Assert.Equal("روسيا والناتو", ArabicNormalizer.Normalize(withMarks));
    }

    [Fact]
    public void Turns_presentation_forms_into_letters()
    {
        // "لا" as the lam-alef ligature U+FEFB, and isolated/final presentation forms of "سلام".
        Assert.Equal("لا", ArabicNormalizer.Normalize("\uFEFB"));
        Assert.Equal("سلام", ArabicNormalizer.Normalize("\uFEB3\uFEFC\uFEE1"));
    }

    [Fact]
    public void Character_table_agrees_with_the_normaliser_for_every_listed_character()
    {
        Assert.NotEmpty(ArabicNormalizer.CharacterFoldings);
        foreach (var (from, to) in ArabicNormalizer.CharacterFoldings)
        {
            Assert.Equal(ArabicNormalizer.Normalize(from.ToString()), to);
        }
        Assert.Contains(ArabicNormalizer.CharacterFoldings, pair => pair.Key == 'أ' && pair.Value == "ا");
        Assert.Contains(ArabicNormalizer.CharacterFoldings, pair => pair.Key == '\u0640' && pair.Value == "");
    }

    [Fact]
    public void Half_an_emoji_becomes_a_replacement_character_and_a_whole_one_stays()
    {
        // .NET's own normalisation throws on an unpaired surrogate; a text cut in the middle of an emoji must not stop an article.
        Assert.Throws<ArgumentException>(() => "حلف \uD83D".Normalize(System.Text.NormalizationForm.FormKC));
        Assert.Equal("حلف \uFFFD", ArabicNormalizer.Normalize("حلف \uD83D"));
        Assert.Equal("\uFFFD حلف", ArabicNormalizer.Normalize("\uDE42 حلف"));
        Assert.Equal("حلف 🙂", ArabicNormalizer.Normalize("حلف 🙂"));
    }

    [Fact]
    public void Leaves_plain_text_alone()
    {
        const string plain = "وزراء خارجيه الحلف";
        Assert.Equal(plain, ArabicNormalizer.Normalize(plain));
    }
}
