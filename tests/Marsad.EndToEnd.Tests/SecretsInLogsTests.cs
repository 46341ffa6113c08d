using System.Collections.Concurrent;
using System.Text;
using Marsad.Testing;

namespace Marsad.EndToEnd.Tests;

/// <summary>
/// A webhook's address is a credential (Slack's and Teams' carry their token in the path): a run that delivers to
/// one leaves no trace of its path, neither on the console with HttpClient's logging turned all the way up nor in
/// the logs and spans exported over OTLP.
/// </summary>
[Trait(Needs.Trait, Needs.Processes)]
public sealed class SecretsInLogsTests
{
    private const string Token = "XyZ0webhookTOKEN9sEcReT";

    [Fact]
    public async Task A_run_that_delivers_to_a_webhook_logs_and_exports_its_host_but_never_its_path()
    {
        using var data = new TemporaryDirectory();
        var delivered = new ConcurrentQueue<string>();
        var exported = new ConcurrentQueue<(string Path, byte[] Body)>();
        await using var receiver = await LocalHttpServer.StartAsync(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            if (context.Request.Path.StartsWithSegments("/services"))
            {
                delivered.Enqueue(context.Request.Path.Value!);
            }
            else
            {
                exported.Enqueue((context.Request.Path.Value!, body.ToArray()));
            }
            context.Response.StatusCode = 200;
            return true;
        });
        var webhook = new Uri(receiver.BaseAddress, $"services/T0001/B0002/{Token}").AbsoluteUri;
        var added = await ProcessRunner.MarsadAsync(["alerts", "add", "--name", "NATO", "--query", "الناتو", "--webhook", webhook, "--data", data.Path]);
        Assert.True(added.ExitCode == 0, added.StandardError);

        var run = await ProcessRunner.MarsadAsync(
            ["run", "--once", "--feeds", Path.Combine(RepoPaths.Samples, "feeds"), "--data", data.Path],
            environment: new Dictionary<string, string>
            {
                ["MARSAD__Fetcher__AllowLoopback"] = "true",
                ["MARSAD__Outbound__AllowedNetworks__0"] = "127.0.0.0/8",
                // Everything HttpClient and Marsad's own request logging would say.
                ["MARSAD__Logging__LogLevel__System.Net.Http"] = "Trace",
                ["MARSAD__Logging__LogLevel__Marsad"] = "Debug",
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.BaseAddress.AbsoluteUri.TrimEnd('/'),
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            });
        Assert.True(run.ExitCode == 0, run.StandardError);

        Assert.Contains(delivered, path => path.EndsWith(Token, StringComparison.Ordinal));
        var console = run.StandardOutput + run.StandardError;
        // The request was logged, by host only...
        Assert.Contains($"POST {receiver.BaseAddress.Scheme}://{receiver.BaseAddress.Authority}/…", console, StringComparison.Ordinal);
        // ...and neither its token nor any part of its path anywhere.
        Assert.DoesNotContain(Token, console, StringComparison.Ordinal);
        Assert.DoesNotContain("T0001/B0002", console, StringComparison.Ordinal);
        Assert.Contains(exported, export => export.Path == "/v1/traces");
        Assert.Contains(exported, export => export.Path == "/v1/logs");
        foreach (var (path, body) in exported)
        {
            var text = Encoding.UTF8.GetString(body);
            Assert.False(text.Contains(Token, StringComparison.Ordinal) || text.Contains("T0001/B0002", StringComparison.Ordinal), $"the webhook's path was exported to {path}");
        }
    }
}
