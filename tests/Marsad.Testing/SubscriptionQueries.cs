using System.Text.RegularExpressions;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;
using Marsad.Search.Analysis;

namespace Marsad.Testing;

/// <summary>
/// Alert queries of the kinds people write, made from the words of real articles (deterministically): single words,
/// two words (all of them), alternatives, phrases, exclusions, a topic filter with a word, and a few prefixes. The
/// words are keywords, as people watch for: words whose stem (as search analyses it) is in a few articles of the
/// sample, not in most (names, places, subjects rather than العام or قال).
/// </summary>
public static partial class SubscriptionQueries
{
    public static IReadOnlyList<string> Generate(IEnumerable<AntArticle> articles, int count, int seed = 42)
    {
        var texts = articles.Select(article => article.Title + " " + article.Text).ToList();
        using var analyzer = MarsadAnalyzers.CreateTextQueryAnalyzer();
        var stemOf = new Dictionary<string, string?>(StringComparer.Ordinal);
        string? Stem(string word)
        {
            if (!stemOf.TryGetValue(word, out var stem))
            {
                stemOf[word] = stem = Stems(analyzer, word).FirstOrDefault();
            }
            return stem;
        }
        var articlesWithStem = texts
            .SelectMany(text => Word().Matches(text).Select(match => Stem(match.Value)).OfType<string>().Distinct())
            .GroupBy(stem => stem).ToDictionary(group => group.Key, group => group.Count(), StringComparer.Ordinal);
        var mostArticles = Math.Max(3, texts.Count / 1000);
        bool IsKeyword(string word) => word.Length >= 4 && Stem(word) is { } stem && articlesWithStem[stem] is >= 2 && articlesWithStem[stem] <= mostArticles;
        var words = stemOf.Keys.Where(IsKeyword).Order(StringComparer.Ordinal).ToArray();

        var random = new Random(seed);
        string AnyWord() => words[random.Next(words.Length)];
        string Phrase()
        {
            // Two words that stand together in an article, one of them a keyword.
            while (true)
            {
                var tokens = Word().Matches(texts[random.Next(texts.Count)]).Select(match => match.Value).ToArray();
                for (var tries = 0; tries < 20 && tokens.Length > 1; tries++)
                {
                    var start = random.Next(tokens.Length - 1);
                    if (IsKeyword(tokens[start]) || IsKeyword(tokens[start + 1]))
                    {
                        return $"\"{tokens[start]} {tokens[start + 1]}\"";
                    }
                }
            }
        }
        string Prefix()
        {
            var word = AnyWord();
            return word.Length >= 6 ? word[..5] + "*" : word;
        }
        string[] topics = ["sport", "economy", "culture", "technology", "middleEast", "internationalNews"];
        var queries = new List<string>(count);
        while (queries.Count < count)
        {
            queries.Add(random.Next(20) switch
            {
                < 6 => AnyWord(),
                < 10 => $"{AnyWord()} {AnyWord()}",
                < 13 => $"{AnyWord()} OR {AnyWord()}",
                < 16 => Phrase(),
                < 18 => $"{AnyWord()} AND NOT {AnyWord()}",
                < 19 => $"topic:{topics[random.Next(topics.Length)]} AND {AnyWord()}",
                _ => Prefix(),
            });
        }
        return queries;
    }

    private static IEnumerable<string> Stems(Analyzer analyzer, string text)
    {
        var stems = new List<string>();
        using var tokens = analyzer.GetTokenStream("text", text);
        var term = tokens.AddAttribute<ICharTermAttribute>();
        tokens.Reset();
        while (tokens.IncrementToken())
        {
            stems.Add(term.ToString());
        }
        tokens.End();
        return stems;
    }

    [GeneratedRegex(@"[\p{L}]+")]
    private static partial Regex Word();
}
