using System.Diagnostics;

namespace Marsad.Testing;

/// <summary>
/// How many articles had been indexed, four times a second, and when each fault began and ended: the pace before,
/// during and after a fault, and how long the pipeline stood still, as an operator's dashboard would show them.
/// </summary>
public sealed class PaceRecorder : IDisposable
{
    private static readonly TimeSpan Around = TimeSpan.FromSeconds(20);
    private readonly List<(TimeSpan At, int Count)> _samples = [];
    private readonly List<(string Fault, TimeSpan Start, TimeSpan End)> _faults = [];
    private readonly Stopwatch _clock;
    private readonly Timer _timer;

    public PaceRecorder(Func<int> indexed, Stopwatch clock)
    {
        _clock = clock;
        _timer = new Timer(_ => { lock (_samples) { _samples.Add((clock.Elapsed, indexed())); } }, null, TimeSpan.Zero, TimeSpan.FromMilliseconds(250));
    }

    /// <summary>A fault begins now; returns its number, for <see cref="End"/>. Faults may overlap.</summary>
    public int Begin(string fault)
    {
        lock (_samples)
        {
            _faults.Add((fault, _clock.Elapsed, TimeSpan.MaxValue));
            return _faults.Count - 1;
        }
    }

    /// <summary>The node of fault <paramref name="number"/> is back.</summary>
    public void End(int number)
    {
        lock (_samples)
        {
            _faults[number] = _faults[number] with { End = _clock.Elapsed };
        }
    }

    public IReadOnlyList<FaultWindow> Windows()
    {
        lock (_samples)
        {
            // The stream ends at its last article: a standstill after it is the end, not a stall.
            var lastGain = _samples.Count == 0 ? TimeSpan.Zero : _samples.First(sample => sample.Count == _samples[^1].Count).At;
            return _faults.Select(fault => new FaultWindow(fault.Fault,
                Rate(fault.Start - Around, fault.Start, lastGain), Rate(fault.Start, fault.End, lastGain), Rate(fault.End, fault.End + Around, lastGain),
                LongestStall(fault.Start, lastGain))).ToList();
        }
    }

    private double Rate(TimeSpan from, TimeSpan to, TimeSpan end)
    {
        to = to < end ? to : end;
        if (to <= from)
        {
            return 0;
        }
        return (CountAt(to) - CountAt(from)) / (to - from).TotalSeconds;
    }

    private int CountAt(TimeSpan at) => _samples.LastOrDefault(sample => sample.At <= at).Count;

    private TimeSpan LongestStall(TimeSpan from, TimeSpan end)
    {
        var longest = TimeSpan.Zero;
        var since = from;
        var count = CountAt(from);
        foreach (var (at, indexed) in _samples.Where(sample => sample.At > from && sample.At <= end))
        {
            if (indexed != count)
            {
                (since, count) = (at, indexed);
            }
            else if (at - since > longest)
            {
                longest = at - since;
            }
        }
        return longest;
    }

    public void Dispose() => _timer.Dispose();
}
