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

    public static IBusRegistrationConfigurator AddAlertsConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<ArticleIndexedConsumer>();
        return bus;
    }
}
