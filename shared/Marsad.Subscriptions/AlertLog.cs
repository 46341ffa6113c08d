using Marsad.Contracts;
using Marsad.Hosting;
using Marsad.Search.Elasticsearch;
using Microsoft.Extensions.Options;

namespace Marsad.Subscriptions;

/// <summary>
/// The alert history users read (the api, <c>./marsad alerts history</c>), kept beside the subscriptions: in the
/// embedded mode the alerts service's own journals in the data folder, in the distributed mode Elasticsearch, where
/// the alerts service copies each alert and each delivery's state as it writes them (<see cref="AlertLogCopier"/>).
/// </summary>
public abstract class AlertLog
{
    /// <summary>Every alert of the subscription (of all when none is given), oldest first, with how its deliveries went.</summary>
    public abstract Task<IReadOnlyList<AlertHistoryEntry>> ReadAsync(string? subscriptionId, CancellationToken cancellationToken);
}

public sealed class FileAlertLog(IOptions<MarsadOptions> options) : AlertLog
{
    public override Task<IReadOnlyList<AlertHistoryEntry>> ReadAsync(string? subscriptionId, CancellationToken cancellationToken) =>
        Task.FromResult(AlertHistoryEntry.Read(options.Value.DataDir, subscriptionId));
}

/// <summary>One line of the alert log in Elasticsearch: an alert raised, or a delivery's latest state (without its body).</summary>
public sealed record AlertLogRecord
{
    public required string Id { get; init; }
    public required string SubscriptionId { get; init; }
    public AlertRaised? Alert { get; init; }
    public AlertDelivery? Delivery { get; init; }

    public static AlertLogRecord Of(AlertRaised alert) =>
        new() { Id = $"alert/{alert.SubscriptionId}/{alert.ArticleId}", SubscriptionId = alert.SubscriptionId, Alert = alert };

    // The body is what was sent (a signed payload, a mail); the history shows only how it went.
    public static AlertLogRecord Of(AlertDelivery delivery) =>
        new() { Id = $"delivery/{delivery.Key}", SubscriptionId = delivery.SubscriptionId, Delivery = delivery with { Body = "" } };
}

public sealed class ElasticsearchAlertLog(ElasticsearchOptions options) : AlertLog
{
    private readonly ElasticsearchDocuments<AlertLogRecord> _records = new(options, options.AlertsIndex, record => record.Id, record => record.SubscriptionId);

    public override async Task<IReadOnlyList<AlertHistoryEntry>> ReadAsync(string? subscriptionId, CancellationToken cancellationToken)
    {
        var records = await _records.ListAsync(subscriptionId, cancellationToken);
        var alerts = records.Select(record => record.Alert).OfType<AlertRaised>().OrderBy(alert => alert.RaisedAt);
        return AlertHistoryEntry.Combine(alerts, records.Select(record => record.Delivery).OfType<AlertDelivery>().ToList(), subscriptionId);
    }

    /// <summary>Writes the records, each replacing the one with its id (a delivery's later state replaces its earlier).</summary>
    public Task WriteAsync(IReadOnlyCollection<AlertLogRecord> records, CancellationToken cancellationToken) => _records.PutManyAsync(records, cancellationToken);
}
