using System.CommandLine;
using System.Net;
using System.Text.Json;
using Marsad.Hosting;
using Marsad.Search;

namespace Marsad.Cli;

public static class SearchCommand
{
    public static Command Create()
    {
        var data = CommonOptions.Data();
        var json = CommonOptions.Json();
        var from = new Option<string?>("--from") { Description = "Published on or after (ISO 8601 date or date-time)" };
        var to = new Option<string?>("--to") { Description = "Published on or before (ISO 8601 date or date-time)" };
        var lang = new Option<string?>("--lang") { Description = "Only this language (ar, en, fr, …)" };
        var topic = new Option<string?>("--topic") { Description = "Only this topic" };
        var source = new Option<string?>("--source") { Description = "Only this source" };
        var size = new Option<int>("--size") { Description = "Hits per page (1–100)", DefaultValueFactory = _ => 10 };
        var page = new Option<int>("--page") { Description = "Page of hits, from 1", DefaultValueFactory = _ => 1 };
        var query = new Argument<string[]>("query")
        {
            Description = "The query, in Lucene/Elasticsearch query_string syntax (several words are joined)",
            Arity = ArgumentArity.OneOrMore,
        };

        var command = new Command("search", "Full-text search of the index (the embedded one, or Elasticsearch when MARSAD__Store says so)")
        {
            data, json, from, to, lang, topic, source, size, page, query,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            if (!SearchDates.TryParse(result.GetValue(from), endOfDay: false, out var fromDate))
            {
                throw new UsageException($"--from is not a date: '{result.GetValue(from)}'");
            }
            if (!SearchDates.TryParse(result.GetValue(to), endOfDay: true, out var toDate))
            {
                throw new UsageException($"--to is not a date: '{result.GetValue(to)}'");
            }
            if (QueryLimits.PageProblem(result.GetValue(page), result.GetValue(size)) is { } problem)
            {
                throw new UsageException(problem.Replace("'page'", "--page").Replace("'size'", "--size"));
            }

            var request = new SearchRequest
            {
                Query = string.Join(' ', result.GetValue(query)!),
                From = fromDate,
                To = toDate,
                Language = result.GetValue(lang),
                Topic = result.GetValue(topic),
                Source = result.GetValue(source),
                Size = result.GetValue(size),
                Page = result.GetValue(page),
            };
            // The store the services write: the data folder's index, or Elasticsearch when MARSAD__Store says so.
            using var host = CliHost.Build(result.GetValue(data)!, builder => builder.Services.AddMarsadSearchStore());
            var store = host.Services.GetRequiredService<ISearchStore>();
            SearchResponse response;
            try
            {
                response = await store.SearchAsync(request, cancellationToken);
            }
            catch (Exception e) when (e is QuerySyntaxException or SearchTooCostlyException)
            {
                throw new UsageException(e.Message);
            }

            if (result.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(response, SearchJson.Options));
            }
            else
            {
                PrintHuman(response);
            }
            return CliErrors.Success;
        });
        return command;
    }

    private static void PrintHuman(SearchResponse response)
    {
        var color = !Console.IsOutputRedirected;
        Console.WriteLine($"{response.Total} hit(s) in {response.TookMs} ms");
        var rank = 0;
        foreach (var hit in response.Hits)
        {
            rank++;
            Console.WriteLine();
            Console.WriteLine($"{rank,2}. {Isolate(hit.Title)}");
            var date = hit.Published?.ToString("yyyy-MM-dd HH:mm") ?? "undated";
            Console.WriteLine($"    {Isolate(hit.Source)} · {date} · {hit.Language} · score {hit.Score:0.##}");
            foreach (var highlight in hit.Highlights.Take(2))
            {
                Console.WriteLine($"    … {Isolate(Emphasise(highlight, color))} …");
            }
            Console.WriteLine($"    {TerminalText.Safe(hit.Url)}");
            if (hit.StoryId is { } story && story != hit.Id)
            {
                // A copy of a story Marsad saw first elsewhere: say so, and how to see all its copies.
                Console.WriteLine($"    same story as {story} (story:{story})");
            }
        }
    }

    /// <summary>
    /// Wraps a field in a first-strong isolate (U+2068 … U+2069): a bidi-aware terminal then lays out an Arabic
    /// title right-to-left without dragging the punctuation and numbers around it out of place.
    /// </summary>
    private static string Isolate(string text) => "\u2068" + TerminalText.Safe(text) + "\u2069";

    private static string Emphasise(string highlight, bool color)
    {
        var (open, close) = color ? ("\u001b[1;33m", "\u001b[0m") : ("«", "»");
        // The article's own characters are made safe before the emphasis's escape codes go in.
        return TerminalText.Safe(WebUtility.HtmlDecode(highlight.Replace("<em>", "\uE000").Replace("</em>", "\uE001")))
            .Replace("\uE000", open).Replace("\uE001", close);
    }
}
