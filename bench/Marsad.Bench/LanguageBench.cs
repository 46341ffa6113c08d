using Marsad.Classifier.Languages;
using Marsad.Classifier.Topics;
using Marsad.Testing;

namespace Marsad.Bench;

/// <summary>
/// The language model on real text it was never trained on: Arabic news (ANT), the readability test pages that
/// declare their language, real publisher feeds that declare theirs, and the translated messages of the programs
/// installed on this machine (gettext catalogues: short, technical, written by many hands — the hardest of the four).
/// </summary>
public static class LanguageBench
{
    public static void Run(int articles, int mistakesShown)
    {
        var model = LanguageIdentifier.Shipped;
        var known = model.Languages.ToHashSet();
        Console.WriteLine($"# Language identification — {known.Count} languages ({string.Join(' ', model.Languages)}), {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Console.WriteLine();
        Console.WriteLine("| source | language | texts | correct | accuracy | mistaken for |");
        Console.WriteLine("|---|---|---:|---:|---:|---|");

        var ant = NewsCorpus.Read(RepoPaths.SharedFile("data", "arabic-news", "ant-v2.1")).Where((_, index) => index % 7 == 0).Take(articles)
            .Select(article => ("ar", article.Title + "\n" + article.Text));
        var mistakes = new List<string>();
        Report("ANT news articles", ant, model, mistakes);
        Report("readability test pages", LanguageSamples.ReadabilityPages().Where(page => known.Contains(page.Language)), model, mistakes);
        Report("publisher feeds (titles and summaries)", LanguageSamples.PublisherFeeds().Where(feed => known.Contains(feed.Language)), model, mistakes);
        Report($"gettext messages of ≥ {LanguageSamples.MinimumLetters} letters", LanguageSamples.GettextMessages(known), model, mistakes);
        if (mistakesShown > 0)
        {
            Console.WriteLine();
            foreach (var mistake in mistakes.GroupBy(mistake => mistake[..mistake.IndexOf(' ')]).SelectMany(group => group.Take(mistakesShown)))
            {
                Console.WriteLine($"- {mistake}");
            }
        }
    }

    private static void Report(string source, IEnumerable<(string Language, string Text)> texts, LanguageIdentifier model, List<string> mistakesSeen)
    {
        foreach (var group in texts.GroupBy(text => text.Language).OrderBy(group => group.Key, StringComparer.Ordinal))
        {
            var answers = group.Select(text =>
            {
                var answer = model.Identify(text.Text).Code;
                if (answer != group.Key)
                {
                    mistakesSeen.Add($"{group.Key} taken for {answer}: {text.Text.ReplaceLineEndings(" ")[..Math.Min(160, text.Text.Length)]}");
                }
                return answer;
            }).ToList();
            var correct = answers.Count(answer => answer == group.Key);
            var mistakes = answers.Where(answer => answer != group.Key).GroupBy(answer => answer).OrderByDescending(answer => answer.Count())
                .Select(answer => $"{answer.Key} {answer.Count()}");
            Console.WriteLine(FormattableString.Invariant($"| {source} | {group.Key} | {answers.Count} | {correct} | {(double)correct / answers.Count:0.000} | {string.Join(", ", mistakes)} |"));
        }
    }
}
