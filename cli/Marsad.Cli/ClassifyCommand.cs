using System.CommandLine;
using System.Text.Json;
using Marsad.Classifier;
using Marsad.Classifier.Entities;
using Marsad.Classifier.Languages;
using Marsad.Classifier.Topics;
using Marsad.Contracts;
using Marsad.Search;

namespace Marsad.Cli;

public static class ClassifyCommand
{
    public static Command Create()
    {
        var json = CommonOptions.Json();
        var file = new Argument<FileInfo?>("file") { Description = "A text file (default: standard input)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("classify", "The classifier's work on one text: language, topics, entities") { json, file };
        command.SetAction(async (result, cancellationToken) =>
        {
            string text;
            if (result.GetValue(file) is { } input)
            {
                if (!input.Exists)
                {
                    throw new UsageException($"no such file: {input.FullName}");
                }
                text = await File.ReadAllTextAsync(input.FullName, cancellationToken);
            }
            else
            {
                text = await Console.In.ReadToEndAsync(cancellationToken);
            }

            var language = LanguageIdentifier.Shipped.Identify(text);
            // The first line is taken as the title, as an article's title comes first.
            var lines = text.Split('\n', 2);
            var classification = new
            {
                language = language.Code,
                confidence = Math.Round(language.Confidence, 3),
                topics = language.Code == "ar" ? TopicClassifier.Shipped.Classify(lines[0], lines.Length > 1 ? lines[1] : "") : [],
                entities = EntityExtractor.Shipped.Extract(lines[0], lines.Length > 1 ? lines[1] : ""),
            };
            Console.WriteLine(result.GetValue(json)
                ? JsonSerializer.Serialize(classification, SearchJson.Options)
                : $"language: {language.Code} ({language.Confidence:0.00})\ntopics: {string.Join(", ", classification.topics.Select(topic => $"{topic.Label} {topic.Score:0.00}"))}\nentities: {string.Join(", ", classification.entities.Select(entity => $"{entity.Normalized} ({entity.Type}, {entity.Count})"))}");
            return CliErrors.Success;
        });
        return command;
    }
}
