using System.Text;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Marsad.Hosting;

/// <summary>One dead-lettered message: where it failed, why, and when.</summary>
public sealed record DeadLetter(string Queue, string Reason, string? ExceptionType, DateTimeOffset? FailedAt, string? MessageId)
{
    /// <summary>Whether a replay of <paramref name="queue"/> (all when null) for reasons containing <paramref name="reason"/> (all when null) takes it.</summary>
    public bool IsChosen(string? queue, string? reason) =>
        (queue is null || Queue == queue) && (reason is null || Reason.Contains(reason, StringComparison.OrdinalIgnoreCase));
}

/// <summary>What an error queue holds, grouped by reason.</summary>
public sealed record ErrorQueueSummary(string Queue, int Messages, IReadOnlyList<ErrorReason> Reasons)
{
    public static IReadOnlyList<ErrorQueueSummary> Of(IEnumerable<DeadLetter> letters) =>
        letters.GroupBy(letter => letter.Queue)
            .Select(queue => new ErrorQueueSummary(queue.Key, queue.Count(), queue
                .GroupBy(letter => letter.Reason)
                .Select(reason => new ErrorReason(reason.Key, reason.Count(), reason.Min(letter => letter.FailedAt), reason.Max(letter => letter.FailedAt)))
                .OrderByDescending(reason => reason.Messages)
                .ToList()))
            .ToList();
}

public sealed record ErrorReason(string Reason, int Messages, DateTimeOffset? First, DateTimeOffset? Last);

/// <summary>Where messages that failed for good are kept: RabbitMQ's error queues, or the embedded mode's journal.</summary>
public interface IDeadLetters
{
    Task<IReadOnlyList<ErrorQueueSummary>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Sends back every dead letter of <paramref name="queue"/> (all when null) whose reason contains <paramref name="reason"/> (all when null).</summary>
    Task<IReadOnlyList<DeadLetter>> ReplayAsync(string? queue, string? reason, CancellationToken cancellationToken);
}

/// <summary>
/// The endpoints' <c>_error</c> queues on RabbitMQ, where MassTransit puts a message that failed all its retries (and
/// Marsad one that can never succeed), with the reason in its headers. Listing reads every message and puts it back;
/// replaying sends the chosen ones back to the queue they failed in, unchanged but for the fault headers, and takes
/// them out of the error queue, so a second replay finds nothing to send. Consumers are idempotent, so a message
/// replayed after it had in fact succeeded does no harm either.
/// </summary>
public sealed class ErrorQueues(RabbitMqOptions broker, IReadOnlyList<string> endpoints) : IDeadLetters
{
    private const string FaultReasonHeader = "MT-Fault-Message";
    private const string FaultTypeHeader = "MT-Fault-ExceptionType";
    private const string FaultTimestampHeader = "MT-Fault-Timestamp";

    public async Task<IReadOnlyList<ErrorQueueSummary>> ListAsync(CancellationToken cancellationToken)
    {
        var (letters, _) = await VisitAsync(_ => false, cancellationToken);
        return ErrorQueueSummary.Of(letters);
    }

    public async Task<IReadOnlyList<DeadLetter>> ReplayAsync(string? queue, string? reason, CancellationToken cancellationToken) =>
        (await VisitAsync(letter => letter.IsChosen(queue, reason), cancellationToken)).Replayed;

    /// <summary>Reads every error queue through; the letters <paramref name="replay"/> picks go back to their queue, the rest stay.</summary>
    private async Task<(List<DeadLetter> Seen, List<DeadLetter> Replayed)> VisitAsync(Func<DeadLetter, bool> replay, CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory { Uri = broker.Url, ClientProvidedName = "marsad-errors" };
        await using var connection = await OpenAsync(factory, broker.Nodes(), cancellationToken);
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);
        var seen = new List<DeadLetter>();
        var replayed = new List<DeadLetter>();
        foreach (var endpoint in endpoints)
        {
            var errorQueue = endpoint + "_error";
            if (!await ExistsAsync(connection, errorQueue, cancellationToken))
            {
                continue;
            }
            // Read it all first (unacknowledged), then decide: a message put back is not read again in this pass.
            var held = new List<(BasicGetResult Message, DeadLetter Letter)>();
            while (await channel.BasicGetAsync(errorQueue, autoAck: false, cancellationToken) is { } message)
            {
                held.Add((message, Letter(endpoint, message)));
            }
            foreach (var (message, letter) in held)
            {
                seen.Add(letter);
                if (replay(letter))
                {
                    var properties = new BasicProperties(message.BasicProperties)
                    {
                        Headers = message.BasicProperties.Headers?
                            .Where(header => !header.Key.StartsWith("MT-Fault-", StringComparison.Ordinal) && header.Key != "MT-Reason")
                            .ToDictionary(header => header.Key, header => header.Value),
                    };
                    // Confirmed by the broker before the dead letter is let go: a replay never loses the message.
                    await channel.BasicPublishAsync("", endpoint, mandatory: true, properties, message.Body, cancellationToken);
                    await channel.BasicAckAsync(message.DeliveryTag, multiple: false, cancellationToken);
                    replayed.Add(letter);
                }
                else
                {
                    await channel.BasicNackAsync(message.DeliveryTag, multiple: false, requeue: true, cancellationToken);
                }
            }
        }
        return (seen, replayed);
    }

    private static DeadLetter Letter(string endpoint, BasicGetResult message)
    {
        var headers = message.BasicProperties.Headers ?? new Dictionary<string, object?>();
        string? Text(string name) => headers.TryGetValue(name, out var value) ? value switch
        {
            byte[] bytes => Encoding.UTF8.GetString(bytes),
            null => null,
            var other => other.ToString(),
        } : null;
        var failedAt = DateTimeOffset.TryParse(Text(FaultTimestampHeader), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at) ? at : (DateTimeOffset?)null;
        var reason = Text(FaultReasonHeader) ?? BrokerReason(Text(BrokerDeathReasonHeader)) ?? "(no reason recorded)";
        return new DeadLetter(endpoint, reason, Text(FaultTypeHeader), failedAt, message.BasicProperties.MessageId);
    }

    // Moved by the broker rather than by MassTransit: a quorum queue's delivery limit (MarsadHostingExtensions.UseQuorumQueue).
    private const string BrokerDeathReasonHeader = "x-first-death-reason";

    private static string? BrokerReason(string? reason) => reason switch
    {
        null => null,
        "delivery_limit" => "Handed out more times than the queue's delivery limit and never acknowledged: its consumer's process may die on it",
        _ => $"Dead-lettered by the broker ({reason})",
    };

    // A passive declare on a channel of its own: a missing queue closes the channel it was asked on.
    private static async Task<bool> ExistsAsync(IConnection connection, string queue, CancellationToken cancellationToken)
    {
        await using var probe = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        try
        {
            await probe.QueueDeclarePassiveAsync(queue, cancellationToken);
            return true;
        }
        catch (OperationInterruptedException)
        {
            return false;
        }
    }

    private static async Task<IConnection> OpenAsync(ConnectionFactory factory, IReadOnlyList<AmqpTcpEndpoint> nodes, CancellationToken cancellationToken)
    {
        try
        {
            return await factory.CreateConnectionAsync(nodes, cancellationToken);
        }
        catch (BrokerUnreachableException e)
        {
            throw new InvalidOperationException($"RabbitMQ at {string.Join(", ", nodes)} cannot be reached ({e.InnerException?.Message ?? e.Message}); the error queues are there.", e);
        }
    }
}
