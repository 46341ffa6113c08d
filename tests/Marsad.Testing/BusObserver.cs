using MassTransit;

namespace Marsad.Testing;

/// <summary>A test's own view of a broker: one receive endpoint of its own, with the handlers the test gives it, started.</summary>
public static class BusObserver
{
    /// <param name="broker">amqp://user:password@host:port/virtual-host, as the services are given it.</param>
    public static async Task<IBusControl> StartAsync(Uri broker, string endpoint, Action<IRabbitMqReceiveEndpointConfigurator> handlers)
    {
        var credentials = broker.UserInfo.Split(':', 2);
        var virtualHost = broker.AbsolutePath.Trim('/') is { Length: > 0 } path ? Uri.UnescapeDataString(path) : "/";
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(broker.Host, (ushort)broker.Port, virtualHost, host =>
            {
                host.Username(Uri.UnescapeDataString(credentials[0]));
                host.Password(credentials.Length > 1 ? Uri.UnescapeDataString(credentials[1]) : "");
            });
            cfg.ReceiveEndpoint(endpoint, handlers);
        });
        await bus.StartAsync();
        return bus;
    }
}
