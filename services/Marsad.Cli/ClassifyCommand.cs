using System.CommandLine;
using System.Text.Json;
using Marsad.Classifier;
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

            var language = LanguageDetector.Detect(text);
            // Topics and entities come with the trained classifier; the fields are part of the shape already.
            var classification = new
            {
                language = language.Code,
                confidence = Math.Round(language.Confidence, 3),
                topics = Array.Empty<TopicScore>(),
                entities = Array.Empty<NamedEntity>(),
            };
            Console.WriteLine(result.GetValue(json)
                ? JsonSerializer.Serialize(classification, SearchJson.Options)
                : $"language: {language.Code} ({language.Confidence:0.00})");
            return CliErrors.Success;
        });
        return command;
    }
}
