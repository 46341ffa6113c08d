using System.Text.Json;
using System.Text.RegularExpressions;

namespace Marsad.Testing;

/// <summary>
/// A benchmark corpus shaped like what a monitor of Arabic news receives: of every 100 articles, 80 Arabic ones
/// (the ANT corpus), 8 in English, 4 in French and 8 lightly edited copies of an Arabic article run by another
/// outlet (the near-duplicates same-story grouping must link). English articles are composed of paragraphs of the
/// extraction benchmark's news bodies, French ones of sentences of the French news pages and feeds in
/// ../shared/data; beyond the ANT corpus's size, Arabic articles are composed of paragraphs of three ANT articles of
/// one topic. Composition is seeded, so a size gives the same corpus on every run.
/// </summary>
public static partial class MixedNews
{
    public static IReadOnlyList<AntArticle> Load(int count)
    {
        var arabic = CorpusSite.LoadArabicNews(count);
        var arabicByTopic = arabic.GroupBy(article => article.Category).ToDictionary(topic => topic.Key, topic => topic.ToList());
        var english = EnglishParagraphs();
        var french = FrenchParagraphs();
        var random = new Random(11);
        var articles = new List<AntArticle>(count);
        var arabicServed = new List<AntArticle>();
        for (var i = 0; i < count; i++)
        {
            var slot = i % 100;
            if (slot < 80 || (slot >= 92 && arabicServed.Count == 0))
            {
                var original = NextArabic(arabic, arabicByTopic, arabicServed.Count, random, i);
                arabicServed.Add(original);
                articles.Add(original);
            }
            else
            {
                articles.Add(slot switch
                {
                    < 88 => Composed(english, "en", "The Wire", i, random),
                    < 92 => Composed(french, "fr", "Le Fil", i, random),
                    _ => EditedCopy(arabicServed[random.Next(arabicServed.Count)], i),
                });
            }
        }
        return articles;
    }

    /// <summary>The next ANT article; past the corpus's end, one composed of paragraphs of three articles of one topic.</summary>
    private static AntArticle NextArabic(IReadOnlyList<AntArticle> corpus, IReadOnlyDictionary<string, List<AntArticle>> byTopic, int index, Random random, int id)
    {
        if (index < corpus.Count)
        {
            return corpus[index];
        }
        var first = corpus[random.Next(corpus.Count)];
        var sameTopic = byTopic[first.Category];
        var paragraphs = new[] { first, sameTopic[random.Next(sameTopic.Count)], sameTopic[random.Next(sameTopic.Count)] }
            .SelectMany(article => Paragraphs(article.Text).Take(3))
            .ToList();
        return first with { Id = $"composed-{id}", Url = $"{first.Url}?composed={id}", Title = $"{first.Title} ({id})", Text = string.Join('\n', paragraphs) };
    }

    /// <summary>Another outlet's copy: its own headline, the last paragraph cut from a long article, a source line added.</summary>
    private static AntArticle EditedCopy(AntArticle original, int id)
    {
        var paragraphs = Paragraphs(original.Text).ToList();
        var text = string.Join('\n', (paragraphs.Count > 4 ? paragraphs.SkipLast(1) : paragraphs).Append("المصدر: وكالات"));
        return original with
        {
            Id = $"copy-{id}",
            Url = $"https://copy.example/{id}",
            Source = "copy-" + (id % 7),
            Title = "عاجل: " + original.Title,
            Text = text,
            Published = original.Published?.AddMinutes(30),
        };
    }

    private static AntArticle Composed(IReadOnlyList<string> pool, string language, string source, int id, Random random)
    {
        var paragraphs = Enumerable.Range(0, 5).Select(_ => pool[random.Next(pool.Count)]).Distinct().ToList();
        var title = string.Join(' ', paragraphs[0].Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(10));
        return new AntArticle($"{language}-{id}", $"https://{language}.example/{id}", $"{source}", "", title, string.Join('\n', paragraphs),
            new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(id), language);
    }

    private static IEnumerable<string> Paragraphs(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>
    /// The paragraphs of the extraction benchmark's ground-truth bodies that are English: a few of its 91 pages are
    /// in Portuguese, German, Indonesian, Russian or Japanese, told apart by how rare "the", "and" and "of" are in them.
    /// </summary>
    public static IReadOnlyList<string> EnglishParagraphs()
    {
        using var truth = JsonDocument.Parse(File.ReadAllText(RepoPaths.SharedFile("data", "extraction-benchmark", "ground-truth.json")));
        return truth.RootElement.EnumerateObject()
            .Select(page => page.Value.GetProperty("articleBody").GetString() ?? "")
            .Where(IsEnglish)
            .SelectMany(Paragraphs)
            .Where(paragraph => paragraph.Length >= 80)
            .ToList();
    }

    /// <summary>The French news text in ../shared/data (readability's French pages, French publisher feeds), in paragraphs of three sentences.</summary>
    public static IReadOnlyList<string> FrenchParagraphs()
    {
        var sentences = LanguageSamples.ReadabilityPages().Concat(LanguageSamples.PublisherFeeds())
            .Where(sample => sample.Language == "fr")
            .SelectMany(sample => SentenceEnd().Split(Whitespace().Replace(sample.Text, " ")))
            .Select(sentence => sentence.Trim())
            .Where(sentence => sentence.Length >= 40)
            .Distinct()
            .ToList();
        return sentences.Chunk(3).Select(chunk => string.Join(' ', chunk)).ToList();
    }

    private static bool IsEnglish(string text)
    {
        var words = Whitespace().Split(text.ToLowerInvariant());
        return words.Count(word => word is "the" or "and" or "of") >= words.Length * 0.04;
    }

    [GeneratedRegex(@"(?<=[.!?])\s+")]
    private static partial Regex SentenceEnd();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
