using System.CommandLine;
using System.Text.Json;
using Marsad.Fetcher;
using Marsad.Hosting;
using Marsad.Search;
using Microsoft.Extensions.Options;

namespace Marsad.Cli;

public static class FeedsCommand
{
    public static Command Create() => new("feeds", "The feed registry, with each feed's health")
    {
        Add(), Import(), List(), Remove(),
    };

    private static FeedRegistry Registry(ParseResult result, Option<string> data) =>
        new(Options.Create(new MarsadOptions { DataDir = result.GetValue(data)! }), TimeProvider.System);

    private static Command Add()
    {
        var data = CommonOptions.Data();
        var url = new Argument<string>("url") { Description = "A feed URL or a local feed file" };
        var command = new Command("add", "Add a feed") { data, url };
        command.SetAction(async (result, cancellationToken) =>
        {
            var added = new List<FeedRecord>();
            foreach (var feedUrl in Expand(result.GetValue(url)!))
            {
                added.Add(await Registry(result, data).AddAsync(feedUrl, cancellationToken));
            }
            added.ForEach(feed => Console.WriteLine($"{feed.Id}  {feed.Url}"));
            return CliErrors.Success;
        });
        return command;
    }

    private static Command Import()
    {
        var data = CommonOptions.Data();
        var opml = new Argument<string>("opml") { Description = "An OPML file" };
        var command = new Command("import", "Add every feed of an OPML file") { data, opml };
        command.SetAction(async (result, cancellationToken) =>
        {
            var feedUrls = Expand(result.GetValue(opml)!);
            var registry = Registry(result, data);
            foreach (var feedUrl in feedUrls)
            {
                await registry.AddAsync(feedUrl, cancellationToken);
            }
            Console.WriteLine($"imported {feedUrls.Count} feed(s)");
            return CliErrors.Success;
        });
        return command;
    }

    private static Command List()
    {
        var data = CommonOptions.Data();
        var json = CommonOptions.Json();
        var command = new Command("list", "List feeds and their health") { data, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            var feeds = await Registry(result, data).ListAsync(cancellationToken);
            if (result.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(feeds, SearchJson.Options));
                return CliErrors.Success;
            }
            foreach (var feed in feeds)
            {
                var health = feed.LastError is null
                    ? feed.LastSuccessAt is { } ok ? $"ok {ok:yyyy-MM-dd HH:mm}" : "not fetched yet"
                    : $"failing ×{feed.ConsecutiveFailures}: {feed.LastError}";
                Console.WriteLine($"{feed.Id}  {feed.Url}");
                Console.WriteLine($"    {feed.Title ?? "(untitled)"} · {feed.ItemsSeen} items seen · {health}");
            }
            return CliErrors.Success;
        });
        return command;
    }

    private static Command Remove()
    {
        var data = CommonOptions.Data();
        var id = new Argument<string>("id") { Description = "The feed's id (or URL)" };
        var command = new Command("remove", "Remove a feed") { data, id };
        command.SetAction(async (result, cancellationToken) =>
            await Registry(result, data).RemoveAsync(result.GetValue(id)!, cancellationToken)
                ? CliErrors.Success
                : CliErrors.Fail($"no feed with id {result.GetValue(id)}"));
        return command;
    }

    private static IReadOnlyList<string> Expand(string source)
    {
        try
        {
            return FeedSources.Expand(source);
        }
        catch (Exception e) when (e is FileNotFoundException or FeedFormatException)
        {
            throw new UsageException(e.Message);
        }
    }
}
