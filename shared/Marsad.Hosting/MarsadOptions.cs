using System.ComponentModel.DataAnnotations;

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
}
