using System.Text;
using System.Text.Json;
using Marsad.Cli;
using Marsad.Hosting;
using Marsad.Testing;
using RabbitMQ.Client;

namespace Marsad.EndToEnd.Tests;

/// <summary>
/// <c>MARSAD__RabbitMq__QueueType=Quorum</c> on a real broker: a service's endpoint queue is a quorum queue with a
/// delivery limit; a message handed out past the limit without being acknowledged (a consumer whose process dies on
/// it, played here by a client that takes it and gives it back) is moved by the broker to the endpoint's
/// <c>_error</c> queue, itself quorum, where <c>./marsad errors list</c> names why.
/// </summary>
[Trait(Needs.Trait, Needs.RabbitMq)]
[Trait(Needs.Trait, Needs.Processes)]
public sealed class QuorumQueueTests
{
    private const int DeliveryLimit = 3;

    [Fact]
    public async Task A_message_never_acknowledged_goes_to_the_error_queue_after_the_delivery_limit()
    {
        await using var broker = await RabbitMqVirtualHost.CreateAsync();
        using var data = new TemporaryDirectory();
        var settings = new Dictionary<string, string?>
        {
            ["DataDir"] = data.Path,
            ["Transport"] = "RabbitMq",
            ["RabbitMq:Url"] = broker.Url.AbsoluteUri,
            ["RabbitMq:QueueType"] = "Quorum",
            ["RabbitMq:DeliveryLimit"] = DeliveryLimit.ToString(),
        };
        // The parser declares its queue as it starts; stopped, it leaves the message to this test's client.
        await using (var parser = ServiceHosts.BuildService("parser", settings))
        {
            await parser.StartAsync();
            await parser.Services.WaitUntilBusReadyAsync(TimeSpan.FromMinutes(1));
            await parser.StopAsync();
        }
        var queues = await broker.QueuesAsync();
        var queue = queues.Single(queue => queue.Name == "article-fetched");
        Assert.Equal("quorum", queue.Type);
        Assert.Equal(DeliveryLimit.ToString(), queue.Arguments["x-delivery-limit"]);
        Assert.Equal("article-fetched_error", queue.Arguments["x-dead-letter-exchange"]);

        var factory = new ConnectionFactory { Uri = broker.Url };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.BasicPublishAsync("article-fetched", "", Encoding.UTF8.GetBytes("{}"));
        var deliveries = 0;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline && deliveries <= DeliveryLimit + 1)
        {
            if (await channel.BasicGetAsync("article-fetched", autoAck: false) is { } message)
            {
                deliveries++;
                await channel.BasicNackAsync(message.DeliveryTag, multiple: false, requeue: true);
            }
            else if (deliveries > 0)
            {
                break;
            }
        }
        Assert.Equal(DeliveryLimit + 1, deliveries);

        var list = await ProcessRunner.MarsadAsync(["errors", "list", "--json"],
            environment: new Dictionary<string, string> { ["MARSAD__Transport"] = "RabbitMq", ["MARSAD__RabbitMq__Url"] = broker.Url.AbsoluteUri });
        Assert.True(list.ExitCode == 0, list.StandardError);
        var parserErrors = JsonDocument.Parse(list.StandardOutput).RootElement.EnumerateArray().Single(entry => entry.GetProperty("queue").GetString() == "article-fetched");
        Assert.Equal(1, parserErrors.GetProperty("messages").GetInt32());
        Assert.Contains("delivery limit", parserErrors.GetProperty("reasons")[0].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("quorum", (await broker.QueuesAsync()).Single(queue => queue.Name == "article-fetched_error").Type);
    }
}
