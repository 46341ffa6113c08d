using System.Net;
using System.Net.Sockets;
using System.Text.Json;
namespace Marsad.Testing;

/// <summary>Ports, readiness and searches against Marsad processes started by a test.</summary>
public static class ServiceProbe
{
    public static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Waits until <c>/health/ready</c> answers 200 (bus connected, endpoints declared), or fails with the process's output.</summary>
    public static async Task WaitUntilReadyAsync(RunningProcess process, Uri baseAddress, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{process.Name} exited before it was ready:\n{process.Output}");
            }
            try
            {
                using var response = await Http.GetAsync(new Uri(baseAddress, "health/ready"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Slow to answer while starting.
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"{process.Name} was not ready within {timeout}:\n{process.Output}");
    }

    /// <summary>Searches the api until <paramref name="until"/> holds for the response, or the time runs out.</summary>
    public static async Task<JsonElement> SearchUntilAsync(Uri api, string query, Func<JsonElement, bool> until, TimeSpan timeout, Func<string> diagnostics)
    {
        var deadline = DateTime.UtcNow + timeout;
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var json = await Http.GetStringAsync(new Uri(api, "api/search?q=" + Uri.EscapeDataString(query)));
                last = JsonDocument.Parse(json).RootElement.Clone();
                if (until(last))
                {
                    return last;
                }
            }
            catch (HttpRequestException)
            {
                // The api is not up yet.
            }
            await Task.Delay(300);
        }
        throw new TimeoutException($"Search for '{query}' did not give the expected result within {timeout}. Last response: {last}\n{diagnostics()}");
    }
}
