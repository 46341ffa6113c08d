using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Marsad.Search.Elasticsearch;
using Marsad.Testing;
using Marsad.Search.Analysis;

namespace Marsad.Search.Tests;

/// <summary>
/// One Arabic analysis in both stores: the same sentences through the embedded analyzer and through
/// Elasticsearch's <c>_analyze</c> on an index made from the shipped template give the same tokens, in order.
/// </summary>
[Trait(Needs.Trait, Needs.Elasticsearch)]
[Trait(Needs.Trait, Needs.SharedData)]
public sealed partial class AnalyzerParityTests : IAsyncLifetime
{
    private readonly string _prefix = "marsad-test-analysis-" + Guid.NewGuid().ToString("N")[..8];
    private readonly HttpClient _http = new() { BaseAddress = ElasticsearchServer.Url };
    private string _index = null!;

    public async Task InitializeAsync()
    {
        var store = ElasticsearchSeedIndex.CreateStore(_prefix);
        await store.PrepareAsync(CancellationToken.None);
        _index = _prefix + "-undated";
        (await _http.PutAsync(_index, null)).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        await ElasticsearchServer.DeleteAsync(_prefix);
        _http.Dispose();
    }

    /// <summary>200 sentences: real Arabic news (ANT corpus, read in place) and the spellings that trip analyzers.</summary>
    public static IReadOnlyList<string> Sentences()
    {
        var edgeCases = new[]
        {
            "أُوكْرَانِيَا وروســيا والناتو ﻻ يتفقون", "\u200Fروسيا\u200E و\u202Bالناتو\u202C\u200B", "ﺳﻼﻡ عليكم ﷲ",
            "عام ٢٠٢٢ و۱۴۰۰ و2024", "ایران کشور بزرگی است", "مستشفى الجامعة الأمريكية", "ٱلرَّحْمٰن الرحيم",
            "l'OTAN et l'Ukraine d'abord", "The ministers of NATO's members", "C'est qu'il faut",
            "الاتحاد الأوروبي والولايات المتحدة", "بالأمس وكالنهار وللمرة الأولى فالحل",
            "المعلمون والمعلمات والمعلمين", "الوزيرة الجديدة والوزيران", "E-mail: news@example.org 12:30",
            "«الحوار لا يعني الاستسلام»", "٣٠ دولة عضوا في حلف شمال الأطلسي",
            "دعم لإسرائيل وبأوكرانيا وكفرنسا فالمفاوضات لأنها لصالح بطاقة ولبنان بحرية",
        };
        var sentences = AntCorpus.Files()
            .Where((_, index) => index % 97 == 0)
            .Select(AntCorpus.Read)
            .OfType<AntArticle>()
            .SelectMany(article => SentenceEnd().Split(article.Text))
            .Select(sentence => sentence.Trim())
            .Where(sentence => sentence.Length is > 20 and < 400)
            .Take(200 - edgeCases.Length);
        return [.. edgeCases, .. sentences];
    }

    [Fact]
    public async Task Two_hundred_sentences_give_identical_tokens_in_both_stores()
    {
        var sentences = Sentences();
        Assert.Equal(200, sentences.Count);
        var analyzer = MarsadAnalyzers.CreateIndexAnalyzer();
        var differences = new List<string>();
        // The stemmed field as indexed, its exact twin, and the stemmed field as a query reads it (no split).
        var chains = new (string Name, Func<string, List<(string, int)>> Embedded, Func<string, Task<List<(string, int)>>> Production)[]
        {
            ("text", sentence => AnalyzerTokens.WithPositions(analyzer, "text", sentence), sentence => AnalyzeAsync(new { field = "text", text = sentence })),
            ("text.exact", sentence => AnalyzerTokens.WithPositions(analyzer, "text.exact", sentence), sentence => AnalyzeAsync(new { field = "text.exact", text = sentence })),
            ("query", sentence => AnalyzerTokens.WithPositions(MarsadAnalyzers.CreateTextQueryAnalyzer(), "text", sentence),
                sentence => AnalyzeAsync(new { analyzer = ArticleIndexTemplate.TextQueryAnalyzer, text = sentence })),
        };
        foreach (var (name, embeddedTokens, productionTokens) in chains)
        {
            foreach (var sentence in sentences)
            {
                var embedded = embeddedTokens(sentence);
                var production = await productionTokens(sentence);
                if (!embedded.SequenceEqual(production))
                {
                    differences.Add($"{name} '{sentence}'\n  lucene:        {string.Join(' ', embedded)}\n  elasticsearch: {string.Join(' ', production)}");
                }
            }
        }
        Assert.True(differences.Count == 0, string.Join("\n", differences.Take(5)));
    }

    [Theory]
    [InlineData("وكالة الأنباء")]
    [InlineData("  Marsad Samples (English) ")]
    [InlineData("إيمانويل ماكرون")]
    [InlineData("ایران")]
    public async Task Keyword_values_are_folded_the_same_way(string value)
    {
        var embedded = AnalyzerTokens.WithPositions(MarsadAnalyzers.CreateIndexAnalyzer(), "source", MarsadAnalyzers.NormalizeKeyword(value));
        Assert.Equal(embedded, await AnalyzeAsync(new { field = "source", text = value.Trim() }));
    }

    private async Task<List<(string Term, int Position)>> AnalyzeAsync(object request)
    {
        using var response = await _http.PostAsJsonAsync($"{_index}/_analyze", request);
        response.EnsureSuccessStatusCode();
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return json["tokens"]!.AsArray()
            .Select(token => (token!["token"]!.GetValue<string>(), token["position"]!.GetValue<int>()))
            .ToList();
    }

    [GeneratedRegex(@"(?<=[.!؟?\n])\s*")]
    private static partial Regex SentenceEnd();
}
