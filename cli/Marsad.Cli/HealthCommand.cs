using System.CommandLine;

namespace Marsad.Cli;

/// <summary><c>./marsad health --url URL</c>: exit 0 when a Marsad service answers ready; for container health checks.</summary>
public static class HealthCommand
{
    public static Command Create()
    {
        var url = new Option<string>("--url") { Description = "The service's address", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
        var live = new Option<bool>("--live") { Description = "Check only that the process answers (/health/live), not its broker and store" };
        var command = new Command("health", "Ask a running service whether it is ready") { url, live };
        command.SetAction(async (result, cancellationToken) =>
        {
            if (!Uri.TryCreate(result.GetValue(url), UriKind.Absolute, out var address))
            {
                throw new UsageException($"--url is not an address: '{result.GetValue(url)}'");
            }
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            try
            {
                using var response = await http.GetAsync(new Uri(address, result.GetValue(live) ? "health/live" : "health/ready"), cancellationToken);
                Console.WriteLine($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
                return response.IsSuccessStatusCode ? CliErrors.Success : CliErrors.Failure;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return CliErrors.Fail($"no answer from {address}: {e.Message}");
            }
        });
        return command;
    }
}
