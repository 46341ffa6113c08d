using System.ComponentModel.DataAnnotations;
using RabbitMQ.Client;

namespace Marsad.Hosting;

public enum TransportKind
{
    /// <summary>MassTransit's in-memory transport: the embedded default, everything in one process.</summary>
    InMemory,
    RabbitMq,
}

public enum StoreKind
{
    /// <summary>The embedded Lucene.NET index under <see cref="MarsadOptions.DataDir"/>.</summary>
    Lucene,
    Elasticsearch,
}

/// <summary>Top-level settings, from appsettings.json, then MARSAD__* environment variables, then flags.</summary>
public sealed class MarsadOptions
{
    [Required]
    public string DataDir { get; set; } = "marsad-data";

    public TransportKind Transport { get; set; } = TransportKind.InMemory;

    public StoreKind Store { get; set; } = StoreKind.Lucene;

    /// <summary>
    /// Entity alias files for queries: a folder of *.txt files or one file in Elasticsearch's synonym format, or
    /// "none". Unset: the files shipped beside the binaries (deploy/aliases).
    /// </summary>
    public string? Aliases { get; set; }

    /// <summary>
    /// On SIGTERM (or Ctrl+C) a service stops taking messages and finishes those under way for at most this long;
    /// what is still unfinished then is not acknowledged, so the broker hands it out again.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public string IndexPath => Path.Combine(DataDir, "index");
}

public sealed class RabbitMqOptions
{
    public const string Section = "RabbitMq";

    [Required]
    public Uri Url { get; set; } = new("amqp://guest:guest@127.0.0.1:5672/");

    /// <summary>Messages each consumer endpoint takes from the broker ahead of processing.</summary>
    [Range(1, 10_000)]
    public ushort PrefetchCount { get; set; } = 32;

    /// <summary>
    /// Quorum: every durable endpoint's queue, and its <c>_error</c> queue, is replicated across the cluster's nodes
    /// (RabbitMQ's advice for data safety); classic queues live on one node, which is enough for one development broker.
    /// </summary>
    public RabbitMqQueueType QueueType { get; set; } = RabbitMqQueueType.Classic;

    /// <summary>
    /// Quorum queues: how many times the broker hands out one message before it moves it to the endpoint's
    /// <c>_error</c> queue. MassTransit's retries handle a consumer that throws; this handles one whose process dies
    /// on the message every time, which would otherwise be handed out for ever.
    /// </summary>
    [Range(2, 1_000)]
    public int DeliveryLimit { get; set; } = 10;

    /// <summary>The cluster's other nodes (<c>host:port</c>), tried in turn when the one <see cref="Url"/> names is down.</summary>
    public string[] ClusterNodes { get; set; } = [];

    /// <summary>The port <see cref="Url"/> names, AMQP's own when it names none.</summary>
    public int UrlPort => Url.IsDefaultPort || Url.Port <= 0 ? 5672 : Url.Port;

    /// <summary>Every node to try (<c>host:port</c>), the URL's first: MassTransit's cluster, and <see cref="Nodes"/>.</summary>
    public IReadOnlyList<string> NodeAddresses() =>
        [.. ClusterNodes.Prepend($"{Url.Host}:{UrlPort}").Distinct(StringComparer.OrdinalIgnoreCase)];

    /// <summary>The same nodes for Marsad's own clients of the broker (error queues, queue depths).</summary>
    public IReadOnlyList<AmqpTcpEndpoint> Nodes() => [.. NodeAddresses().Select(node => AmqpTcpEndpoint.Parse(node))];
}

public enum RabbitMqQueueType
{
    Classic,
    Quorum,
}
