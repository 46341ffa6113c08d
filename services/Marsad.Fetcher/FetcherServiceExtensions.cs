using Marsad.Hosting;
using Marsad.Search.Elasticsearch;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Marsad.Feeds;

namespace Marsad.Fetcher;

public static class FetcherServiceExtensions
{
    /// <summary>
    /// The fetcher's services. <paramref name="poll"/>: fetch registered feeds on a timer (off for one-shot runs).
    /// Safe to call twice.
    /// </summary>
    public static IHostApplicationBuilder AddFetcher(this IHostApplicationBuilder builder, bool poll = true)
    {
        if (poll && !builder.Services.Any(service => service.ImplementationType == typeof(FeedPoller)))
        {
            builder.Services.AddHostedService<FeedPoller>();
        }
        if (builder.Services.Any(service => service.ServiceType == typeof(FeedFetcher)))
        {
            return builder;
        }
        builder.Services.AddFeedList();
        builder.Services.AddSingleton<SeenArticles>();
        builder.Services.AddSingleton<HostPoliteness>();
        builder.Services.AddSingleton<RobotsCache>();
        builder.Services.AddSingleton<ContentFetcher>();
        builder.Services.AddSingleton<FeedFetcher>();
        builder.Services.AddSingleton<FeedDiscovery>();
        builder.Services.AddSingleton<WebSubSubscriber>();

        builder.Services.AddHttpClient(ContentFetcher.HttpClientName, (services, client) =>
            {
                var options = services.GetRequiredService<IOptions<FetcherOptions>>().Value;
                client.DefaultRequestHeaders.UserAgent.ParseAdd(options.UserAgent);
                client.Timeout = Timeout.InfiniteTimeSpan; // the resilience pipeline owns timeouts
            })
            .ConfigurePrimaryHttpMessageHandler(services =>
            {
                var options = services.GetRequiredService<IOptions<FetcherOptions>>().Value;
                var allowed = (options.AllowLoopback ? OutboundAddressGuard.Loopback : [])
                    .Concat(options.AllowPrivateNetworks ? OutboundAddressGuard.PrivateAndLinkLocal : []).ToList();
                var handler = OutboundAddressGuard.CreateHandler(allowed, "Fetcher:AllowLoopback or Fetcher:AllowPrivateNetworks");
                handler.AutomaticDecompression = System.Net.DecompressionMethods.All;
                return handler;
            })
            .AddStandardResilienceHandler()
            // One pipeline (retries, circuit breaker) per site: a failing site opens its own circuit, not everyone's.
            .SelectPipelineByAuthority()
            .Configure((HttpStandardResilienceOptions resilience, IServiceProvider services) =>
            {
                var timeout = services.GetRequiredService<IOptions<FetcherOptions>>().Value.RequestTimeout;
                resilience.TotalRequestTimeout.Timeout = timeout;
                resilience.AttemptTimeout.Timeout = timeout / 2;
                resilience.CircuitBreaker.SamplingDuration = timeout;
                resilience.Retry.MaxRetryAttempts = 2;
                // The retries' waits must fit inside the whole request's time, or a short timeout would run out while
                // waiting to retry (the default 2 s, with jitter, can pass 3 s on the first retry alone).
                resilience.Retry.Delay = TimeSpan.FromTicks(Math.Min(resilience.Retry.Delay.Ticks, timeout.Ticks / 10));
                // A site that says when to come back (429, or 503 with Retry-After) is not asked again before then:
                // HostPoliteness keeps that time for every request to it, rather than one retry waiting it out.
                resilience.Retry.ShouldRetryAfterHeader = false;
                resilience.Retry.ShouldHandle = arguments => ValueTask.FromResult(
                    HttpClientResiliencePredicates.IsTransient(arguments.Outcome)
                    && arguments.Outcome.Result is not { StatusCode: System.Net.HttpStatusCode.TooManyRequests }
                    && arguments.Outcome.Result?.Headers.RetryAfter is null);
            });
        return builder;
    }

    /// <summary>The fetcher as a service of its own: its registrations and its consumers on the bus.</summary>
    public static IHostApplicationBuilder AddFetcherService(this IHostApplicationBuilder builder) =>
        builder.AddFetcher().AddMarsadBus(bus => bus.AddFetcherConsumers());

    /// <summary>The fetcher's routes: the WebSub callbacks hubs push new items to.</summary>
    public static WebApplication MapFetcherService(this WebApplication app)
    {
        app.MapWebSub();
        return app;
    }

    public static IBusRegistrationConfigurator AddFetcherConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<FetchFeedConsumer, FetchFeedConsumerDefinition>();
        bus.AddConsumer<DiscoverFeedsConsumer>();
        return bus;
    }
}
