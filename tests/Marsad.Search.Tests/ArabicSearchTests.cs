using Marsad.Testing;
namespace Marsad.Search.Tests;

[Trait(Needs.Trait, Needs.Elasticsearch)]
[Trait(Needs.Trait, Needs.SharedData)]
public sealed class LuceneArabicSearchTests(LuceneSeedIndex index) : ArabicSearchSuite<LuceneSeedIndex>(index);

[Trait(Needs.Trait, Needs.Elasticsearch)]
[Trait(Needs.Trait, Needs.SharedData)]
public sealed class ElasticsearchArabicSearchTests(ElasticsearchSeedIndex index) : ArabicSearchSuite<ElasticsearchSeedIndex>(index);

/// <summary>The seed article must be found however an Arabic reader spells the query; the same suite runs on both stores.</summary>
[Trait(Needs.Trait, Needs.Elasticsearch)]
[Trait(Needs.Trait, Needs.SharedData)]
public abstract class ArabicSearchSuite<TIndex>(TIndex index) : IClassFixture<TIndex>
    where TIndex : SeedIndexFixture
{
    [Theory]
    [InlineData("اوكرانيا")]           // no hamza in the query, hamza in the text
    [InlineData("الناتو")]
    [InlineData("ناتو")]               // without the article
    [InlineData("\"وزراء الخارجية\"")] // a phrase
    [InlineData("بوتين")]
    [InlineData("أُوكْرَانِيَا")]        // with tashkeel
    [InlineData("روســيا")]            // with tatweel
    [InlineData("كييف AND بروكسل")]
    [InlineData("title:أوكرانيا")]
    [InlineData("entity:الناتو")]
    [InlineData("موسك*")]              // suffix wildcard
    [InlineData("الوزير")]             // the text has the bare وزير, whose و is a root letter, not "and"
    [InlineData("الوزراء")]
    [InlineData("ووزير")]
    [InlineData("وواشنطن")]
    public async Task Finds_the_seed_article(string query)
    {
        var response = await index.Store.SearchAsync(new SearchRequest { Query = query }, CancellationToken.None);
        Assert.Contains(response.Hits, hit => hit.Id == SeedIndexFixture.SeedId);
    }

    [Theory]
    [InlineData("الصين")]
    [InlineData("اوكرانيا NOT بوتين")]
    [InlineData("\"الخارجية وزراء\"")] // the words, but not as that phrase
    public async Task Does_not_find_the_seed_article(string query)
    {
        var response = await index.Store.SearchAsync(new SearchRequest { Query = query }, CancellationToken.None);
        Assert.DoesNotContain(response.Hits, hit => hit.Id == SeedIndexFixture.SeedId);
    }

    [Fact]
    public async Task An_exact_match_ranks_above_one_that_only_shares_the_stem()
    {
        var response = await index.Store.SearchAsync(new SearchRequest { Query = "مفاوضات" }, CancellationToken.None);
        Assert.Equal([SeedIndexFixture.ExactId, SeedIndexFixture.StemOnlyId], response.Hits.Select(hit => hit.Id));
    }

    [Theory]
    [InlineData("text.exact:مفاوضات", new[] { SeedIndexFixture.ExactId })]
    [InlineData("text.exact:\"وزراء خارجية\"", new[] { SeedIndexFixture.SeedId })]
    [InlineData("text.exact:\"وزراء الخارجية\"", new string[0])]
    [InlineData("title.exact:أوكرانيا", new[] { SeedIndexFixture.SeedId })]
    public async Task Exact_fields_match_words_as_written_up_to_normalisation(string query, string[] expected)
    {
        var response = await index.Store.SearchAsync(new SearchRequest { Query = query }, CancellationToken.None);
        Assert.Equal(expected, response.Hits.Select(hit => hit.Id));
    }

    [Fact]
    public async Task The_query_that_misses_the_seed_still_finds_its_own_article()
    {
        var response = await index.Store.SearchAsync(new SearchRequest { Query = "الصين" }, CancellationToken.None);
        Assert.Equal([SeedIndexFixture.ChinaId], response.Hits.Select(hit => hit.Id));
    }

    [Fact]
    public async Task Highlights_mark_the_matched_word_as_written_in_the_text()
    {
        var response = await index.Store.SearchAsync(new SearchRequest { Query = "اوكرانيا" }, CancellationToken.None);
        var seed = Assert.Single(response.Hits, hit => hit.Id == SeedIndexFixture.SeedId);
        Assert.NotEmpty(seed.Highlights);
        // The text has the hamza; the highlight shows the text's own spelling, readable, not entity-encoded.
        Assert.Contains(seed.Highlights, highlight => highlight.Contains("<em>أوكرانيا</em>", StringComparison.Ordinal));
        Assert.DoesNotContain(seed.Highlights, highlight => highlight.Contains("&#", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("اوكرانيا")]
    [InlineData("بوتين AND الناتو")]
    [InlineData("\"وزراء الخارجية\"")]
    public async Task Highlights_are_whole_words_of_the_text_with_no_broken_marks(string query)
    {
        var response = await index.Store.SearchAsync(new SearchRequest { Query = query }, CancellationToken.None);
        var seed = Assert.Single(response.Hits, hit => hit.Id == SeedIndexFixture.SeedId);
        var text = SeedIndexFixture.Articles()[0].Text;
        Assert.NotEmpty(seed.Highlights);
        foreach (var highlight in seed.Highlights)
        {
            Assert.Contains("<em>", highlight, StringComparison.Ordinal);
            var plain = System.Net.WebUtility.HtmlDecode(highlight.Replace("<em>", "").Replace("</em>", "")).Trim();
            var at = text.IndexOf(plain, StringComparison.Ordinal);
            Assert.True(at >= 0, $"the fragment is not a piece of the text: {plain}");
            // A fragment starts and ends on a word boundary, never inside a word or on a diacritic.
            Assert.True(at == 0 || !char.IsLetterOrDigit(text[at - 1]), $"starts inside a word: {plain}");
            var end = at + plain.Length;
            Assert.True(end == text.Length || !char.IsLetterOrDigit(text[end]), $"ends inside a word: {plain}");
            Assert.False(char.GetUnicodeCategory(plain[0]) == System.Globalization.UnicodeCategory.NonSpacingMark, $"starts on a diacritic: {plain}");
            Assert.DoesNotContain(plain, c => c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' or '\u200E' or '\u200F');
        }
    }

    [Fact]
    public async Task Hits_carry_the_contract_fields()
    {
        var response = await index.Store.SearchAsync(new SearchRequest { Query = "بوتين" }, CancellationToken.None);
        var seed = Assert.Single(response.Hits);
        Assert.Equal("https://news.example/ar/nato-ukraine", seed.Url);
        Assert.Equal("الناتو يتحد ضد أي عمل عسكري روسي في أوكرانيا", seed.Title);
        Assert.Equal("وكالة الأنباء", seed.Source);
        Assert.Equal("ar", seed.Language);
        Assert.Equal(new DateTimeOffset(2022, 1, 7, 10, 0, 0, TimeSpan.Zero), seed.Published);
        Assert.Equal(["international news"], seed.Topics);
        Assert.Equal(["الناتو", "روسيا"], seed.Entities);
        Assert.True(seed.Score > 0);
        Assert.Equal(1, response.Total);
    }
}
