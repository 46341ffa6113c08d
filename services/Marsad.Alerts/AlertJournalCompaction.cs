using Marsad.Alerts.Delivery;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Marsad.Subscriptions;

namespace Marsad.Alerts;

/// <summary>
/// At the alerts service's start, before anything reads them: the alert history and the delivery journal lose the
/// lines of subscriptions that were removed (the journal also loses superseded states, as it is first read).
/// </summary>
public sealed class AlertJournalCompaction(
    SubscriptionStore subscriptions, AlertHistory history, DeliveryJournal journal, ILogger<AlertJournalCompaction> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        IReadOnlySet<string> live;
        try
        {
            live = (await subscriptions.ListAsync(cancellationToken)).Select(subscription => subscription.Id).ToHashSet(StringComparer.Ordinal);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("Alert journals not compacted: the subscriptions could not be read ({Error})", e.Message);
            return;
        }
        // No subscriptions at all is as likely a store that answered empty as a desk that removed every one: keep all.
        if (live.Count == 0)
        {
            return;
        }
        var alerts = history.Compact(live);
        var deliveries = journal.Compact(live);
        if (alerts + deliveries > 0)
        {
            logger.LogInformation("Dropped {Alerts} alert(s) and {Deliveries} delivery record(s) of removed subscriptions from the alert journals", alerts, deliveries);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
