using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;
using Marsad.Arabic;
using Marsad.Classifier.Entities;
using Marsad.Classifier.Languages;
using Marsad.Classifier.Topics;
using Marsad.Parser;
using Marsad.Search;
using Marsad.Testing;
using Marsad.Search.Analysis;
using Marsad.Search.Queries;

namespace Marsad.Bench;

/// <summary>
/// BenchmarkDotNet over the hot paths, one real Arabic article each (the seed article, its page as published):
/// normalisation and analysis, HTML extraction, language identification, topic inference, entity extraction,
/// SimHash, and the pre-selection of alert subscriptions to test an article against.
/// </summary>
[MemoryDiagnoser]
public class HotPaths
{
    private string _text = "";
    private string _title = "";
    private string _html = "";
    private Analyzer _analyzer = null!;
    private ArticleDocument _article = null!;
    private StoredQueryIndex<StoredQuery> _subscriptions = null!;

    [GlobalSetup]
    public void Load()
    {
        _text = RepoPaths.SeedArticleText;
        _title = _text.Split('\n', 2)[0];
        _html = File.ReadAllText(Path.Combine(RepoPaths.Samples, "pages", "nato-ukraine-ar.html"));
        _analyzer = MarsadAnalyzers.CreateIndexAnalyzer();
        _article = new ArticleDocument { Id = "seed", Url = "https://news.example/seed", Title = _title, Text = _text, Source = "seed", Language = "ar" };
        var vocabulary = AntCorpus.Sample(every: 7).Take(3000).ToList();
        _subscriptions = new StoredQueryIndex<StoredQuery>(
            SubscriptionQueries.Generate(vocabulary, Subscriptions).Select(query => StoredQueryMatcher.Compile(query)), query => query);
        // The models load once, as in a service; their loading is not what is measured.
        _ = LanguageIdentifier.Shipped.Identify(_text);
        _ = TopicClassifier.Shipped.Classify(_title, _text);
        _ = EntityExtractor.Shipped.Extract(_title, _text);
    }

    public const int Subscriptions = 10_000;

    [Benchmark(Description = "Arabic normalisation")]
    public string Normalize() => ArabicNormalizer.Normalize(_text);

    [Benchmark(Description = "Arabic analysis (index analyzer, text field)")]
    public int Analyze()
    {
        using var stream = _analyzer.GetTokenStream("text", _text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        var tokens = 0;
        while (stream.IncrementToken())
        {
            tokens += term.Length > 0 ? 1 : 0;
        }
        stream.End();
        return tokens;
    }

    [Benchmark(Description = "HTML extraction (SmartReader + boilerplate)")]
    public int Extract() => ArticleExtractor.Extract(_html, "https://news.example/seed")?.Text.Length ?? 0;

    [Benchmark(Description = "language identification (n-grams)")]
    public string IdentifyLanguage() => LanguageIdentifier.Shipped.Identify(_text).Code;

    [Benchmark(Description = "topic inference (ML.NET)")]
    public int ClassifyTopics() => TopicClassifier.Shipped.Classify(_title, _text).Count;

    [Benchmark(Description = "named entities (gazetteer + tagger)")]
    public int ExtractEntities() => EntityExtractor.Shipped.Extract(_title, _text).Count;

    [Benchmark(Description = "SimHash story fingerprint")]
    public ulong Fingerprint() => StoryFingerprint.Of(_title + "\n" + _text);

    [Benchmark(Description = "alert matching: 10,000 subscriptions pre-selected and tested")]
    public int MatchSubscriptions() => StoredQueryMatcher.Matching(_article, _subscriptions).Count;

    /// <param name="quick">One iteration each (a smoke run, figures only indicative); otherwise BenchmarkDotNet's short run.</param>
    public static BenchTable Run(bool quick, string artifacts)
    {
        // In process: no generated project to build, so the run works wherever the bench itself runs.
        var job = (quick ? Job.Dry : Job.ShortRun).WithToolchain(InProcessEmitToolchain.Instance);
        var config = ManualConfig.Create(DefaultConfig.Instance)
            .AddJob(job)
            .WithArtifactsPath(artifacts)
            .WithOptions(ConfigOptions.DisableOptimizationsValidator);
        var summary = BenchmarkRunner.Run<HotPaths>(config);
        var table = new BenchTable($"Hot paths, one seed article each (BenchmarkDotNet, {(quick ? "one cold iteration: indicative only" : "short run")})",
            "hot path", "mean µs", "per second, one thread", "allocated KB");
        foreach (var report in summary.Reports)
        {
            var mean = report.ResultStatistics?.Mean / 1000.0;
            table.Row(report.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo.Trim('\''), mean is { } us ? Math.Round(us, 1) : null,
                mean is { } perOp ? Math.Round(1_000_000 / perOp) : null, Math.Round(report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) / 1024.0 ?? 0, 1));
        }
        table.Notes.Add($"BenchmarkDotNet's own reports (Markdown, CSV, HTML) are in {Path.Combine(artifacts, "results")}.");
        return table;
    }
}
