using Marsad.Alerts;
using Marsad.Api;
using Marsad.Classifier;
using Marsad.Fetcher;
using Marsad.Hosting;
using Marsad.Indexer;
using Marsad.Parser;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Marsad.Cli;

/// <summary>The hosts <c>./marsad run</c> builds: the whole pipeline in one process, or one service of it.</summary>
public static class ServiceHosts
{
    public const string DefaultUrls = "http://127.0.0.1:5080";

    /// <summary>The embedded default: every service and the API in one process, on the in-memory transport.</summary>
    /// <param name="configure">Further setup before the host is built (tests: an in-process test server).</param>
    public static WebApplication BuildAllInOne(IDictionary<string, string?> settings, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls(settings.TryGetValue("Urls", out var urls) && urls is not null ? urls : DefaultUrls);
        builder.AddMarsadDefaults("all-in-one", settings);
        builder.AddWholePipeline(poll: true, bus => bus.AddApiConsumers());
        if (builder.Configuration.Transport() == TransportKind.InMemory)
        {
            builder.Services.AddHostedService<FaultReplayer>();
        }
        builder.AddApi();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.MapApiService();
        app.MapFetcherService();
        app.MapMarsadDefaultEndpoints();
        return app;
    }

    /// <summary>The pipeline without polling or HTTP, for <c>run --once</c>: the tracker says when it is done.</summary>
    /// <param name="configure">Further registrations (tests and benchmarks: an in-memory trace exporter).</param>
    public static IHost BuildOneShot(IDictionary<string, string?> settings, RunTracker tracker, Action<IServiceCollection>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.AddMarsadDefaults("once", settings);
        builder.Services.AddSingleton(tracker);
        configure?.Invoke(builder.Services);
        builder.AddWholePipeline(poll: false, bus => bus.AddConsumer<RunTrackerConsumer>());
        return builder.Build();
    }

    /// <summary>What each service is: its registrations (with its consumers on the bus) and its routes, if it serves any.</summary>
    private sealed record ServiceWiring(Func<IHostApplicationBuilder, IHostApplicationBuilder> Add, Action<WebApplication>? Map = null);

    private static readonly IReadOnlyDictionary<string, ServiceWiring> Wiring = new Dictionary<string, ServiceWiring>
    {
        ["fetcher"] = new(builder => builder.AddFetcherService(), app => app.MapFetcherService()),
        ["parser"] = new(builder => builder.AddParserService()),
        ["classifier"] = new(builder => builder.AddClassifierService()),
        ["indexer"] = new(builder => builder.AddIndexerService()),
        ["alerts"] = new(builder => builder.AddAlertsService()),
        ["api"] = new(builder => builder.AddApiService(), app => app.MapApiService()),
    };

    public static readonly string[] ServiceNames = [.. Wiring.Keys];

    /// <summary>One service in its own process, for the distributed mode; transport and store come from configuration.</summary>
    /// <param name="configure">Further setup before the host is built (tests: an in-process test server).</param>
    public static WebApplication BuildService(string name, IDictionary<string, string?> settings, Action<WebApplicationBuilder>? configure = null)
    {
        if (!Wiring.TryGetValue(name, out var service))
        {
            throw new ArgumentOutOfRangeException(nameof(name), name, $"Unknown service; one of: {string.Join(", ", ServiceNames)}.");
        }
        var builder = WebApplication.CreateBuilder();
        if (settings.TryGetValue("Urls", out var urls) && urls is not null)
        {
            builder.WebHost.UseUrls(urls);
        }
        builder.AddMarsadDefaults(name, settings);
        service.Add(builder);
        configure?.Invoke(builder);

        var app = builder.Build();
        service.Map?.Invoke(app);
        app.MapMarsadDefaultEndpoints();
        return app;
    }

    /// <summary>Every stage of the pipeline in this process, all consumers on one bus.</summary>
    /// <remarks>
    /// On the in-memory transport, what fails for good is also written to the data folder's journal: its error
    /// queues would be gone when the process stops.
    /// </remarks>
    private static void AddWholePipeline(this IHostApplicationBuilder builder, bool poll, Action<IBusRegistrationConfigurator>? moreConsumers = null)
    {
        builder.AddFetcher(poll);
        builder.AddParser();
        builder.AddIndexer();
        builder.AddAlerts();
        var embedded = builder.Configuration.Transport() == TransportKind.InMemory;
        if (embedded)
        {
            builder.Services.AddSingleton(services => new FaultJournal(services.GetRequiredService<IOptions<MarsadOptions>>().Value.DataDir));
        }
        builder.AddMarsadBus(bus =>
        {
            bus.AddFetcherConsumers()
                .AddParserConsumers()
                .AddClassifierConsumers()
                .AddIndexerConsumers()
                .AddAlertsConsumers();
            if (embedded)
            {
                bus.AddConsumer<FaultJournalConsumer>();
            }
            moreConsumers?.Invoke(bus);
        });
    }
}
