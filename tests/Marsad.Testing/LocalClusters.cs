using System.Text.Json;

namespace Marsad.Testing;

/// <summary>
/// A three-node RabbitMQ cluster and a three-node Elasticsearch cluster on loopback (<c>scripts/rabbitmq.sh cluster</c>,
/// <c>scripts/elasticsearch.sh cluster</c>), started fresh for a run and removed after; nodes can be killed with
/// SIGKILL and started again on their own disks, as a crashed server would be.
/// </summary>
public sealed class LocalClusters : IAsyncDisposable
{
    private LocalClusters(IReadOnlyList<Uri> brokers, IReadOnlyList<Uri> stores) => (Brokers, Stores) = (brokers, stores);

    /// <summary>The brokers' AMQP addresses, node 1 first.</summary>
    public IReadOnlyList<Uri> Brokers { get; }

    /// <summary>The Elasticsearch nodes' HTTP addresses, node 1 first.</summary>
    public IReadOnlyList<Uri> Stores { get; }

    public static async Task<LocalClusters> StartAsync()
    {
        // A run that ended without its clean-up (a killed test host) must not leave this one a half-old cluster.
        await ScriptAsync("rabbitmq.sh", "stop");
        await ScriptAsync("elasticsearch.sh", "stop");
        await Task.WhenAll(ScriptAsync("rabbitmq.sh", "start"), ScriptAsync("elasticsearch.sh", "start"));
        var brokers = (await ScriptAsync("rabbitmq.sh", "urls")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(url => new Uri(url)).ToList();
        var stores = (await ScriptAsync("elasticsearch.sh", "urls")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(url => new Uri(url)).ToList();
        return new LocalClusters(brokers, stores);
    }

    /// <summary>What a Marsad service needs to use both clusters as the cluster deployment does: quorum queues, one replica of every shard.</summary>
    public Dictionary<string, string> ServiceSettings()
    {
        var settings = new Dictionary<string, string>
        {
            ["MARSAD__Transport"] = "RabbitMq",
            ["MARSAD__RabbitMq__Url"] = Brokers[0].AbsoluteUri,
            ["MARSAD__RabbitMq__QueueType"] = "Quorum",
            ["MARSAD__Store"] = "Elasticsearch",
            ["MARSAD__Elasticsearch__Url"] = Stores[0].AbsoluteUri,
            ["MARSAD__Elasticsearch__Replicas"] = "1",
        };
        for (var node = 1; node < 3; node++)
        {
            settings[$"MARSAD__RabbitMq__ClusterNodes__{node - 1}"] = $"{Brokers[node].Host}:{Brokers[node].Port}";
            settings[$"MARSAD__Elasticsearch__Nodes__{node - 1}"] = Stores[node].AbsoluteUri;
        }
        return settings;
    }

    public Task KillBrokerAsync(int node) => ScriptAsync("rabbitmq.sh", "kill", node.ToString());

    public Task RestartBrokerAsync(int node) => ScriptAsync("rabbitmq.sh", "restart", node.ToString());

    public Task KillStoreAsync(int node) => ScriptAsync("elasticsearch.sh", "kill", node.ToString());

    public Task RestartStoreAsync(int node) => ScriptAsync("elasticsearch.sh", "restart", node.ToString());

    /// <summary>The Elasticsearch node (1–3) holding the most primary shards of the indices starting with <paramref name="prefix"/>.</summary>
    public async Task<int> NodeWithMostPrimariesAsync(string prefix)
    {
        var shards = await OnAnyStoreAsync(async http => JsonDocument.Parse(await http.GetStringAsync($"_cat/shards/{prefix}*?format=json&h=node,prirep,state")));
        var primaries = shards.RootElement.EnumerateArray()
            .Where(shard => shard.GetProperty("prirep").GetString() == "p" && shard.GetProperty("node").GetString() is { Length: > 0 })
            .GroupBy(shard => shard.GetProperty("node").GetString()!)
            .OrderByDescending(node => node.Count())
            .First().Key;
        return int.Parse(primaries[(primaries.LastIndexOf('-') + 1)..]);
    }

    /// <summary>
    /// Each durable queue of the cluster's default virtual host and its type (classic, quorum), as rabbitmqctl lists
    /// them; a process's own auto-deleted queues (MassTransit's bus endpoints) go with it and are left out.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> QueueTypesAsync()
    {
        var run = await ProcessRunner.RunAsync("rabbitmqctl", ["-n", "marsad-cluster-2@localhost", "-q", "list_queues", "name", "type", "durable", "auto_delete", "--formatter", "json"], TimeSpan.FromMinutes(1));
        return run.ExitCode == 0
            ? JsonDocument.Parse(run.StandardOutput).RootElement.EnumerateArray()
                .Where(queue => queue.GetProperty("durable").GetBoolean() && !queue.GetProperty("auto_delete").GetBoolean())
                .ToDictionary(queue => queue.GetProperty("name").GetString()!, queue => queue.GetProperty("type").GetString()!)
            : throw new InvalidOperationException($"rabbitmqctl list_queues failed ({run.ExitCode}): {run.StandardError}");
    }

    /// <summary>Asks each Elasticsearch node in turn until one answers: during a fault, any one of them may be down.</summary>
    public async Task<T> OnAnyStoreAsync<T>(Func<HttpClient, Task<T>> call)
    {
        HttpRequestException? last = null;
        foreach (var store in Stores)
        {
            using var http = new HttpClient { BaseAddress = store, Timeout = TimeSpan.FromSeconds(30) };
            try
            {
                return await call(http);
            }
            catch (HttpRequestException e)
            {
                last = e;
            }
        }
        throw new InvalidOperationException("No node of the Elasticsearch cluster answers.", last);
    }

    public async ValueTask DisposeAsync()
    {
        await ScriptAsync("rabbitmq.sh", "stop");
        await ScriptAsync("elasticsearch.sh", "stop");
    }

    private static async Task<string> ScriptAsync(string script, params string[] arguments)
    {
        var run = await ProcessRunner.RunAsync("bash", [Path.Combine(RepoPaths.Root, "scripts", script), "cluster", .. arguments], TimeSpan.FromMinutes(5), workingDirectory: RepoPaths.Root);
        return run.ExitCode == 0 ? run.StandardOutput
            : throw new InvalidOperationException($"scripts/{script} cluster {string.Join(' ', arguments)} failed ({run.ExitCode}): {run.StandardError}");
    }
}
