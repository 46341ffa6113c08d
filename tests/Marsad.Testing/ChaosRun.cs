using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Marsad.Contracts;
using MassTransit;

namespace Marsad.Testing;

/// <summary>What a chaos run counted: every article is indexed once or dead-lettered with its reason, or lost.</summary>
public sealed record ChaosCounts(
    int Articles,
    int Unreadable,
    long InIndex,
    int Announced,
    int IndexedFirstTime,
    int IndexedTwice,
    int DeadLettered,
    IReadOnlyDictionary<string, int> DeadLetterReasons,
    IReadOnlyList<string> Faults,
    IReadOnlyList<int> IndexedAtEachKill,
    TimeSpan Elapsed,
    TimeSpan ServicesUpAfter,
    IReadOnlyDictionary<string, long?> PeakResidentMegabytes,
    IReadOnlyList<FaultWindow> Windows,
    IReadOnlyDictionary<string, string> Queues)
{
    /// <summary>From the moment every service was up (the fetcher starts polling then) to the last article accounted for.</summary>
    public TimeSpan Streaming => Elapsed - ServicesUpAfter;

    /// <summary>Articles neither in the index nor in an error queue.</summary>
    public long Lost => Articles - InIndex - DeadLettered;

    public string Table() => string.Join("\n",
        "| articles | unreadable (1 %) | in the index | announced as indexed (to alerts) | of which as new | written twice | dead-lettered | lost | seconds |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        $"| {Articles} | {Unreadable} | {InIndex} | {Announced} | {IndexedFirstTime} | {IndexedTwice} | {DeadLettered} | {Lost} | {Elapsed.TotalSeconds:0} |",
        "",
        "faults: " + string.Join("; ", Faults),
        "dead letters: " + string.Join("; ", DeadLetterReasons.Select(reason => $"{reason.Value}× {reason.Key}")),
        "",
        "| fault | articles/s before | during | after | longest stall s |",
        "|---|---:|---:|---:|---:|",
        string.Join("\n", Windows.Select(window => $"| {window.Fault} | {window.Before:0} | {window.During:0} | {window.After:0} | {window.LongestStall.TotalSeconds:0.0} |")));
}

/// <summary>
/// The pipeline's pace around one fault, from articles announced as indexed: in the 20 s before it, from the fault
/// until the node was back, and in the 20 s after; and the longest time from the fault on in which nothing was indexed.
/// </summary>
public sealed record FaultWindow(string Fault, double Before, double During, double After, TimeSpan LongestStall);

