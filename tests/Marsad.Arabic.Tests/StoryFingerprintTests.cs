using Marsad.Testing;

namespace Marsad.Arabic.Tests;

public sealed class StoryFingerprintTests
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
}
