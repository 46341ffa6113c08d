using System.CommandLine;
using System.Text.Json;
using Marsad.Fetcher;
using Marsad.Hosting;
using Marsad.Search;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Marsad.Feeds;

namespace Marsad.Cli;

public static class FeedsCommand
{
    public static Command Create() => new("feeds", "The feed registry, with each feed's health")
    {
        Add(), Import(), Export(), List(), Pause(paused: true), Pause(paused: false), Remove(),
    };

    // The feed list where the services keep it: the data folder, or Elasticsearch when MARSAD__Store says so.
    // The fetcher's HTTP client too (address guard, politeness, robots.txt), for looking at what is added.
    private static IHost FeedList(ParseResult result, Option<string> data) =>
        CliHost.Build(result.GetValue(data)!, builder => builder.AddFetcher(poll: false));

    private static FeedRegistry Registry(IHost host) => host.Services.GetRequiredService<FeedRegistry>();

    private static Command Add()
    {
        var data = CommonOptions.Data();
        var url = new Argument<string>("url") { Description = "A feed URL, a site's page that announces its feeds, or a local feed file" };
        var command = new Command("add", "Add a feed (given a web page, the feeds it announces)") { data, url };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var host = FeedList(result, data);
            var source = result.GetValue(url)!;
            IReadOnlyList<string> feedUrls;
            if (Uri.TryCreate(source, UriKind.Absolute, out var address) && address.Scheme is "http" or "https")
            {
                DiscoveredFeeds discovered;
                try
                {
                    discovered = await host.Services.GetRequiredService<FeedDiscovery>().DiscoverAsync(address, cancellationToken);
                }
                catch (FeedFormatException e)
                {
                    throw new UsageException(e.Message);
                }
                if (discovered.Warning is { } warning)
                {
                    Console.Error.WriteLine($"marsad: added, but {warning}");
                }
                feedUrls = discovered.FeedUrls;
            }
            else
            {
                feedUrls = Expand(source);
            }
            foreach (var feedUrl in feedUrls)
            {
                var feed = await Registry(host).AddAsync(feedUrl, cancellationToken);
                Console.WriteLine($"{feed.Id}  {TerminalText.Safe(feed.Url)}");
            }
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
            using var host = FeedList(result, data);
            await Registry(host).AddManyAsync(feedUrls, cancellationToken);
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
            using var host = FeedList(result, data);
            var schedule = host.Services.GetRequiredService<FeedSchedule>();
            var now = DateTimeOffset.UtcNow;
            var feeds = (await Registry(host).ListAsync(cancellationToken)).Select(feed => FeedView.Of(feed, schedule, now)).ToList();
            if (result.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(feeds, SearchJson.Options));
                return CliErrors.Success;
            }
            foreach (var feed in feeds)
            {
                var rate = feed.ItemsPerDay is { } perDay ? $" · {perDay:0.#} a day" : "";
                var latency = feed.FirstSeenLatencySeconds is { } seconds ? $" · seen {TimeSpan.FromSeconds(seconds).TotalMinutes:0} min after publication" : "";
                Console.WriteLine($"{feed.Id}  {TerminalText.Safe(feed.Url)}");
                Console.WriteLine($"    {TerminalText.Safe(feed.Title ?? "(untitled)")} · lists {feed.ItemsSeen} items, {feed.ArticlesPublished} handed on{rate}{latency} · {TerminalText.Safe(feed.HealthLine(now))}");
            }
            return CliErrors.Success;
        });
        return command;
    }

    private static Command Pause(bool paused)
    {
        var data = CommonOptions.Data();
        var id = new Argument<string>("id") { Description = "The feed's id (or URL)" };
        var command = new Command(paused ? "pause" : "resume", paused ? "Stop polling a feed (its health is kept)" : "Poll a paused feed again") { data, id };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var host = FeedList(result, data);
            return await Registry(host).SetPausedAsync(result.GetValue(id)!, paused, cancellationToken) is { } feed
                ? Print($"{feed.Id}  {(paused ? "paused" : "resumed")}")
                : CliErrors.Fail($"no feed with id {result.GetValue(id)}");
        });
        return command;
    }

    private static Command Export()
    {
        var data = CommonOptions.Data();
        var output = new Option<string?>("--out") { Description = "The OPML file to write (default: standard output)" };
        var command = new Command("export", "Write the feed list as OPML, for another reader or another Marsad") { data, output };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var host = FeedList(result, data);
            var opml = FeedSources.ToOpml(await Registry(host).ListAsync(cancellationToken), "Marsad feeds");
            if (result.GetValue(output) is { } path)
            {
                await File.WriteAllTextAsync(path, opml, cancellationToken);
                return CliErrors.Success;
            }
            Console.WriteLine(opml);
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
        {
            using var host = FeedList(result, data);
            return await Registry(host).RemoveAsync(result.GetValue(id)!, cancellationToken)
                ? CliErrors.Success
                : CliErrors.Fail($"no feed with id {result.GetValue(id)}");
        });
        return command;
    }

    private static int Print(string line)
    {
        Console.WriteLine(line);
        return CliErrors.Success;
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
