using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Marsad.Hosting;

/// <summary>
/// How far behind a service is: the messages waiting in each of its queues and in their error queues, and how many
/// consumers read each queue, asked of RabbitMQ every few seconds and exported as the gauges
/// <c>marsad.queue.depth</c> and <c>marsad.queue.consumers</c> (by queue). How long a message waited is MassTransit's
/// own <c>messaging.masstransit.delivery.duration</c> (sent → consumed). The in-memory transport has no depth to ask.
/// </summary>
public sealed class QueueDepthMonitor : BackgroundService, IReceiveEndpointObserver
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, byte> _queues = new();
    private readonly ConcurrentDictionary<string, (uint Messages, uint Consumers)> _depths = new();
    private readonly RabbitMqOptions _broker;
    private readonly ILogger<QueueDepthMonitor> _logger;

    public QueueDepthMonitor(IOptions<RabbitMqOptions> options, IMeterFactory meters, ILogger<QueueDepthMonitor> logger)
    {
        _broker = options.Value;
        _logger = logger;
        var meter = meters.Create(MarsadTelemetry.Name);
        meter.CreateObservableGauge("marsad.queue.depth", () => Measure(depth => depth.Messages), description: "Messages waiting in a queue of this service (and in its error queue), by queue");
        meter.CreateObservableGauge("marsad.queue.consumers", () => Measure(depth => depth.Consumers), description: "Consumers reading a queue of this service, by queue");
    }

    private IEnumerable<Measurement<long>> Measure(Func<(uint Messages, uint Consumers), uint> value) =>
        _depths.Select(pair => new Measurement<long>(value(pair.Value), new KeyValuePair<string, object?>("queue", pair.Key)));

    public Task Ready(ReceiveEndpointReady ready)
    {
        // The bus's own reply queue is temporary and private; the pipeline's queues are what an operator watches.
        if (!ready.InputAddress.Query.Contains("temporary=true", StringComparison.OrdinalIgnoreCase)
            && !ready.InputAddress.Query.Contains("autodelete=true", StringComparison.OrdinalIgnoreCase))
        {
            var queue = ready.InputAddress.Segments[^1];
            _queues.TryAdd(queue, 0);
            _queues.TryAdd(queue + "_error", 0);
        }
        return Task.CompletedTask;
    }

    public Task Stopping(ReceiveEndpointStopping stopping) => Task.CompletedTask;

    public Task Completed(ReceiveEndpointCompleted completed) => Task.CompletedTask;

    public Task Faulted(ReceiveEndpointFaulted faulted) => Task.CompletedTask;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var factory = new ConnectionFactory { Uri = _broker.Url, ClientProvidedName = "marsad-queue-depth" };
        using var timer = new PeriodicTimer(Interval);
        IConnection? connection = null;
        try
        {
            do
            {
                try
                {
                    connection ??= await factory.CreateConnectionAsync(_broker.Nodes(), stoppingToken);
                    foreach (var queue in _queues.Keys)
                    {
                        await ProbeAsync(connection, queue, stoppingToken);
                    }
                }
                catch (Exception e) when (e is BrokerUnreachableException or AlreadyClosedException or OperationInterruptedException or IOException)
                {
                    // The broker is away (its own readiness check says so): no figure rather than a stale one.
                    _logger.LogDebug("Queue depths unavailable: {Reason}", e.Message);
                    _depths.Clear();
                    connection?.Dispose();
                    connection = null;
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            connection?.Dispose();
        }
    }

    private async Task ProbeAsync(IConnection connection, string queue, CancellationToken cancellationToken)
    {
        // A passive declare that finds no queue closes its channel, so each probe has its own.
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        try
        {
            var declared = await channel.QueueDeclarePassiveAsync(queue, cancellationToken);
            _depths[queue] = (declared.MessageCount, declared.ConsumerCount);
        }
        catch (OperationInterruptedException) when (connection.IsOpen)
        {
            _depths[queue] = (0, 0); // an error queue appears with its first dead letter
        }
    }
}
