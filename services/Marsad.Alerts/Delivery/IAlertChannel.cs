using Marsad.Subscriptions;
namespace Marsad.Alerts.Delivery;

/// <summary>A way alerts reach people (webhook, e-mail): one try at one delivery.</summary>
public interface IAlertChannel
{
    string Name { get; }

    Task<SendOutcome> SendAsync(AlertDelivery delivery, Subscription subscription, CancellationToken cancellationToken);
}
