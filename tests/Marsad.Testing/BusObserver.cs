using MassTransit;

namespace Marsad.Testing;

/// <summary>A test's own view of a broker: one receive endpoint of its own, with the handlers the test gives it, started.</summary>
public static class BusObserver
{
    /// <param name="broker">amqp://user:password@host:port/virtual-host, as the services are given it.</param>
    public static Task<IBusControl> StartAsync(Uri broker, string endpoint, Action<IRabbitMqReceiveEndpointConfigurator> handlers) =>
        StartAsync([broker], endpoint, handlers);

    /// <param name="brokers">
    /// The nodes of one broker (several: a cluster, whose nodes the observer moves between as they die, its queue a
    /// quorum queue so that what is published while a node is down still reaches it).
    /// </param>
    public static async Task<IBusControl> StartAsync(IReadOnlyList<Uri> brokers, string endpoint, Action<IRabbitMqReceiveEndpointConfigurator> handlers)
    {
        var broker = brokers[0];
        var credentials = broker.UserInfo.Split(':', 2);
        var virtualHost = broker.AbsolutePath.Trim('/') is { Length: > 0 } path ? Uri.UnescapeDataString(path) : "/";
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(broker.Host, (ushort)broker.Port, virtualHost, host =>
            {
                host.Username(Uri.UnescapeDataString(credentials[0]));
                host.Password(credentials.Length > 1 ? Uri.UnescapeDataString(credentials[1]) : "");
                if (brokers.Count > 1)
                {
                    host.UseCluster(cluster =>
                    {
                        foreach (var node in brokers)
                        {
                            cluster.Node($"{node.Host}:{node.Port}");
                        }
                    });
                }
            });
            cfg.ReceiveEndpoint(endpoint, receive =>
            {
                if (brokers.Count > 1)
                {
                    receive.SetQuorumQueue();
                }
                handlers(receive);
            });
        });
        await bus.StartAsync();
        return bus;
    }
}
