using Marsad.Classifier.Entities;

namespace Marsad.Classifier.Tests;

public sealed class ArticleNamesTests
{
    private const string Person = EntityExtractor.Person;
    private const string Place = EntityExtractor.Place;

    // Mentions as the extractor gives them (a name the gazetteer does not know is its own normalised form); offsets are not read.
    private static EntityMention Mention(string name, string type) => new(0, name.Length, name, type, name);

    private static Dictionary<string, int> Entities(IEnumerable<EntityMention> mentions, params string[] canonical) =>
        ArticleNames.Of(mentions.ToList(), canonical.Contains).ToDictionary(entity => entity.Normalized, entity => entity.Count);

    [Fact]
    public void A_surname_and_a_name_with_a_joined_conjunction_are_the_full_name_of_the_only_person_who_has_it()
    {
        var entities = Entities([Mention("نستور كيرشنر", Person), Mention("كيرشنر", Person), Mention("وكيرشنر", Person), Mention("كيرشنر", Person)]);
        Assert.Equal(new Dictionary<string, int> { ["نستور كيرشنر"] = 4 }, entities);
    }

    [Fact]
    public void A_surname_two_people_of_the_article_share_stays_apart()
    {
        var entities = Entities([Mention("جورج بوش", Person), Mention("لورا بوش", Person), Mention("بوش", Person)]);
        Assert.Equal(3, entities.Count);
        Assert.Equal(1, entities["بوش"]);
    }

    [Fact]
    public void Spellings_with_and_without_hamza_are_one_name_written_the_way_the_article_writes_it_most()
    {
        var entities = Entities([Mention("أبل", EntityExtractor.Organisation), Mention("آبل", EntityExtractor.Organisation), Mention("آبل", EntityExtractor.Organisation)]);
        Assert.Equal(new Dictionary<string, int> { ["آبل"] = 3 }, entities);
    }

    [Fact]
    public void Names_the_gazetteer_tells_apart_and_names_of_other_kinds_are_not_folded()
    {
        // Amman and Oman differ only in a vowel sign; Paris Hilton is not Paris.
        var entities = Entities([Mention("عمان", Place), Mention("عُمان", Place), Mention("باريس هيلتون", Person), Mention("باريس", Place)], "عمان", "عُمان", "باريس");
        Assert.Equal(4, entities.Count);
    }

    [Fact]
    public void A_name_that_only_looks_prefixed_keeps_its_first_letter()
    {
        // و and ب begin وليد and بشار; nothing else in the article is named ليد or شار.
        var entities = Entities([Mention("وليد", Person), Mention("بشار", Person), Mention("وليد", Person)]);
        Assert.Equal(new Dictionary<string, int> { ["وليد"] = 2, ["بشار"] = 1 }, entities);
    }

    [Fact]
    public void The_shipped_extractor_gives_a_person_named_again_by_surname_once_with_every_mention_counted()
    {
        // Written for this test, as in the tagger's memory test: the name is announced by a title, then stands alone.
        var entities = EntityExtractor.Shipped.Extract("وصل الرئيس الارجنتيني نستور كيرشنر الى مدريد", "وقد غادر كيرشنر القاعة");
        var person = Assert.Single(entities, entity => entity.Type == Person);
        Assert.Equal("نستور كيرشنر", person.Normalized);
        Assert.Equal(2, person.Count);
    }
}
