using Marsad.Contracts;
using Marsad.Feeds;
using Marsad.Hosting;
using Marsad.Hosting.Access;
using Marsad.Search;
using MassTransit;
using Microsoft.Extensions.FileProviders;
using Marsad.Subscriptions;

namespace Marsad.Api;

public static class ApiServiceExtensions
{
    public static IHostApplicationBuilder AddApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddMarsadSearchStore();
        builder.Services.AddProblemDetails();
        // The HTTP API described as OpenAPI 3.1 at /openapi/v1.json, generated from the routes themselves.
        builder.Services.AddOpenApi();
        // The subscriptions the alerts service matches: the data folder's file, or Elasticsearch in the distributed mode.
        builder.Services.AddSubscriptionStore();
        // The feeds the fetchers poll, with their health, where the fetchers keep them. An address is looked at by a
        // fetcher (DiscoverFeeds over the bus) before it is added: the api itself never fetches the web.
        builder.Services.AddFeedList();
        builder.Services.AddSingleton<LiveArticles>();
        return builder;
    }

    /// <summary>The api as a service of its own: its registrations, and a temporary queue for the live searches' news.</summary>
    public static IHostApplicationBuilder AddApiService(this IHostApplicationBuilder builder) =>
        builder.AddApi().AddMarsadBus(bus => bus.AddApiConsumers());

    /// <summary>
    /// What the api hears on the bus: every newly indexed article, on a queue of this process's own that goes with
    /// it (each api instance serves its own live pages; none of them needs what was announced while it was away).
    /// </summary>
    public static IBusRegistrationConfigurator AddApiConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<LiveArticlesConsumer>().Endpoint(endpoint => endpoint.Temporary = true);
        bus.AddRequestClient<DiscoverFeeds>(FeedEndpoints.DiscoveryTimeout);
        return bus;
    }

    /// <summary>
    /// The web page at <c>/</c>: plain files built into this assembly (no CDN, nothing fetched at run time), with a
    /// content security policy that lets it run only its own script and talk only to this api.
    /// </summary>
    private static void UseWebPage(this WebApplication app)
    {
        var page = new EmbeddedFileProvider(typeof(ApiServiceExtensions).Assembly, "Marsad.Api.wwwroot");
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = page });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = page,
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
                headers.XContentTypeOptions = "nosniff";
                headers.CacheControl = "no-cache"; // revalidated, so an upgrade's page is seen at once
            },
        });
    }

    /// <summary>Every route of the api service: the page, search, live search, alert subscriptions, feeds.</summary>
    public static WebApplication MapApiService(this WebApplication app)
    {
        // Anything the caller got wrong or that fails is answered as RFC 9457 problem+json, never as a stack trace.
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // The page (and its sign-in form) is served to anyone; everything it asks of the api needs a caller.
        app.UseWebPage();
        app.UseMarsadAccess();
        app.MapSessionApi();
        app.MapSearchApi().RequireAuthorization(MarsadPolicies.Reader);
        app.MapLiveApi().RequireAuthorization(MarsadPolicies.Reader);
        app.MapSubscriptionsApi().RequireAuthorization(MarsadPolicies.Editor);
        app.MapFeedsApi().RequireAuthorization(MarsadPolicies.Admin);
        app.MapOpenApi().RequireAuthorization(MarsadPolicies.Reader);
        return app;
    }
}
