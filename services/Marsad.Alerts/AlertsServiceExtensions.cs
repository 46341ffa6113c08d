using Marsad.Hosting;
using Marsad.Search;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Marsad.Alerts;

public static class AlertsServiceExtensions
{
    public static IHostApplicationBuilder AddAlerts(this IHostApplicationBuilder builder)
    {
        builder.Services.AddMarsadSearchStore();
        builder.Services.AddSingleton<SubscriptionStore>();
        builder.Services.AddSingleton<AlertHistory>();
        builder.Services.AddSingleton<SubscriptionMatcher>();
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
