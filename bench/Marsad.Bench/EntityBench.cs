using System.Diagnostics;
using Marsad.Classifier.Entities;
using Marsad.Classifier.Topics;
using Marsad.Search;
using Marsad.Testing;

namespace Marsad.Bench;

/// <summary>
/// The entity extractor on NewsFANE Gold 2014 (../shared/data/arabic-ner): precision, recall and F1 of exact spans
/// (whole tokens) for persons, places and organisations, with the corpus's fine types mapped to those three. The
/// tagger is trained on the corpus, so it is measured by cross-validation (each fold tagged by a model that never saw
/// it); the gazetteer alone, and the speed of the shipped extractor, on the whole corpus.
/// </summary>
public static class EntityBench
{
    public static void Run(int folds)
    {
        var sentences = NewsFane.Read(NewsFane.Find(RepoPaths.SharedFile("data", "arabic-ner")));
        var tokens = sentences.Sum(sentence => sentence.Tokens.Count);
        Console.WriteLine($"# Entity extraction on NewsFANE Gold 2014 — {sentences.Count} sentences, {tokens} tokens, exact token spans, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");

        var gazetteerOnly = new EntityEvaluation();
        var known = new EntityExtractor(EntityAliases.Shipped);
        foreach (var (words, tags) in sentences)
        {
            gazetteerOnly.Add(known, words, tags);
        }
        Console.WriteLine();
        Console.WriteLine("## Gazetteer and title pattern alone");
        Console.WriteLine();
        Console.Write(gazetteerOnly.Table());

        var watch = Stopwatch.StartNew();
        // --folds 0 measures the shipped extractor alone; an evaluation of no folds would print a table of zeros.
        if (folds > 0)
        {
            var crossValidated = EntityTraining.CrossValidate(sentences, folds, EntityAliases.Shipped, WordClusters.Shipped);
            Console.WriteLine();
            Console.WriteLine($"## Tagger and gazetteer, {folds}-fold cross-validation ({watch.Elapsed.TotalSeconds:0} s)");
            Console.WriteLine();
            Console.Write(crossValidated.Table());
        }

        var shipped = EntityExtractor.Shipped;
        var texts = sentences.Select(sentence => NewsFane.Join(sentence.Tokens).Text).ToList();
        shipped.Mentions(texts[0]);
        // The corpus read as its stories are: each sentence with the memory of those before it.
        var memory = new DocumentMemory();
        watch.Restart();
        foreach (var text in texts)
        {
            shipped.Mentions(text, memory);
        }
        Console.WriteLine();
        Console.WriteLine($"shipped extractor: {tokens / watch.Elapsed.TotalSeconds:0} tokens/s on one thread");

        NamesFolded(2_000);
    }

    /// <summary>
    /// How many entities an article's forms of one name made before they were folded into one (a surname, a joined
    /// conjunction, a spelling), on every 15th ANT article: the distinct names the extractor finds against the
    /// entities it reports.
    /// </summary>
    private static void NamesFolded(int articles)
    {
        var sample = NewsCorpus.Read(RepoPaths.SharedFile("data", "arabic-news", "ant-v2.1")).Where((_, index) => index % 15 == 0).Take(articles).ToList();
        var (names, entities, changed) = (0, 0, 0);
        foreach (var article in sample)
        {
            var distinct = EntityExtractor.Shipped.Mentions(article.Title + "\n" + article.Text).DistinctBy(mention => (mention.Type, mention.Normalized)).Count();
            var reported = EntityExtractor.Shipped.Extract(article.Title, article.Text).Count;
            (names, entities, changed) = (names + distinct, entities + reported, changed + (distinct != reported ? 1 : 0));
        }
        Console.WriteLine();
        Console.WriteLine($"## One entity per name within an article ({sample.Count} ANT articles, every 15th)");
        Console.WriteLine();
        Console.WriteLine($"{names} distinct names found, {entities} entities reported ({(names - entities) * 100.0 / names:0.0}% fewer); {changed} articles had a name in more than one form");
    }
}
