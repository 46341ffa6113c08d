using System.Globalization;
using Marsad.Contracts;
using Marsad.Subscriptions;
using Marsad.Testing;

namespace Marsad.Alerts.Tests;

/// <summary>
/// In the distributed mode the alert history lives beside the subscriptions in Elasticsearch: what the alerts
/// service raises and delivers is read there by another process (the api, the CLI), not from its data folder.
/// </summary>
[Trait(Needs.Trait, Needs.Elasticsearch)]
public sealed class ElasticsearchAlertLogTests : IAsyncLifetime
{
    private readonly string _prefix = "marsad-test-alertlog-" + Guid.NewGuid().ToString("N")[..8];
    private LocalHttpServer _receiver = null!;
    private ConsumerHarness _alerts = null!;

    public async Task InitializeAsync()
    {
        _receiver = await LocalHttpServer.StartAsync(context => Task.FromResult(true));
        _alerts = await ConsumerHarness.StartAsync(builder => builder.AddAlerts(), bus => bus.AddAlertsConsumers(), new Dictionary<string, string?>
        {
            ["Store"] = "Elasticsearch",
            ["Elasticsearch:Url"] = ElasticsearchServer.Url.AbsoluteUri,
            ["Elasticsearch:ServerMajorVersion"] = ElasticsearchServer.MajorVersion.ToString(CultureInfo.InvariantCulture),
            ["Elasticsearch:IndexPrefix"] = _prefix + "-articles",
            ["Elasticsearch:SubscriptionsIndex"] = _prefix + "-subscriptions",
            ["Elasticsearch:FeedsIndex"] = _prefix + "-feeds",
            ["Elasticsearch:AlertsIndex"] = _prefix + "-alerts",
            ["Outbound:AllowedNetworks:0"] = "127.0.0.0/8",
        });
    }

    public async Task DisposeAsync()
    {
        await _alerts.DisposeAsync();
        await _receiver.DisposeAsync();
        await ElasticsearchServer.DeleteAsync(_prefix);
    }

    [Fact]
    public async Task An_alert_and_its_delivery_are_read_from_elasticsearch_by_another_reader()
    {
        var subscription = await NatoArticle.IndexAndSubscribeAsync(_alerts, new Uri(_receiver.BaseAddress, "hook").AbsoluteUri);

        await _alerts.Harness.Bus.Publish(NatoArticle.Indexed);

        // Another reader of the same index, as the api's would be.
        var log = new ElasticsearchAlertLog(new Marsad.Search.Elasticsearch.ElasticsearchOptions
        {
            Url = ElasticsearchServer.Url, ServerMajorVersion = ElasticsearchServer.MajorVersion, AlertsIndex = _prefix + "-alerts",
        });
        IReadOnlyList<AlertHistoryEntry> entries = [];
        for (var tries = 0; tries < 150; tries++)
        {
            entries = await log.ReadAsync(subscription.Id, CancellationToken.None);
            if (entries is [{ Deliveries: [{ Status: DeliveryStatus.Delivered }] }])
            {
                break;
            }
            await Task.Delay(200);
        }
        var entry = Assert.Single(entries);
        Assert.Equal("nato", entry.Alert.ArticleId);
        var delivery = Assert.Single(entry.Deliveries);
        Assert.Equal(DeliveryStatus.Delivered, delivery.Status);
        Assert.Equal(1, _receiver.RequestsTo("/hook"));
        Assert.Empty(await log.ReadAsync("another-subscription", CancellationToken.None));
    }
}
