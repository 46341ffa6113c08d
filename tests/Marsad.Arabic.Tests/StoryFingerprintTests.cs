using Marsad.Testing;
using Xunit.Abstractions;

namespace Marsad.Arabic.Tests;

[Trait(Needs.Trait, Needs.SharedData)]
public sealed class StoryFingerprintTests(ITestOutputHelper output)
{
    private static readonly string Seed = RepoPaths.SeedArticleText;

    [Fact]
    public void A_lightly_edited_copy_is_the_same_story()
    {
        var paragraphs = Seed.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        // Another outlet's copy: its own headline, the last paragraph cut, a few words changed, its source line added.
        var copy = string.Join('\n', new[] { "الحلفاء يتوحدون في وجه موسكو" }
            .Concat(paragraphs.Skip(1).Take(paragraphs.Count - 2))
            .Append("المصدر: وكالات"))
            .Replace("اليوم الجمعة", "الجمعة").Replace("متحدون", "موحدون");
        var distance = StoryFingerprint.Distance(StoryFingerprint.Of(Seed), StoryFingerprint.Of(copy));
        Assert.True(StoryFingerprint.SameStory(StoryFingerprint.Of(Seed), StoryFingerprint.Of(copy)), $"{distance} bits apart");
    }

    [Fact]
    public void Another_story_on_the_same_subject_is_not_the_same_story()
    {
        // A real article about NATO from the ANT corpus: same subject, different story.
        var other = AntCorpus.Sample(every: 10).First(article => article.Text.Contains("الناتو", StringComparison.Ordinal) && article.Text.Contains("روسيا", StringComparison.Ordinal));
        var distance = StoryFingerprint.Distance(StoryFingerprint.Of(Seed), StoryFingerprint.Of(other.Title + "\n" + other.Text));
        Assert.True(distance > StoryFingerprint.SameStoryDistance, $"{distance} bits apart");
    }

    [Fact]
    public void Spelling_variants_do_not_change_the_fingerprint()
    {
        Assert.Equal(StoryFingerprint.Of("أعلن حلف شمال الأطلسي دعمه لأوكرانيا"), StoryFingerprint.Of("اعلن حلف شمال الاطلسي دعمه لاوكرانيا"));
        Assert.Equal(StoryFingerprint.Of("أُوكْرَانِيَا وروســيا"), StoryFingerprint.Of("اوكرانيا وروسيا"));
    }

    /// <summary>
    /// Fingerprints will be stored with the articles, so they must not depend on the process (string.GetHashCode
    /// does): this value was computed once and must stay the same on every machine and run.
    /// </summary>
    [Fact]
    public void The_fingerprint_is_the_same_on_every_machine_and_run() =>
        Assert.Equal(0x4B23340B2984BF8CUL, StoryFingerprint.Of("أعلن حلف شمال الأطلسي دعمه لأوكرانيا في مواجهة روسيا"));

    [Fact]
    public void Copies_of_real_articles_share_a_band_with_the_original_and_different_articles_rarely_do()
    {
        var articles = AntCorpus.Sample(every: 100).Select(article => article.Title + "\n" + article.Text).ToList();
        Assert.True(articles.Count > 250, "expected the ANT corpus under ../shared/data/arabic-news");
        static bool ShareABand(ulong first, ulong second) => StoryFingerprint.Bands(first).Intersect(StoryFingerprint.Bands(second)).Any();

        var sameStory = 0;
        var found = 0;
        foreach (var text in articles)
        {
            // Another outlet's copy: one word in twenty replaced, its own source line added.
            var words = text.Split(' ');
            var copy = string.Join(' ', words.Select((word, index) => index % 20 == 7 ? "وأضاف" : word)) + "\nالمصدر: وكالات";
            var (original, copied) = (StoryFingerprint.Of(text), StoryFingerprint.Of(copy));
            if (StoryFingerprint.Distance(original, copied) < StoryFingerprint.BandCount)
            {
                // Fewer differing bits than bands: some band has none of them.
                Assert.True(ShareABand(original, copied));
            }
            if (StoryFingerprint.SameStory(original, copied))
            {
                sameStory++;
                found += ShareABand(original, copied) ? 1 : 0;
            }
        }
        var fingerprints = articles.Select(StoryFingerprint.Of).ToList();
        var pairs = fingerprints.SelectMany((first, i) => fingerprints.Skip(i + 1).Select(second => (first, second))).ToList();
        var sharing = pairs.Count(pair => ShareABand(pair.first, pair.second));
        output.WriteLine($"{found} of {sameStory} same-story copies share a band; {sharing} of {pairs.Count} pairs of different articles do");

        Assert.True(sameStory > articles.Count * 0.9, $"only {sameStory} of {articles.Count} copies were within {StoryFingerprint.SameStoryDistance} bits");
        Assert.True(found >= sameStory * 0.9, $"{found} of {sameStory} copies share a band");
        Assert.True(sharing < pairs.Count * 0.06, $"{sharing} of {pairs.Count} pairs of different articles share a band");
    }
}
