using Marsad.Alerts.Delivery;
using Marsad.Hosting;
using Marsad.Search;
using Marsad.Search.Elasticsearch;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Marsad.Subscriptions;

namespace Marsad.Alerts;

public static class AlertsServiceExtensions
{
    public static IHostApplicationBuilder AddAlerts(this IHostApplicationBuilder builder)
    {
        builder.Services.AddMarsadSearchStore();
        builder.Services.AddSubscriptionStore();
        builder.Services.AddSingleton<AlertHistory>();
        builder.Services.AddSingleton<SubscriptionMatcher>();
        builder.Services.AddSingleton<DeliveryJournal>();
        builder.Services.AddSingleton<DigestBuilder>();
        // Before the bus and the sender start, so nothing has read the journals yet.
        builder.Services.AddHostedService<AlertJournalCompaction>();
        // In the distributed mode, the alert log the api reads is copied to Elasticsearch as the journals are written.
        builder.Services.AddHostedService<AlertLogCopier>();
        builder.Services.AddOptions<AlertDeliveryOptions>().Bind(builder.Configuration.GetSection(AlertDeliveryOptions.Section)).ValidateDataAnnotations();
        builder.Services.AddOptions<OutboundOptions>().Bind(builder.Configuration.GetSection(OutboundOptions.Section));
        // Webhook targets are the users': every connection goes through the address guard, every redirect too.
        builder.Services.AddHttpClient<WebhookSender>((services, http) =>
            {
                http.Timeout = services.GetRequiredService<IOptions<AlertDeliveryOptions>>().Value.Timeout;
                http.DefaultRequestHeaders.UserAgent.ParseAdd("Marsad-Alerts/1.0");
            })
            .ConfigurePrimaryHttpMessageHandler(services => OutboundAddressGuard.CreateHandler(services.GetRequiredService<IOptions<OutboundOptions>>().Value.Networks()));
        builder.Services.AddTransient<IAlertChannel>(services => services.GetRequiredService<WebhookSender>());
        builder.Services.AddOptions<SmtpOptions>().Bind(builder.Configuration.GetSection(SmtpOptions.Section)).ValidateDataAnnotations();
        builder.Services.AddSingleton<IAlertChannel, EmailSender>();
        builder.Services.AddHostedService<AlertDeliveryService>();
        return builder;
    }

    /// <summary>The alerts service on its own: its registrations and its consumers on the bus.</summary>
    public static IHostApplicationBuilder AddAlertsService(this IHostApplicationBuilder builder) =>
        builder.AddAlerts().AddMarsadBus(bus => bus.AddAlertsConsumers());

    public static IBusRegistrationConfigurator AddAlertsConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<ArticleIndexedConsumer>();
        return bus;
    }
}
