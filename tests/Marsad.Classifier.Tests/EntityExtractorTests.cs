using Marsad.Classifier.Entities;
using Marsad.Testing;

namespace Marsad.Classifier.Tests;

[Trait(Needs.Trait, Needs.SharedData)]
public sealed class EntityExtractorTests
{
    private static IReadOnlyList<Marsad.Contracts.NamedEntity> Extract(string title, string text) => EntityExtractor.Shipped.Extract(title, text);

    [Fact]
    public void The_seed_article_names_every_entity_a_reader_sees()
    {
        var lines = RepoPaths.SeedArticleText.Split('\n', 2);
        var found = Extract(lines[0], lines[1]).ToDictionary(entity => entity.Normalized, entity => entity.Type);
        var expected = new Dictionary<string, string>
        {
            ["الناتو"] = "organisation", ["روسيا"] = "place", ["أوكرانيا"] = "place", ["الولايات المتحدة"] = "place",
            ["كييف"] = "place", ["بروكسل"] = "place", ["باريس"] = "place", ["موسكو"] = "place", ["القرم"] = "place",
            ["فرنسا"] = "place", ["الاتحاد الأوروبي"] = "organisation", ["أنتوني بلينكن"] = "person",
            ["إيمانويل ماكرون"] = "person", ["فلاديمير بوتين"] = "person",
        };
        foreach (var (name, type) in expected)
        {
            Assert.True(found.TryGetValue(name, out var foundType), $"{name} not found; found: {string.Join(", ", found.Keys)}");
            Assert.Equal(type, foundType);
        }
    }

    [Theory]
    [InlineData("حلف شمال الأطلسي يجتمع", "الناتو")]             // another name of the same entity: one canonical name
    [InlineData("وصل الوفد إلى بروسيا أمس", "روسيا")]              // a joined preposition
    [InlineData("قال مسؤول في والولايات المتحدة", "الولايات المتحدة")]
    [InlineData("NATO ministers met in Brussels", "الناتو")]        // English names of the gazetteer
    [InlineData("Les ministres de l'OTAN à Bruxelles", "بروكسل")]  // and French ones
    public void A_name_is_found_in_any_of_its_forms_and_normalised(string text, string canonical) =>
        Assert.Contains(Extract("", text), entity => entity.Normalized == canonical);

    [Theory]
    [InlineData("قال الرئيس الفرنسي إيمانويل ماكرون 🙂 في باريس")]        // an emoji: one token to the tagger, not two halves
    [InlineData("قال الرئيس الفرنسي إيمانويل ماكرون \uD83D في باريس")]    // half of one, from a text cut in the wrong place
    public void Emoji_and_broken_emoji_do_not_stop_extraction(string text)
    {
        var names = Extract("", text).Select(entity => entity.Normalized).ToList();
        Assert.Contains("إيمانويل ماكرون", names);
        Assert.Contains("باريس", names);
    }

    [Fact]
    public void A_person_unknown_to_the_gazetteer_is_found_by_title_and_role()
    {
        var entities = Extract("", "وقال وزير الخارجية النرويجي يوناس غار ستوره إن بلاده تدعم المفاوضات.");
        var person = Assert.Single(entities, entity => entity.Type == EntityExtractor.Person);
        Assert.Equal("يوناس غار ستوره", person.Normalized);
    }

    [Fact]
    public void Ordinary_words_after_a_title_are_not_a_name()
    {
        var entities = Extract("", "التقى الرئيس في القصر مع الوفد وجها لوجه أمس.");
        Assert.DoesNotContain(entities, entity => entity.Type == EntityExtractor.Person);
    }
}
