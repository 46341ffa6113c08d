using System.CommandLine;
using System.Text.Json;
using Marsad.Hosting;
using Marsad.Search;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Marsad.Cli;

/// <summary><c>./marsad errors list|replay</c>: what failed for good, by queue and reason, and sending it back after a fix.</summary>
public static class ErrorsCommand
{
    public static Command Create() => new("errors", "Messages that failed all their retries: list them by queue and reason, replay them after a fix")
    {
        List(), Replay(),
    };

    /// <summary>RabbitMQ's error queues in the distributed mode; the data folder's journal in the embedded one.</summary>
    private static IDeadLetters DeadLetters(ParseResult result, Option<string> data)
    {
        using var host = CliHost.Build(result.GetValue(data)!, _ => { });
        var options = host.Services.GetRequiredService<IOptions<MarsadOptions>>().Value;
        return options.Transport == TransportKind.RabbitMq
            ? new ErrorQueues(host.Services.GetRequiredService<IOptions<RabbitMqOptions>>().Value, PipelineQueues.Names)
            : new FaultJournal(options.DataDir);
    }

    private static Command List()
    {
        var data = CommonOptions.Data();
        var json = CommonOptions.Json();
        var command = new Command("list", "Dead-lettered messages by queue and reason") { data, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            var queues = await DeadLetters(result, data).ListAsync(cancellationToken);
            if (result.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(queues, SearchJson.Options));
                return CliErrors.Success;
            }
            if (queues.Count == 0)
            {
                Console.WriteLine("no dead-lettered messages");
            }
            foreach (var queue in queues)
            {
                Console.WriteLine($"{queue.Queue}: {queue.Messages} message(s)");
                foreach (var reason in queue.Reasons)
                {
                    Console.WriteLine($"    {reason.Messages}× {reason.Reason}" + (reason.Last is { } last ? $" (last {last:yyyy-MM-dd HH:mm})" : ""));
                }
            }
            return CliErrors.Success;
        });
        return command;
    }

    private static Command Replay()
    {
        var data = CommonOptions.Data();
        var queue = new Option<string?>("--queue") { Description = $"Only this queue ({string.Join(", ", PipelineQueues.Names)})" };
        var reason = new Option<string?>("--reason") { Description = "Only messages whose reason contains this text" };
        var command = new Command("replay", "Send dead-lettered messages back to the queue they failed in (after a fix); each is replayed once") { data, queue, reason };
        command.SetAction(async (result, cancellationToken) =>
        {
            if (result.GetValue(queue) is { } name && !PipelineQueues.Names.Contains(name))
            {
                throw new UsageException($"no queue '{name}'; one of: {string.Join(", ", PipelineQueues.Names)}");
            }
            var deadLetters = DeadLetters(result, data);
            var replayed = await deadLetters.ReplayAsync(result.GetValue(queue), result.GetValue(reason), cancellationToken);
            Console.WriteLine($"replayed {replayed.Count} message(s)"
                + (deadLetters is FaultJournal && replayed.Count > 0 ? " (the running './marsad run' on this data folder sends them within seconds, or the next one when it starts)" : ""));
            foreach (var group in replayed.GroupBy(letter => (letter.Queue, letter.Reason)))
            {
                Console.WriteLine($"    {group.Count()}× to {group.Key.Queue}: {group.Key.Reason}");
            }
            return CliErrors.Success;
        });
        return command;
    }
}
