using Marsad.Hosting;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Marsad.Testing;

/// <summary>
/// A service's consumers on MassTransit's test harness (its in-memory bus, with every message it sees recorded),
/// over the service's own registrations and Marsad's defaults, in a data folder of the test's own.
/// </summary>
public sealed class ConsumerHarness : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly TemporaryDirectory _data;

    private ConsumerHarness(IHost host, TemporaryDirectory data) => (_host, _data, Harness) = (host, data, host.Services.GetRequiredService<ITestHarness>());

    public ITestHarness Harness { get; }

    public IServiceProvider Services => _host.Services;

    public string DataDir => _data.Path;

    /// <param name="register">The service's registrations (AddParser, AddFetcher…), as its wiring makes them.</param>
    /// <param name="consumers">The service's consumers, as its wiring adds them to the bus.</param>
    public static async Task<ConsumerHarness> StartAsync(
        Action<IHostApplicationBuilder> register, Action<IBusRegistrationConfigurator> consumers, IDictionary<string, string?>? settings = null)
    {
        var data = new TemporaryDirectory();
        var builder = Host.CreateApplicationBuilder();
        builder.AddMarsadDefaults("harness", new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>()) { ["DataDir"] = data.Path });
        register(builder);
        builder.Services.AddMassTransitTestHarness(bus =>
        {
            bus.DisableUsageTelemetry();
            consumers(bus);
        });
        var host = builder.Build();
        await host.StartAsync();
        return new ConsumerHarness(host, data);
    }

    /// <summary>
    /// The first message of this type published, waiting for it up to <paramref name="timeout"/>: a consumer that
    /// awaits I/O (a fetch) can leave the harness idle for a moment before it publishes.
    /// </summary>
    public async Task<T> PublishedAsync<T>(TimeSpan timeout)
        where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (Harness.Published.Select<T>().FirstOrDefault() is { } published)
            {
                return published.Context.Message;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No {typeof(T).Name} was published within {timeout}.");
            }
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        _data.Dispose();
    }
}
