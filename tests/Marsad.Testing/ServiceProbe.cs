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

    /// <summary>Waits until <c>/health/ready</c> answers 200 (bus connected, endpoints declared, store answering), or fails with the process's output.</summary>
    public static Task WaitUntilReadyAsync(RunningProcess process, Uri baseAddress, TimeSpan timeout) =>
        WaitUntilOkAsync(process, new Uri(baseAddress, "health/ready"), timeout);

    /// <summary>Waits until <c>/health/live</c> answers 200: the process is up, whatever its broker and store.</summary>
    public static Task WaitUntilLiveAsync(RunningProcess process, Uri baseAddress, TimeSpan timeout) =>
        WaitUntilOkAsync(process, new Uri(baseAddress, "health/live"), timeout);

    private static async Task WaitUntilOkAsync(RunningProcess process, Uri health, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = "no answer";
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{process.Name} exited before it was ready:\n{process.Output}");
            }
            try
            {
                using var response = await Http.GetAsync(health);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
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
        throw new TimeoutException($"{process.Name}'s {health.AbsolutePath} was not 200 within {timeout} (last: {last}):\n{process.Output}");
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
