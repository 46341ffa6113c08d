using Marsad.Hosting.Access;
using MassTransit;
using MassTransit.RabbitMqTransport.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Marsad.Hosting;

/// <summary>
/// What every Marsad host shares: configuration sources, logging, OpenTelemetry, health checks, and the
/// MassTransit transport. Services call these and add only their own registrations.
/// </summary>
public static class MarsadHostingExtensions
{
    public const string EnvironmentPrefix = "MARSAD__";

    /// <summary>The largest request body a route takes unless it says otherwise: JSON requests are a few kilobytes.</summary>
    public const long MaxRequestBodyBytes = 1024 * 1024;

    /// <summary>Lets this request's body be up to <paramref name="bytes"/> long (call before reading it).</summary>
    public static void AllowRequestBody(this Microsoft.AspNetCore.Http.HttpContext context, long bytes)
    {
        if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = bytes;
        }
    }

    /// <summary>Configuration, logging, options, OpenTelemetry and health checks for the host named <paramref name="serviceName"/>.</summary>
    public static TBuilder AddMarsadDefaults<TBuilder>(this TBuilder builder, string serviceName, IDictionary<string, string?>? overrides = null)
        where TBuilder : IHostApplicationBuilder
    {
        // appsettings.json (added by the host builder), then MARSAD__ variables, then the command line's flags.
        builder.Configuration.AddEnvironmentVariables(EnvironmentPrefix);
        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        // Every log line written while handling an article carries its trace id, so logs and traces meet.
        builder.Logging.Configure(logging => logging.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.IncludeScopes = true;
            console.TimestampFormat = "HH:mm:ss ";
        });
        // Logs go to standard error, so a command's output (JSON, a summary line) stays clean on standard output.
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(
            console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.AddFilter("MassTransit", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // Authentication brings Data Protection, which warns that its keys are unencrypted; Marsad protects nothing with it.
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        // No request body beyond this is read (a 10 MB alert name was stored and carried in every alert); the few
        // routes that take more (an OPML list, a pushed feed) raise it for themselves.
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(kestrel => kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes);

        builder.Services.AddOptions<MarsadOptions>().Bind(builder.Configuration).ValidateDataAnnotations().ValidateOnStart();
        DataFolder.RestrictNewFilesToOwner();
        DataFolder.Secure(builder.Configuration[nameof(MarsadOptions.DataDir)] ?? new MarsadOptions().DataDir);
        // A stop drains what is under way, within the configured time (the bus's share of it is set in AddMarsadBus).
        builder.Services.AddOptions<HostOptions>().Configure<IOptions<MarsadOptions>>((host, marsad) => host.ShutdownTimeout = marsad.Value.ShutdownTimeout + TimeSpan.FromSeconds(5));
        builder.Services.AddSingleton<ShutdownDeadline>();
        builder.Services.AddOptions<RabbitMqOptions>().Bind(builder.Configuration.GetSection(RabbitMqOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);

        builder.Services.AddRedactedHttpLogging();
        builder.AddMarsadTelemetry(serviceName);
        builder.Services.AddHealthChecks();
        builder.AddMarsadAccess();
        return builder;
    }

    /// <summary>
    /// The bus: RabbitMQ or in-memory by configuration, the same consumers either way. Retries back off and then
    /// move the message to its endpoint's <c>_error</c> queue; <see cref="UnprocessableMessageException"/> skips the retries.
    /// </summary>
    public static IHostApplicationBuilder AddMarsadBus(this IHostApplicationBuilder builder, Action<IBusRegistrationConfigurator> registerConsumers)
    {
        var transport = builder.Configuration.Transport();
        builder.Services.AddOptions<MassTransitHostOptions>().Configure<IOptions<MarsadOptions>>((host, marsad) => host.StopTimeout = marsad.Value.ShutdownTimeout);
        if (transport == TransportKind.RabbitMq)
        {
            builder.Services.AddSingleton<QueueDepthMonitor>();
            builder.Services.AddHostedService(services => services.GetRequiredService<QueueDepthMonitor>());
            builder.Services.AddReceiveEndpointObserver(services => services.GetRequiredService<QueueDepthMonitor>());
        }
        builder.Services.AddMassTransit(bus =>
        {
            bus.SetKebabCaseEndpointNameFormatter();
            // MassTransit 8.5 reports usage to its vendor's server by default; Marsad talks only to its own broker.
            bus.DisableUsageTelemetry();
            registerConsumers(bus);

            if (transport == TransportKind.RabbitMq)
            {
                bus.AddConfigureEndpointsCallback((context, name, endpoint) =>
                {
                    var options = context.GetRequiredService<IOptions<RabbitMqOptions>>().Value;
                    // A temporary endpoint (the api's live-search feed) is a per-process, auto-deleted queue, which
                    // a quorum queue cannot be; what it holds is only ever for the page open now.
                    if (options.QueueType == RabbitMqQueueType.Quorum
                        && endpoint is IRabbitMqReceiveEndpointConfigurator rabbit
                        && endpoint is IRabbitMqReceiveEndpointConfiguration { Settings: { Durable: true, AutoDelete: false } })
                    {
                        UseQuorumQueue(rabbit, name, options.DeliveryLimit);
                    }
                });
                bus.UsingRabbitMq((context, cfg) =>
                {
                    var options = context.GetRequiredService<IOptions<RabbitMqOptions>>().Value;
                    ConfigureRabbitMqHost(cfg, options);
                    cfg.PrefetchCount = options.PrefetchCount;
                    if (options.QueueType == RabbitMqQueueType.Quorum)
                    {
                        // The _error queue copies its endpoint's arguments; it stays quorum, but is nobody's consumer:
                        // no limit to count against, nowhere further to dead-letter to.
                        cfg.SendTopology.ConfigureErrorSettings = error =>
                        {
                            foreach (var argument in QuorumDeadLetterArguments)
                            {
                                error.SetQueueArgument(argument, null!);
                            }
                        };
                    }
                    ConfigureRetries(cfg);
                    cfg.ConfigureEndpoints(context);
                });
            }
            else
            {
                bus.UsingInMemory((context, cfg) =>
                {
                    ConfigureRetries(cfg);
                    cfg.ConfigureEndpoints(context);
                });
            }
        });
        return builder;
    }

    /// <summary>The transport the configuration chooses, before the options are bound (registrations depend on it).</summary>
    public static TransportKind Transport(this IConfiguration configuration) =>
        configuration.GetValue(nameof(MarsadOptions.Transport), TransportKind.InMemory);

    /// <summary>
    /// Waits until every receive endpoint of the bus is connected and bound: a message published before that, on a
    /// fresh RabbitMQ virtual host, reaches an exchange no queue is bound to yet and is gone.
    /// </summary>
    public static async Task WaitUntilBusReadyAsync(this IServiceProvider services, TimeSpan timeout)
    {
        var status = await services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, timeout);
        if (status != BusHealthStatus.Healthy)
        {
            throw new TimeoutException($"The message bus was not ready within {timeout.TotalSeconds:0} s (it is {status}).");
        }
    }

    /// <summary>
    /// /health/live (the process answers) and /health/ready (broker and store reachable) for probes, which cannot
    /// sign in; /metrics (Prometheus text) for admins. Sign-in applies to every other route of the host.
    /// </summary>
    public static WebApplication MapMarsadDefaultEndpoints(this WebApplication app)
    {
        app.UseMarsadAccess();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { ResponseWriter = ReadinessChecks.WriteJsonAsync }).AllowAnonymous();
        app.MapPrometheusScrapingEndpoint("/metrics").RequireAuthorization(MarsadPolicies.Admin);
        return app;
    }

    private static void AddMarsadTelemetry(this IHostApplicationBuilder builder, string serviceName)
    {
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("marsad-" + serviceName))
            .WithTracing(tracing => tracing
                .AddSource(MarsadTelemetry.Name)
                .AddSource("MassTransit")
                .AddSource("Elastic.Transport")
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation(http => http.EnrichWithHttpRequestMessage = RedactedHttpLogging.RedactUrl))
            // Logs too, with their trace ids, when an OTLP collector is configured.
            .WithLogging(logging => { }, options => options.IncludeScopes = true)
            .WithMetrics(metrics => metrics
                .AddMeter(MarsadTelemetry.Name)
                .AddMeter("MassTransit")
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddPrometheusExporter());

        // As in eShop's service defaults: export over OTLP only when a collector is configured.
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }
    }

    private static void ConfigureRetries(IBusFactoryConfigurator cfg) =>
        cfg.UseMessageRetry(retry =>
        {
            retry.Ignore<UnprocessableMessageException>();
            retry.Exponential(5, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(400));
        });

    private static readonly string[] QuorumDeadLetterArguments = ["x-delivery-limit", "x-dead-letter-exchange", "x-dead-letter-strategy", "x-overflow"];

    /// <summary>
    /// A quorum queue whose poison messages (handed out <paramref name="deliveryLimit"/> times, never acknowledged)
    /// the broker moves to the endpoint's <c>_error</c> queue, at least once: until it is taken there, the message
    /// stays in the queue it came from rather than being dropped. The <c>_error</c> exchange and queue are declared
    /// with the endpoint (MassTransit would make them only at its first fault): a dead letter needs them at once.
    /// </summary>
    private static void UseQuorumQueue(IRabbitMqReceiveEndpointConfigurator endpoint, string name, int deliveryLimit)
    {
        endpoint.SetQuorumQueue();
        endpoint.SetQueueArgument("x-delivery-limit", deliveryLimit);
        endpoint.BindDeadLetterQueue(name + "_error", name + "_error", error => error.SetQuorumQueue());
        endpoint.SetQueueArgument("x-dead-letter-strategy", "at-least-once");
        // At-least-once dead-lettering requires it: a full queue refuses publishes instead of dropping its head.
        endpoint.SetQueueArgument("x-overflow", "reject-publish");
    }

    private static void ConfigureRabbitMqHost(IRabbitMqBusFactoryConfigurator cfg, RabbitMqOptions options)
    {
        var url = options.Url;
        var credentials = url.UserInfo.Split(':', 2);
        var virtualHost = url.AbsolutePath.Trim('/') is { Length: > 0 } path ? Uri.UnescapeDataString(path) : "/";
        var port = (ushort)options.UrlPort;
        cfg.Host(url.Host, port, virtualHost, host =>
        {
            if (credentials[0].Length > 0)
            {
                host.Username(Uri.UnescapeDataString(credentials[0]));
                host.Password(credentials.Length > 1 ? Uri.UnescapeDataString(credentials[1]) : "");
            }
            // The broker confirms every publish before Publish returns: a fact handed on is a fact kept.
            host.PublisherConfirmation = true;
            if (options.ClusterNodes.Length > 0)
            {
                // Connections go to the first node that answers, the one Url names first.
                host.UseCluster(cluster =>
                {
                    foreach (var node in options.NodeAddresses())
                    {
                        cluster.Node(node);
                    }
                });
            }
        });
    }
}
