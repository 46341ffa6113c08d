using Marsad.Arabic;
using Marsad.Classifier.Languages;
using Marsad.Testing;

namespace Marsad.Classifier.Tests;

/// <summary>The benchmarks' mixed corpus is what it says: its languages are identified as such and its copies are the same story as their originals.</summary>
[Trait(Needs.Trait, Needs.SharedData)]
public sealed class MixedNewsTests
{
    [Fact]
    public void Of_every_hundred_articles_eighty_are_arabic_eight_english_four_french_and_eight_copies_of_an_earlier_story()
    {
        var articles = MixedNews.Load(300);
        Assert.Equal(300, articles.Count);
        Assert.Equal(300, articles.Select(article => article.Id).Distinct().Count());
        Assert.Equal(300, articles.Select(article => article.Url).Distinct().Count());

        var byLanguage = articles.CountBy(article => article.Language).ToDictionary();
        Assert.Equal(264, byLanguage["ar"]);
        Assert.Equal(24, byLanguage["en"]);
        Assert.Equal(12, byLanguage["fr"]);
        foreach (var article in articles.Where(article => article.Language != "ar"))
        {
            Assert.Equal(article.Language, LanguageIdentifier.Shipped.Identify(article.Title + "\n" + article.Text).Code);
        }

        var copies = articles.Where(article => article.Id.StartsWith("copy-", StringComparison.Ordinal)).ToList();
        Assert.Equal(24, copies.Count);
        var originals = articles.Where(article => article.Language == "ar" && !copies.Contains(article)).Select(article => StoryFingerprint.Of(article.Title + "\n" + article.Text)).ToList();
        Assert.All(copies, copy => Assert.Contains(originals, original => StoryFingerprint.SameStory(original, StoryFingerprint.Of(copy.Title + "\n" + copy.Text))));
        // And the composed English and French articles are not copies of one another.
        var composed = articles.Where(article => article.Language != "ar").Select(article => StoryFingerprint.Of(article.Title + "\n" + article.Text)).ToList();
        Assert.True(composed.Count(fingerprint => composed.Count(other => StoryFingerprint.SameStory(fingerprint, other)) > 1) <= composed.Count / 10);
    }

    [Fact]
    public void Past_the_corpus_s_end_arabic_articles_are_composed_and_still_distinct()
    {
        var arabic = CorpusSite.LoadArabicNews(int.MaxValue).Count;
        var articles = MixedNews.Load(arabic * 100 / 80 + 500);
        var composed = articles.Where(article => article.Id.StartsWith("composed-", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(composed);
        Assert.All(composed, article => Assert.True(article.Text.Length > 200));
        Assert.Equal(articles.Count, articles.Select(article => article.Id).Distinct().Count());
    }
}
