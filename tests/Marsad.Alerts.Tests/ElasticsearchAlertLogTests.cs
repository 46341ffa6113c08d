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

    [Fact]
    public async Task What_the_journals_held_before_the_service_started_is_copied_at_start()
    {
        using var data = new TemporaryDirectory();
        var options = Microsoft.Extensions.Options.Options.Create(new Marsad.Hosting.MarsadOptions { DataDir = data.Path });
        using var history = new AlertHistory(options);
        using var journal = new DeliveryJournal(options);
        var raisedAt = DateTimeOffset.UtcNow;
        Assert.True(history.TryRecord(new AlertRaised
        {
            SubscriptionId = "earlier", SubscriptionName = "Earlier", ArticleId = "a1", Url = "https://news.example/a1",
            Title = "خبر", Source = "وكالة", Language = "ar", RaisedAt = raisedAt,
        }));
        journal.Add(new AlertDelivery
        {
            SubscriptionId = "earlier", ArticleId = "a1", Channel = AlertDelivery.WebhookChannel, Target = "https://hooks.example/x",
            Body = "{\"secret\":\"not copied\"}", RaisedAt = raisedAt, NextAttemptAt = raisedAt,
        });
        var log = new ElasticsearchAlertLog(new Marsad.Search.Elasticsearch.ElasticsearchOptions
        {
            Url = ElasticsearchServer.Url, ServerMajorVersion = ElasticsearchServer.MajorVersion, AlertsIndex = _prefix + "-earlier",
        });
        var copier = new AlertLogCopier(history, journal, log, options, Microsoft.Extensions.Logging.Abstractions.NullLogger<AlertLogCopier>.Instance);

        await copier.StartAsync(CancellationToken.None);
        try
        {
            IReadOnlyList<AlertHistoryEntry> entries = [];
            // A bulk write is not atomic: a refresh may show the alert before its delivery.
            for (var tries = 0; tries < 150 && entries is not [{ Deliveries: [_] }]; tries++)
            {
                await Task.Delay(200);
                entries = await log.ReadAsync("earlier", CancellationToken.None);
            }
            var entry = Assert.Single(entries);
            Assert.Equal("a1", entry.Alert.ArticleId);
            Assert.Equal(DeliveryStatus.Pending, Assert.Single(entry.Deliveries).Status);
            // What was sent (a signed payload) stays in the alerts service's journal; the log holds how it went.
            using var http = new HttpClient();
            var stored = await http.GetStringAsync(new Uri(ElasticsearchServer.Url, $"{_prefix}-earlier/_search?size=10"));
            Assert.Contains("hooks.example", stored, StringComparison.Ordinal);
            Assert.DoesNotContain("not copied", stored, StringComparison.Ordinal);
        }
        finally
        {
            await copier.StopAsync(CancellationToken.None);
        }
    }
}
