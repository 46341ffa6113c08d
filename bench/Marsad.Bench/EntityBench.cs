using System.Diagnostics;
using Marsad.Classifier.Entities;
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
        var crossValidated = EntityTraining.CrossValidate(sentences, folds, EntityAliases.Shipped, WordClusters.Shipped);
        Console.WriteLine();
        Console.WriteLine($"## Tagger and gazetteer, {folds}-fold cross-validation ({watch.Elapsed.TotalSeconds:0} s)");
        Console.WriteLine();
        Console.Write(crossValidated.Table());

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
    }
}
