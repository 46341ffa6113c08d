using System.ComponentModel.DataAnnotations;
using Marsad.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Marsad.Subscriptions;

namespace Marsad.Alerts.Delivery;

public sealed class AlertDeliveryOptions
{
    public const string Section = "Alerts";

    /// <summary>The wait before the first retry; each further retry waits twice as long, up to <see cref="LongestRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan LongestRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long after it was raised an alert is still tried; then it is failed, and shown so in the history.</summary>
    public TimeSpan RetryFor { get; set; } = TimeSpan.FromDays(1);

    /// <summary>When (UTC) the daily digest of the previous 24 hours goes out.</summary>
    public TimeSpan DailyDigestAt { get; set; } = TimeSpan.FromHours(6);

    /// <summary>How long a webhook receiver has to answer.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);
}

/// <summary>
/// Makes the digests of periods that have ended, and sends the pending deliveries as they fall due: at once when raised, then with exponential back-off while the
/// receiver fails, until <see cref="AlertDeliveryOptions.RetryFor"/> has passed. A failing receiver that recovers
/// gets its alerts late, not never; one that never does has them marked failed, with the last error, in the history.
/// </summary>
public sealed class AlertDeliveryService(
    DeliveryJournal journal,
    SubscriptionStore subscriptions,
    IEnumerable<IAlertChannel> channels,
    DigestBuilder digests,
    IOptions<AlertDeliveryOptions> options,
    TimeProvider timeProvider,
    ILogger<AlertDeliveryService> logger) : BackgroundService
{
    private static readonly TimeSpan LongestIdle = TimeSpan.FromSeconds(30);
    private readonly SemaphoreSlim _wake = new(0);
    private readonly Dictionary<string, IAlertChannel> _channels = channels.ToDictionary(channel => channel.Name);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        journal.Added += Wake;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await digests.EnqueueDueAsync(timeProvider.GetUtcNow(), stoppingToken);
                await SendDueAsync(stoppingToken);
                var wait = journal.NextDue() is { } next ? next - timeProvider.GetUtcNow() : LongestIdle;
                await _wake.WaitAsync(wait < TimeSpan.Zero ? TimeSpan.Zero : wait > LongestIdle ? LongestIdle : wait, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            journal.Added -= Wake;
        }
    }

    private void Wake() => _wake.Release();

    /// <summary>Tries every delivery that is due once.</summary>
    public async Task SendDueAsync(CancellationToken cancellationToken)
    {
        var due = journal.Due(timeProvider.GetUtcNow());
        if (due.Count == 0)
        {
            return;
        }
        var byId = (await subscriptions.ListAsync(cancellationToken)).ToDictionary(subscription => subscription.Id);
        foreach (var delivery in due)
        {
            var outcome = !byId.TryGetValue(delivery.SubscriptionId, out var subscription) ? new SendOutcome(false, false, "the subscription was removed")
                : !_channels.TryGetValue(delivery.Channel, out var channel) ? new SendOutcome(false, false, $"no channel '{delivery.Channel}'")
                : await TrySendAsync(channel, delivery, subscription, cancellationToken);
            journal.Update(Next(delivery, outcome));
        }
    }

    /// <summary>
    /// One try, whatever it throws: a delivery the channel cannot even build (an address its parser refuses, a body
    /// it cannot read) is failed with the reason. Were it to escape, the host would stop, and since the delivery is
    /// kept it would stop again at every start.
    /// </summary>
    private async Task<SendOutcome> TrySendAsync(IAlertChannel channel, AlertDelivery delivery, Subscription subscription, CancellationToken cancellationToken)
    {
        try
        {
            return await channel.SendAsync(delivery, subscription, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogError(exception, "Alert {Delivery} could not be sent through {Channel}", delivery.Key, delivery.Channel);
            return new SendOutcome(false, false, $"{exception.GetType().Name}: {exception.Message}");
        }
    }

    private AlertDelivery Next(AlertDelivery delivery, SendOutcome outcome)
    {
        var now = timeProvider.GetUtcNow();
        var tried = delivery with { Attempts = delivery.Attempts + 1, LastError = outcome.Error };
        if (outcome.Delivered)
        {
            MarsadTelemetry.AlertsDelivered.Add(1, new("channel", delivery.Channel), new("outcome", "delivered"));
            return tried with { Status = DeliveryStatus.Delivered, DeliveredAt = now };
        }
        var settings = options.Value;
        var backOff = TimeSpan.FromTicks(Math.Min(settings.LongestRetryDelay.Ticks, settings.FirstRetryDelay.Ticks * (1L << Math.Min(delivery.Attempts, 30))));
        var next = now + (outcome.RetryAfter is { } asked && asked > backOff ? asked : backOff);
        if (!outcome.Retry || next > delivery.RaisedAt + settings.RetryFor)
        {
            logger.LogWarning("Alert {Delivery} failed after {Attempts} attempt(s): {Error}", delivery.Key, tried.Attempts, outcome.Error);
            MarsadTelemetry.AlertsDelivered.Add(1, new("channel", delivery.Channel), new("outcome", "failed"));
            return tried with { Status = DeliveryStatus.Failed };
        }
        logger.LogInformation("Alert {Delivery} not delivered ({Error}); trying again at {Next:HH:mm:ss}", delivery.Key, outcome.Error, next);
        return tried with { NextAttemptAt = next };
    }
}
