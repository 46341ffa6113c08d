using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Marsad.Feeds;

namespace Marsad.Fetcher;

/// <summary>
/// How hard Marsad leans on one site: at most <see cref="FetcherOptions.MaxConnectionsPerHost"/> requests at once,
/// at least <see cref="FetcherOptions.MinDelayPerHost"/> between their starts, and nothing before the time a site
/// asked for with <c>Retry-After</c> (on 429 or 503). Shared by every feed and page of the process.
/// </summary>
public sealed class HostPoliteness(IOptions<FetcherOptions> options, TimeProvider timeProvider)
{
    private readonly ConcurrentDictionary<string, Host> _hosts = new(StringComparer.OrdinalIgnoreCase);

    private sealed class Host(int connections)
    {
        public SemaphoreSlim Connections { get; } = new(connections, connections);
        public Lock Gate { get; } = new();
        public DateTimeOffset NextStart { get; set; }
        public DateTimeOffset NotBefore { get; set; }
    }

    /// <summary>Waits for the host's turn; dispose the result when the request is done.</summary>
    public async Task<IDisposable> EnterAsync(Uri address, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var host = _hosts.GetOrAdd(address.Authority, _ => new Host(settings.MaxConnectionsPerHost));
        await host.Connections.WaitAsync(cancellationToken);
        try
        {
            TimeSpan wait;
            lock (host.Gate)
            {
                var now = timeProvider.GetUtcNow();
                var start = new[] { now, host.NextStart, host.NotBefore }.Max();
                host.NextStart = start + settings.MinDelayPerHost;
                wait = start - now;
            }
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, timeProvider, cancellationToken);
            }
            return new Slot(host.Connections);
        }
        catch
        {
            host.Connections.Release();
            throw;
        }
    }

    /// <summary>The site asked for a pause (Retry-After): no request to it before then, within the configured longest wait.</summary>
    public void PauseUntil(Uri address, DateTimeOffset until)
    {
        var host = _hosts.GetOrAdd(address.Authority, _ => new Host(options.Value.MaxConnectionsPerHost));
        var longest = timeProvider.GetUtcNow() + options.Value.LongestRetryAfter;
        lock (host.Gate)
        {
            host.NotBefore = new[] { host.NotBefore, until < longest ? until : longest }.Max();
        }
    }

    /// <summary>When the host may next be asked (for the feed's health record and tests).</summary>
    public DateTimeOffset NotBefore(Uri address) => _hosts.TryGetValue(address.Authority, out var host) ? host.NotBefore : DateTimeOffset.MinValue;

    private sealed class Slot(SemaphoreSlim connections) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                connections.Release();
            }
        }
    }
}
