using System.Text.Json;
using System.Net.Sockets;

namespace Marsad.Testing;

/// <summary>
/// A fresh virtual host on the real RabbitMQ broker at 127.0.0.1:5672, so each test has its own queues and
/// exchanges and leaves nothing behind. The broker is installed and started by ./test.sh; a test that finds none
/// fails and says so.
/// </summary>
public sealed class RabbitMqVirtualHost : IAsyncDisposable
{
    public const string Host = "127.0.0.1";
    public const int Port = 5672;

    private RabbitMqVirtualHost(string name) => Name = name;

    public string Name { get; }

    public Uri Url => new($"amqp://guest:guest@{Host}:{Port}/{Name}");

    public static async Task<RabbitMqVirtualHost> CreateAsync()
    {
        await EnsureBrokerAsync();
        var name = "marsad-test-" + Guid.NewGuid().ToString("N")[..10];
        await RabbitMqCtlAsync("add_vhost", name);
        await RabbitMqCtlAsync("set_permissions", "-p", name, "guest", ".*", ".*", ".*");
        return new RabbitMqVirtualHost(name);
    }

    public async ValueTask DisposeAsync() => await RabbitMqCtlAsync("delete_vhost", Name);

    /// <summary>The virtual host's queues, each with its type (classic, quorum) and the arguments it was declared with (as text).</summary>
    public async Task<IReadOnlyList<(string Name, string Type, IReadOnlyDictionary<string, string> Arguments)>> QueuesAsync()
    {
        var output = await RabbitMqCtlAsync("-q", "list_queues", "-p", Name, "name", "type", "arguments", "--formatter", "json");
        // Each argument is listed as [name, AMQP type, value].
        return JsonDocument.Parse(output).RootElement.EnumerateArray()
            .Select(queue => (queue.GetProperty("name").GetString()!, queue.GetProperty("type").GetString()!,
                (IReadOnlyDictionary<string, string>)queue.GetProperty("arguments").EnumerateArray().ToDictionary(argument => argument[0].GetString()!, argument => argument[2].ToString())))
            .ToList();
    }

    public static async Task EnsureBrokerAsync()
    {
        using var client = new TcpClient();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await client.ConnectAsync(Host, Port, timeout.Token);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            throw new InvalidOperationException(
                $"No RabbitMQ broker answers on {Host}:{Port}. These tests need a real one: run ./test.sh, which installs " +
                "Debian's rabbitmq-server if needed and starts it on loopback.", e);
        }
    }

    private static async Task<string> RabbitMqCtlAsync(params string[] arguments)
    {
        var result = await ProcessRunner.RunAsync("rabbitmqctl", arguments, timeout: TimeSpan.FromSeconds(60));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', arguments)} failed ({result.ExitCode}): {result.StandardError}{result.StandardOutput}");
        }
        return result.StandardOutput;
    }
}
