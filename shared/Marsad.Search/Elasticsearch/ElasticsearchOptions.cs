using System.ComponentModel.DataAnnotations;

namespace Marsad.Search.Elasticsearch;

/// <summary>The <c>Elasticsearch</c> configuration section (<c>MARSAD__Elasticsearch__Url</c>, …).</summary>
public sealed class ElasticsearchOptions
{
    public const string Section = "Elasticsearch";

    [Required]
    public Uri Url { get; set; } = new("http://127.0.0.1:9200");

    /// <summary>
    /// The cluster's other nodes, beside <see cref="Url"/>: requests go round all of them and pass over a node that
    /// does not answer until it does again. Static, not sniffed: behind a proxy or in containers the addresses a
    /// cluster reports for its nodes are often not ones a client can reach.
    /// </summary>
    public Uri[] Nodes { get; set; } = [];

    /// <summary>
    /// The server's major version, 8 or 9. The .NET client speaks 9 and asks for "compatible-with=9", which an 8.x
    /// server refuses; with 8 here the client asks for "compatible-with=8", and every API Marsad uses works on both.
    /// </summary>
    [Range(8, 9)]
    public int ServerMajorVersion { get; set; } = 9;

    /// <summary>Indices are named <c>{IndexPrefix}-yyyy.MM</c> by publication month; the alias is the prefix itself.</summary>
    [Required]
    [RegularExpression("^[a-z0-9][a-z0-9_-]*$")]
    public string IndexPrefix { get; set; } = "marsad-articles";

    /// <summary>The index alert subscriptions are kept in, in the distributed mode.</summary>
    public string SubscriptionsIndex { get; set; } = "marsad-subscriptions";

    /// <summary>The index the alert log (each alert raised and how its deliveries went) is kept in, in the distributed mode.</summary>
    public string AlertsIndex { get; set; } = "marsad-alerts";

    /// <summary>The index the feed registry (with each feed's health and schedule) is kept in, in the distributed mode.</summary>
    public string FeedsIndex { get; set; } = "marsad-feeds";

    [Range(0, 10)]
    public int Replicas { get; set; }

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>How long a bulk write keeps retrying while the cluster answers 429/503 or cannot be reached.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RetryBudget { get; set; } = TimeSpan.FromMinutes(5);
}
