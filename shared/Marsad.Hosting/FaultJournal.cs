using System.Text.Json;

namespace Marsad.Hosting;

/// <summary>A message that failed all its retries in the embedded mode, kept with where and why it failed.</summary>
public sealed record JournaledFault
{
    /// <summary>MassTransit's fault id: a fault reported twice is kept once.</summary>
    public required string Id { get; init; }
    public required string Queue { get; init; }
    /// <summary>The contract's type name (ArticleFetched, …), to read <see cref="Message"/> back as.</summary>
    public required string MessageType { get; init; }
    public required string Reason { get; init; }
    public string? ExceptionType { get; init; }
    public DateTimeOffset FailedAt { get; init; }
    public string? MessageId { get; init; }
    public required JsonElement Message { get; init; }
    /// <summary>Asked for by <c>errors replay</c>; the running pipeline sends it and takes it out of the journal.</summary>
    public bool ReplayRequested { get; init; }

    public DeadLetter Letter => new(Queue, Reason, ExceptionType, FailedAt, MessageId);
}

/// <summary>
/// The embedded mode's error queues. The in-memory transport's own vanish when the process stops, so a message that
/// failed for good is also written to <c>errors.json</c> in the data folder, where <c>./marsad errors list</c> finds it
/// after any restart. <c>errors replay</c>, another process, cannot reach an in-memory bus: it marks the letters, and
/// the pipeline that owns the data folder sends them back (at once if it runs, else when it next starts) and lets
/// them go, so a second replay finds nothing. A replayed message that fails again comes back as a new letter.
/// </summary>
public sealed class FaultJournal(string dataDir) : IDeadLetters
{
    private readonly JsonListFile<JournaledFault> _file = new(Path.Combine(dataDir, "errors.json"));

    public Task AddAsync(JournaledFault fault, CancellationToken cancellationToken) =>
        _file.UpdateAsync(faults =>
        {
            if (faults.Any(kept => kept.Id == fault.Id))
            {
                return (false, 0);
            }
            faults.Add(fault);
            return (true, 0);
        }, cancellationToken);

    public async Task<IReadOnlyList<ErrorQueueSummary>> ListAsync(CancellationToken cancellationToken) =>
        ErrorQueueSummary.Of((await _file.ReadAsync(cancellationToken)).Where(fault => !fault.ReplayRequested).Select(fault => fault.Letter));

    public Task<IReadOnlyList<DeadLetter>> ReplayAsync(string? queue, string? reason, CancellationToken cancellationToken) =>
        _file.UpdateAsync<IReadOnlyList<DeadLetter>>(faults =>
        {
            var chosen = new List<DeadLetter>();
            for (var i = 0; i < faults.Count; i++)
            {
                if (!faults[i].ReplayRequested && faults[i].Letter.IsChosen(queue, reason))
                {
                    chosen.Add(faults[i].Letter);
                    faults[i] = faults[i] with { ReplayRequested = true };
                }
            }
            return (chosen.Count > 0, chosen);
        }, cancellationToken);

    /// <summary>The letters a replay asked for, taken out of the journal: the caller sends them now.</summary>
    public async Task<IReadOnlyList<JournaledFault>> TakeReplayRequestsAsync(CancellationToken cancellationToken)
    {
        // Asked every few seconds: a read of an unchanged file costs nothing, taking the lock would.
        if (!(await _file.ReadAsync(cancellationToken)).Any(fault => fault.ReplayRequested))
        {
            return [];
        }
        return await _file.UpdateAsync<IReadOnlyList<JournaledFault>>(faults =>
        {
            var requested = faults.Where(fault => fault.ReplayRequested).ToList();
            faults.RemoveAll(fault => fault.ReplayRequested);
            return (requested.Count > 0, requested);
        }, cancellationToken);
    }
}
