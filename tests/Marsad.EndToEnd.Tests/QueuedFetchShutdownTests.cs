using System.Text;
using Marsad.Testing;
using Microsoft.AspNetCore.Http;

namespace Marsad.EndToEnd.Tests;

/// <summary>
/// SIGTERM to <c>./marsad run</c> right after an OPML import of 2,000 feeds on a site that answers slowly: thousands
/// of fetches are queued in the embedded bus and several are under way. It stops within its shutdown timeout (it
/// took over a minute with 5 s, and over three with the default), and nothing left undone is failed or journaled.
/// </summary>
[Trait(Needs.Trait, Needs.Processes)]
public sealed class QueuedFetchShutdownTests
{
    [Fact]
    public async Task Sigterm_after_a_2000_feed_import_stops_within_the_shutdown_timeout()
    {
        using var data = new TemporaryDirectory();
        var requests = 0;
        await using var site = await LocalHttpServer.StartAsync(async context =>
        {
            Interlocked.Increment(ref requests);
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(20), context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return true;
            }
            context.Response.ContentType = "application/rss+xml";
            await context.Response.WriteAsync("""<rss version="2.0"><channel><title>t</title></channel></rss>""");
            return true;
        });
        var address = new Uri($"http://127.0.0.1:{ServiceProbe.FreePort()}/");
        await using var marsad = RunningProcess.StartMarsad("run", ["run", "--data", data.Path, "--urls", address.AbsoluteUri.TrimEnd('/')], new Dictionary<string, string>
        {
            ["MARSAD__Fetcher__AllowLoopback"] = "true",
            ["MARSAD__ShutdownTimeout"] = "00:00:03",
        });
        await ServiceProbe.WaitUntilReadyAsync(marsad, address, TimeSpan.FromSeconds(90));

        var opml = "<opml version=\"2.0\"><body>"
            + string.Concat(Enumerable.Range(0, 2_000).Select(i => $"<outline xmlUrl=\"{new Uri(site.BaseAddress, $"feed-{i}.xml").AbsoluteUri}\"/>"))
            + "</body></opml>";
        using (var imported = await ServiceProbe.Http.PostAsync(new Uri(address, "api/feeds/import"), new StringContent(opml, Encoding.UTF8, "text/x-opml")))
        {
            Assert.Equal(System.Net.HttpStatusCode.Created, imported.StatusCode);
        }
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (Volatile.Read(ref requests) == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        Assert.True(Volatile.Read(ref requests) > 0, $"no fetch reached the site\n{marsad.Output}");

        var exitCode = await marsad.TerminateAsync(TimeSpan.FromSeconds(30));
        Assert.True(exitCode is not null, $"still running 30 s after SIGTERM with a 3 s shutdown timeout\n{marsad.Output[^Math.Min(marsad.Output.Length, 4000)..]}");
        var errors = Path.Combine(data.Path, "errors.json");
        Assert.False(File.Exists(errors) && File.ReadAllText(errors).Contains("fetch-feed", StringComparison.Ordinal),
            "fetches stopped at shutdown were journaled as faults");
    }
}