/// <summary>
/// The distributed mode under faults: fetcher, parser, classifier and indexer as processes over a real RabbitMQ and
/// Elasticsearch, ANT articles served from loopback (one page in a hundred holds nothing the parser can use), and
/// each service killed with SIGKILL in turn mid-stream and started again. Then the counts: what is in the index,
/// what was announced as indexed for the first time (twice would be a duplicate), what is in the error queues with
/// its reason, and what is nowhere.
/// </summary>
public static class ChaosRun
{
    /// <param name="restartBroker">Also restart the broker mid-stream: a private RabbitMQ node of the run's own is used.</param>
    /// <param name="stopStore">Also stop Elasticsearch for a minute mid-stream: a private node of the run's own is used.</param>
    /// <param name="kill">Kill each service mid-stream (false: a plain run of the distributed mode, for its speed and memory).</param>
    /// <param name="articles">The articles to serve; the first <paramref name="articleCount"/> of the ANT corpus when null.</param>
    /// <param name="cluster">
    /// On three-node RabbitMQ and Elasticsearch clusters of the run's own (quorum queues, a replica of every shard),
    /// with the services scaled out (three fetchers, two parsers, classifiers and indexers); mid-stream, the broker
    /// node every service connects to first is killed with SIGKILL and restarted, then the Elasticsearch node holding
    /// the most primaries.
    /// </param>
    /// <param name="nodeFaultsApart">
    /// In the cluster, how long after the broker node's kill the store node's comes; null: once the broker node is
    /// back. A short run is over before a broker node is back (the stream does not wait for it): its faults overlap.
    /// </param>
    public static async Task<ChaosCounts> RunAsync(int articleCount, int feedCount, TextWriter log, TimeSpan timeout, bool restartBroker = false, bool stopStore = false, bool kill = true,
        IReadOnlyList<AntArticle>? articles = null, bool cluster = false, TimeSpan? nodeFaultsApart = null)
    {
        var stopwatch = Stopwatch.StartNew();
        var corpus = articles ?? CorpusSite.LoadArabicNews(articleCount);
        const int unreadableEvery = 100;
        var unreadable = corpus.Count / unreadableEvery;
        using var data = new TemporaryDirectory();
        await using var site = await LocalHttpServer.StartAsync();
        var feedUrls = CorpusSite.Publish(site, corpus, feedCount, unreadableEvery);
        await using var clusters = cluster ? await LocalClusters.StartAsync() : null;
        await using var broker = restartBroker || cluster ? null : await RabbitMqVirtualHost.CreateAsync();
        await using var privateNode = restartBroker ? await PrivateBroker.StartAsync() : null;
        var brokerUrl = clusters?.Brokers[0] ?? privateNode?.Url ?? broker!.Url;
        await using var privateStore = stopStore ? await PrivateStore.StartAsync() : null;
        var storeUrl = clusters?.Stores[0] ?? privateStore?.Url ?? ElasticsearchServer.Url;
        var prefix = "marsad-chaos-" + Guid.NewGuid().ToString("N")[..8];
        var environment = new Dictionary<string, string>
        {
            ["MARSAD__Transport"] = "RabbitMq",
            ["MARSAD__RabbitMq__Url"] = brokerUrl.AbsoluteUri,
            ["MARSAD__Store"] = "Elasticsearch",
            ["MARSAD__Elasticsearch__Url"] = storeUrl.AbsoluteUri,
            ["MARSAD__Elasticsearch__ServerMajorVersion"] = ElasticsearchServer.MajorVersion.ToString(),
            ["MARSAD__Elasticsearch__IndexPrefix"] = prefix,
            ["MARSAD__Elasticsearch__FeedsIndex"] = prefix + "-feeds",
            ["MARSAD__Fetcher__AllowLoopback"] = "true",
            // One loopback site stands for many: per-site politeness would make the run about itself.
            ["MARSAD__Fetcher__MinDelayPerHost"] = "00:00:00",
            ["MARSAD__Fetcher__MaxConnectionsPerHost"] = "16",
            ["MARSAD__Fetcher__PollInterval"] = "01:00:00",
            ["MARSAD__Fetcher__MinPollInterval"] = "01:00:00",
            ["MARSAD__Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (name, value) in clusters?.ServiceSettings() ?? [])
        {
            environment[name] = value;
        }

        // Announced as written for the first time (twice would be a duplicate write); and announced at all (an
        // article the indexer wrote just before it was killed is announced as already indexed when it comes again).
        var firstTime = new ConcurrentDictionary<string, int>();
        var announced = new ConcurrentDictionary<string, byte>();
        var observer = await BusObserver.StartAsync(clusters?.Brokers ?? [brokerUrl], "chaos-observer", endpoint => endpoint.Handler<ArticleIndexed>(context =>
        {
            announced.TryAdd(context.Message.ArticleId, 0);
            if (!context.Message.AlreadyIndexed)
            {
                firstTime.AddOrUpdate(context.Message.ArticleId, 1, (_, count) => count + 1);
            }
            return Task.CompletedTask;
        }));
        var services = new ConcurrentDictionary<string, RunningProcess>();
        var faults = new List<string>();
        var killedAt = new List<int>();
        try
        {
            var opml = Path.Combine(data.Path, "feeds.opml");
            await File.WriteAllTextAsync(opml, FeedSourcesOpml(feedUrls));
            var imported = await ProcessRunner.MarsadAsync(["feeds", "import", opml, "--data", data.Path], environment: environment);
            if (imported.ExitCode != 0)
            {
                throw new InvalidOperationException($"feeds import failed: {imported.StandardError}");
            }

            // An instance is named after its service, numbered when there are several ("parser-2").
            async Task StartAsync(string name)
            {
                var address = new Uri($"http://127.0.0.1:{ServiceProbe.FreePort()}/");
                var process = RunningProcess.StartMarsad(name,
                    ["run", "--service", name.Split('-')[0], "--data", Path.Combine(data.Path, name), "--urls", address.AbsoluteUri.TrimEnd('/')], environment);
                services[name] = process;
                await ServiceProbe.WaitUntilReadyAsync(process, address, TimeSpan.FromSeconds(90));
            }
            // Scaled out in the cluster as deploy/cluster runs it: instances compete for their service's queue.
            var instances = cluster
                ? new[] { "parser-1", "parser-2", "classifier-1", "classifier-2", "indexer-1", "indexer-2", "fetcher-1", "fetcher-2", "fetcher-3" }
                : ["parser", "classifier", "indexer", "fetcher"];
            // One at a time, consumers first (their queues must exist before a fetcher publishes): started together,
            // two could be handed the same free port, and the one that then fails to bind would pass its readiness
            // check on the other's answer, its queue never declared and what was published to it lost.
            foreach (var name in instances)
            {
                await StartAsync(name);
            }
            var upAfter = stopwatch.Elapsed;
            using var pace = new PaceRecorder(() => announced.Count, stopwatch);
            log.WriteLine($"chaos: {corpus.Count} articles ({unreadable} unreadable) in {feedUrls.Count} feeds, services up after {upAfter.TotalSeconds:0} s");

            // Once the stream runs, each service is killed in turn, half a second apart, and started again
            // (without waiting for it: the others go on, and what it should have taken waits in its queue).
            var readable = corpus.Count - unreadable;
            var streaming = DateTime.UtcNow + timeout;
            while (announced.Count < readable * 0.02 && DateTime.UtcNow < streaming)
            {
                await Task.Delay(20);
            }
            var restarts = new List<Task>();
            // The fetcher first (it is done soonest), then from the end of the pipeline back, so each is killed with work queued for it.
            foreach (var service in kill ? ["fetcher", "indexer", "classifier", "parser"] : Array.Empty<string>())
            {
                // Scaled out, one instance of the service dies and its partners go on.
                var name = cluster ? service + "-1" : service;
                var indexed = announced.Count;
                await services[name].DisposeAsync(); // SIGKILL
                faults.Add($"kill -9 {name} at {indexed} indexed");
                killedAt.Add(indexed);
                log.WriteLine($"chaos: killed {name} at {indexed} indexed");
                restarts.Add(StartAsync(name));
                await Task.Delay(TimeSpan.FromSeconds(0.5));
            }
            await Task.WhenAll(restarts);
            // The store goes away for a minute now, and the broker restarts while it is away: the stream cannot
            // finish during the outage, so both faults land mid-stream however fast the machine.
            Task? storeOutage = null;
            if (privateStore is not null)
            {
                var indexed = announced.Count;
                log.WriteLine($"chaos: stopping Elasticsearch for 60 s at {indexed} indexed");
                storeOutage = privateStore.StopForAsync(TimeSpan.FromSeconds(60));
                faults.Add($"Elasticsearch stopped for 60 s at {indexed} indexed");
                killedAt.Add(indexed);
                await Task.Delay(TimeSpan.FromSeconds(10));
            }
            if (privateNode is not null)
            {
                var indexed = announced.Count;
                await privateNode.RestartAsync(TimeSpan.FromSeconds(5));
                faults.Add($"RabbitMQ stopped for 5 s and started again at {indexed} indexed");
                killedAt.Add(indexed);
                log.WriteLine($"chaos: restarted RabbitMQ at {indexed} indexed");
            }
            if (storeOutage is not null)
            {
                await storeOutage;
            }
            if (clusters is not null)
            {
                // Node 1 is the one every service connected to first: its clients must all move to the others.
                var brokerFault = FaultAsync("kill -9 RabbitMQ node 1", () => clusters.KillBrokerAsync(1), () => clusters.RestartBrokerAsync(1));
                await (nodeFaultsApart is { } apart ? Task.Delay(apart) : brokerFault);
                var node = await clusters.NodeWithMostPrimariesAsync(prefix);
                await FaultAsync($"kill -9 Elasticsearch node {node} (the most primaries)", () => clusters.KillStoreAsync(node), () => clusters.RestartStoreAsync(node));
                await brokerFault;
            }

            // A node down for 10 s, then started again on its own disk; the stream goes on meanwhile.
            async Task FaultAsync(string fault, Func<Task> down, Func<Task> up)
            {
                var indexed = announced.Count;
                var window = pace.Begin(fault);
                await down();
                log.WriteLine($"chaos: {fault} at {indexed} indexed");
                lock (faults)
                {
                    faults.Add($"{fault} at {indexed} indexed, restarted 10 s later");
                    killedAt.Add(indexed);
                }
                await Task.Delay(TimeSpan.FromSeconds(10));
                await up();
                pace.End(window);
            }

            // Done when everything is accounted for, or the time is up.
            var end = DateTime.UtcNow + timeout;
            (long InIndex, int DeadLettered, Dictionary<string, int> Reasons) state = (0, 0, []);
            while (DateTime.UtcNow < end)
            {
                state = (clusters is null ? await CountIndexAsync(storeUrl, prefix) : await clusters.OnAnyStoreAsync(http => CountIndexAsync(http.BaseAddress!, prefix)), 0, []);
                var dead = await DeadLettersAsync(environment);
                state = (state.InIndex, dead.Values.Sum(), dead);
                if (state.InIndex + state.DeadLettered >= corpus.Count)
                {
                    break;
                }
                await Task.Delay(1000);
            }
            var elapsed = stopwatch.Elapsed;
            await Task.Delay(TimeSpan.FromSeconds(2)); // a late duplicate announcement would show now
            return new ChaosCounts(corpus.Count, unreadable, state.InIndex, announced.Count, firstTime.Count, firstTime.Count(pair => pair.Value > 1),
                state.DeadLettered, state.Reasons, faults, killedAt, elapsed, upAfter,
                services.ToDictionary(service => service.Key, service => service.Value.PeakResidentMegabytes), pace.Windows(),
                clusters is null ? new Dictionary<string, string>() : await clusters.QueueTypesAsync());
        }
        finally
        {
            foreach (var service in services.Values)
            {
                await service.DisposeAsync();
            }
            await observer.StopAsync();
            if (privateStore is null && clusters is null)
            {
                await ElasticsearchServer.DeleteAsync(prefix);
            }
        }
    }

    private static string FeedSourcesOpml(IEnumerable<string> feedUrls) =>
        "<opml version=\"2.0\"><head><title>chaos</title></head><body>"
        + string.Concat(feedUrls.Select(url => $"<outline type=\"rss\" text=\"{url}\" xmlUrl=\"{url}\"/>"))
        + "</body></opml>";

    private static async Task<long> CountIndexAsync(Uri store, string prefix)
    {
        using var http = new HttpClient { BaseAddress = store };
        await http.PostAsync($"{prefix}/_refresh?ignore_unavailable=true&allow_no_indices=true", null);
        using var response = await http.GetAsync($"{prefix}/_count?ignore_unavailable=true&allow_no_indices=true");
        return response.IsSuccessStatusCode ? JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("count").GetInt64() : 0;
    }

    // As an operator would count them: ./marsad errors list --json.
    private static async Task<Dictionary<string, int>> DeadLettersAsync(IReadOnlyDictionary<string, string> environment)
    {
        var list = await ProcessRunner.MarsadAsync(["errors", "list", "--json"], environment: environment);
        if (list.ExitCode != 0)
        {
            throw new InvalidOperationException($"errors list failed: {list.StandardError}");
        }
        return JsonDocument.Parse(list.StandardOutput).RootElement.EnumerateArray()
            .SelectMany(queue => queue.GetProperty("reasons").EnumerateArray()
                .Select(reason => (Reason: $"{queue.GetProperty("queue").GetString()}: {Shorten(reason.GetProperty("reason").GetString())}", Count: reason.GetProperty("messages").GetInt32())))
            .GroupBy(reason => reason.Reason)
            .ToDictionary(group => group.Key, group => group.Sum(reason => reason.Count));
    }

    // "No article text in http://127.0.0.1:1234/x/17.html: …" — the address differs per article; the reason does not.
    private static string Shorten(string? reason) =>
        System.Text.RegularExpressions.Regex.Replace(reason ?? "", @"https?://\S+", "URL");

    /// <summary>A RabbitMQ node of the run's own (scripts/rabbitmq.sh with a node name and port), fresh, and removed after.</summary>
    private sealed class PrivateBroker : IAsyncDisposable
    {
        private const int Port = 5682;
        private static readonly Dictionary<string, string> Node = new() { ["MARSAD_RABBITMQ_NODE"] = "marsad-chaos", ["MARSAD_RABBITMQ_PORT"] = Port.ToString() };

        public Uri Url { get; } = new($"amqp://guest:guest@127.0.0.1:{Port}/");

        public static async Task<PrivateBroker> StartAsync()
        {
            await ScriptAsync("reset");
            await ScriptAsync("start");
            return new PrivateBroker();
        }

        public async Task RestartAsync(TimeSpan down)
        {
            await ScriptAsync("stop");
            await Task.Delay(down);
            await ScriptAsync("start");
        }

        public async ValueTask DisposeAsync() => await ScriptAsync("reset");

        private static async Task ScriptAsync(string verb)
        {
            var run = await ProcessRunner.RunAsync("bash", [Path.Combine(RepoPaths.Root, "scripts", "rabbitmq.sh"), verb], TimeSpan.FromMinutes(3), Node, RepoPaths.Root);
            if (run.ExitCode != 0)
            {
                throw new InvalidOperationException($"scripts/rabbitmq.sh {verb} (node marsad-chaos) failed: {run.StandardError}");
            }
        }
    }

    /// <summary>An Elasticsearch node of the run's own (scripts/elasticsearch.sh with a state folder of its own), fresh, and removed after.</summary>
    private sealed class PrivateStore : IAsyncDisposable
    {
        private static readonly Dictionary<string, string> Node = new() { ["MARSAD_ES_STATE"] = "/tmp/marsad-elasticsearch-chaos", ["MARSAD_ES_HEAP"] = "512m" };

        private PrivateStore(Uri url) => Url = url;

        public Uri Url { get; }

        public static async Task<PrivateStore> StartAsync()
        {
            await ScriptAsync("reset");
            await ScriptAsync("start");
            return new PrivateStore(new Uri((await ScriptAsync("url")).Trim()));
        }

        /// <summary>Stops the node (its data and port kept), waits, and starts it again.</summary>
        public async Task StopForAsync(TimeSpan down)
        {
            await ScriptAsync("stop");
            await Task.Delay(down);
            await ScriptAsync("start");
        }

        public async ValueTask DisposeAsync() => await ScriptAsync("reset");

        private static async Task<string> ScriptAsync(string verb)
        {
            var run = await ProcessRunner.RunAsync("bash", [Path.Combine(RepoPaths.Root, "scripts", "elasticsearch.sh"), verb], TimeSpan.FromMinutes(5), Node, RepoPaths.Root);
            return run.ExitCode == 0 ? run.StandardOutput : throw new InvalidOperationException($"scripts/elasticsearch.sh {verb} (chaos node) failed: {run.StandardError}");
        }
    }
}
