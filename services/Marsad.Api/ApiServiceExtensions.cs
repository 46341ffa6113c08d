using Marsad.Alerts;
using Marsad.Fetcher;
using Marsad.Search;

namespace Marsad.Api;

public static class ApiServiceExtensions
{
    public static IHostApplicationBuilder AddApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddMarsadSearchStore();
        builder.Services.AddProblemDetails();
        // The subscriptions the alerts service matches: the data folder's file, or Elasticsearch in the distributed mode.
        builder.Services.AddSubscriptionStore();
        // The feeds the fetchers poll, with their health, where the fetchers keep them; and the fetcher's HTTP client
        // (address guard, politeness, robots.txt) to look at an address before adding it.
        builder.AddFetcher(poll: false);
        return builder;
    }

    /// <summary>Every route of the api service: search, alert subscriptions, feeds, health and metrics.</summary>
    public static WebApplication MapApi(this WebApplication app)
    {
        // Anything the caller got wrong or that fails is answered as RFC 9457 problem+json, never as a stack trace.
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapSearchApi();
        app.MapSubscriptionsApi();
        app.MapFeedsApi();
        return app;
    }
}
