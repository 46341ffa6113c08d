using System.CommandLine;
using System.Text.Json;
using Marsad.Parser;
using Marsad.Search;

namespace Marsad.Cli;

public static class ExtractCommand
{
    public static Command Create()
    {
        var url = new Option<string?>("--url") { Description = "The page's address (resolves relative links, fills 'url')" };
        var json = CommonOptions.Json();
        var file = new Argument<FileInfo>("file") { Description = "A saved HTML page" };
        var command = new Command("extract", "The parser's work on one saved HTML page") { url, json, file };
        command.SetAction(async (result, cancellationToken) =>
        {
            var page = result.GetValue(file)!;
            if (!page.Exists)
            {
                throw new UsageException($"no such file: {page.FullName}");
            }
            var (article, notAnArticle) = await ArticleExtractor.JudgeAsync(await File.ReadAllBytesAsync(page.FullName, cancellationToken), contentType: null, result.GetValue(url), cancellationToken);
            if (article is null)
            {
                return CliErrors.Fail($"no article in {page.Name}: {notAnArticle}");
            }
            if (notAnArticle is not null)
            {
                // The teaser is printed, but the pipeline would index the feed's summary instead.
                await Console.Error.WriteLineAsync($"marsad: {page.Name} is {notAnArticle}; this is its teaser");
            }
            if (result.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(article, SearchJson.Options));
            }
            else
            {
                Console.WriteLine(article.Title);
                Console.WriteLine(string.Join(" · ", new[] { article.Author, article.Published?.ToString("u"), article.Language }.Where(part => part is not null)));
                Console.WriteLine();
                Console.WriteLine(article.Text);
            }
            return CliErrors.Success;
        });
        return command;
    }
}
