using Marsad.Hosting;
using System.CommandLine;
using Marsad.Alerts.Delivery;
using Marsad.Contracts;
using Marsad.Fetcher;
using MassTransit;
using Microsoft.Extensions.Options;
using Marsad.Feeds;
using Marsad.Subscriptions;

namespace Marsad.Cli;

public static class RunCommand
{
    public static Command Create()
    {
        var data = CommonOptions.Data();
        var once = new Option<bool>("--once") { Description = "Fetch every feed and article once, wait until all are indexed, print a summary and exit" };
        var feeds = new Option<string[]>("--feeds")
        {
            Description = "Feeds to add: feed URLs, feed files, folders of feed files, OPML files",
            AllowMultipleArgumentsPerToken = true,
        };
        var service = new Option<string?>("--service") { Description = "Run one service as its own process: " + string.Join(", ", ServiceHosts.ServiceNames) };
        service.AcceptOnlyFromAmong(ServiceHosts.ServiceNames);
        var urls = new Option<string?>("--urls") { Description = $"Where the HTTP API listens (default {ServiceHosts.DefaultUrls})" };
        var timeout = new Option<TimeSpan>("--timeout")
        {
            Description = "With --once: give up after this long (hh:mm:ss)",
            DefaultValueFactory = _ => TimeSpan.FromMinutes(30),
        };

        var command = new Command("run", "Run the pipeline: all in one process (the embedded default), once, or one service")
        {
            data, once, feeds, service, urls, timeout,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var settings = CommonOptions.Settings(result.GetValue(data)!);
            if (result.GetValue(urls) is { } listenOn)
            {
                settings["Urls"] = listenOn;
            }
            var sources = result.GetValue(feeds) ?? [];
            if (result.GetValue(service) is { } name)
            {
                if (result.GetValue(once) || sources.Length > 0)
                {
                    throw new UsageException("--service runs one long-lived service; it does not take --once or --feeds.");
                }
                await ServiceHosts.BuildService(name, settings).RunAsync(cancellationToken);
                return CliErrors.Success;
            }
            if (result.GetValue(once))
            {
                return await RunOnceAsync(settings, sources, result.GetValue(timeout), cancellationToken);
            }
            var app = ServiceHosts.BuildAllInOne(settings);
            await AddFeedsAsync(app.Services, sources, cancellationToken);
            await app.RunAsync(cancellationToken);
            return CliErrors.Success;
        });
        return command;
    }

    private static async Task<int> RunOnceAsync(Dictionary<string, string?> settings, string[] sources, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // A one-shot run prints one summary line; only warnings and errors are worth a log line beside it.
        settings["Logging:LogLevel:Default"] = "Warning";
        var tracker = new RunTracker();
        using var host = ServiceHosts.BuildOneShot(settings, tracker);
        var feedUrls = await AddFeedsAsync(host.Services, sources, cancellationToken);
        if (feedUrls.Count == 0)
        {
            // No --feeds: fetch everything already registered.
            var registry = host.Services.GetRequiredService<FeedRegistry>();
            feedUrls = (await registry.ListAsync(cancellationToken)).Select(feed => feed.Url).ToList();
        }
        if (feedUrls.Count == 0)
        {
            throw new UsageException("no feeds: name them with --feeds, or add them with 'marsad feeds add'.");
        }

        await host.StartAsync(cancellationToken);
        try
        {
            await host.Services.WaitUntilBusReadyAsync(TimeSpan.FromMinutes(1));
            tracker.ExpectFeeds(feedUrls.Count);
            var bus = host.Services.GetRequiredService<IBus>();
            foreach (var feedUrl in feedUrls)
            {
                await bus.Publish(new FetchFeed { FeedUrl = feedUrl }, cancellationToken);
            }
            await tracker.Completion.WaitAsync(timeout, cancellationToken);
            // Instant alerts are tried once before the run ends; one that fails is tried again by the next run.
            await host.Services.GetRequiredService<DeliveryJournal>().FirstAttemptsAsync(TimeSpan.FromSeconds(30), cancellationToken);
        }
        catch (TimeoutException)
        {
            Console.Error.WriteLine($"marsad: the run did not finish within {timeout}; counts so far follow.");
            Console.WriteLine(tracker.Summary);
            return CliErrors.Failure;
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }

        foreach (var error in tracker.Errors)
        {
            Console.Error.WriteLine($"marsad: failed: {error}");
        }
        var summary = tracker.Summary;
        Console.WriteLine(summary);
        // Some failures are normal on the real web; a run where nothing at all got through is a failed run.
        return summary.Failed > 0 && summary.Indexed + summary.Duplicates == 0 ? CliErrors.Failure : CliErrors.Success;
    }

    private static async Task<List<string>> AddFeedsAsync(IServiceProvider services, string[] sources, CancellationToken cancellationToken)
    {
        var registry = services.GetRequiredService<FeedRegistry>();
        var feedUrls = new List<string>();
        foreach (var source in sources)
        {
            IReadOnlyList<string> expanded;
            try
            {
                expanded = FeedSources.Expand(source);
            }
            catch (Exception e) when (e is FileNotFoundException or FeedFormatException)
            {
                throw new UsageException(e.Message);
            }
            await registry.AddManyAsync(expanded, cancellationToken);
            feedUrls.AddRange(expanded);
        }
        // Touch the options so a bad setting fails here, with its name, before anything runs.
        _ = services.GetRequiredService<IOptions<FetcherOptions>>().Value;
        return feedUrls.Distinct().ToList();
    }
}
