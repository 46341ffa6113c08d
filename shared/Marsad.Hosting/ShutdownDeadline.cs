using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Marsad.Hosting;

/// <summary>
/// Cancelled <see cref="MarsadOptions.ShutdownTimeout"/> after the host begins to stop: work under way may finish
/// until then, and nothing may start or go on after it. MassTransit cancels the consumers it is running at that
/// moment, but the in-memory transport then hands out what was still queued (thousands of feed fetches after an
/// OPML import), each with a token of its own that nothing cancels: a SIGTERM took minutes.
/// </summary>
public sealed class ShutdownDeadline : IDisposable
{
    private readonly CancellationTokenSource _deadline = new();
    private readonly CancellationTokenRegistration _stopping;

    public ShutdownDeadline(IHostApplicationLifetime lifetime, IOptions<MarsadOptions> options) =>
        _stopping = lifetime.ApplicationStopping.Register(() => _deadline.CancelAfter(options.Value.ShutdownTimeout));

    public CancellationToken Token => _deadline.Token;

    public bool Passed => _deadline.IsCancellationRequested;

    public void Dispose()
    {
        _stopping.Dispose();
        _deadline.Dispose();
    }
}
