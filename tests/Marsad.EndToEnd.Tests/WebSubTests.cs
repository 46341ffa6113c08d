using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Marsad.Testing;
using Microsoft.AspNetCore.Http;

namespace Marsad.EndToEnd.Tests;

/// <summary>
/// A feed that names a WebSub hub: Marsad subscribes, answers the hub's check, and indexes what the hub pushes within
/// seconds, without polling again; a push with a forged signature is ignored. The hub is a real HTTP server on
/// loopback doing what the W3C recommendation says a hub does.
/// </summary>
[Trait(Needs.Trait, Needs.Processes)]
public sealed class WebSubTests : IAsyncLifetime
{
    private readonly TemporaryDirectory _data = new();
    private readonly ConcurrentQueue<string> _hubLog = new();
    private readonly TaskCompletionSource<(Uri Callback, string Topic, string Secret)> _verified = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private LocalHttpServer _site = null!;
    private LocalHttpServer _hub = null!;

    public async Task InitializeAsync()
    {
        _site = await LocalHttpServer.StartAsync();
        _hub = await LocalHttpServer.StartAsync(HubAsync);
    }

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        await _site.DisposeAsync();
        _data.Dispose();
    }

    // The hub: takes the subscription (202), then checks intent at the callback with a challenge, as WebSub §5.3 says.
    private async Task<bool> HubAsync(HttpContext context)
    {
        if (context.Request.Path != "/hub" || context.Request.Method != "POST")
        {
            return false;
        }
        var form = await context.Request.ReadFormAsync();
        _hubLog.Enqueue($"{form["hub.mode"]} {form["hub.topic"]} → {form["hub.callback"]} (lease {form["hub.lease_seconds"]})");
        var callback = new Uri(form["hub.callback"]!);
        var topic = form["hub.topic"].ToString();
        var secret = form["hub.secret"].ToString();
        context.Response.StatusCode = StatusCodes.Status202Accepted;
        _ = Task.Run(async () =>
        {
            var challenge = Guid.NewGuid().ToString("N");
            using var http = new HttpClient();
            var check = new Uri($"{callback}?hub.mode=subscribe&hub.topic={Uri.EscapeDataString(topic)}&hub.challenge={challenge}&hub.lease_seconds=86400");
            using var answer = await http.GetAsync(check);
            var echoed = await answer.Content.ReadAsStringAsync();
            _hubLog.Enqueue($"check {(int)answer.StatusCode} {(echoed == challenge ? "challenge echoed" : "challenge NOT echoed: " + echoed)}");
            if (answer.IsSuccessStatusCode && echoed == challenge)
            {
                _verified.TrySetResult((callback, topic, secret));
            }
        });
        return true;
    }

    private string Feed(params int[] items) => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>مدفوع</title>
          <atom:link rel="hub" href="{new Uri(_hub.BaseAddress, "hub")}"/>
          <atom:link rel="self" href="{new Uri(_site.BaseAddress, "feed.xml")}"/>
          {string.Concat(items.Select(item => $"<item><title>خبر {item}</title><link>/page{item}.html</link></item>"))}
        </channel></rss>
        """;

    [Fact]
    public async Task Updates_a_hub_pushes_are_indexed_in_seconds_without_polling_and_forged_pushes_are_ignored()
    {
        var page = await File.ReadAllBytesAsync(Path.Combine(RepoPaths.Samples, "pages", "nato-ukraine-ar.html"));
        foreach (var item in new[] { 1, 2, 3 })
        {
            _site.Put($"/page{item}.html", new ServedResource(page, "text/html; charset=utf-8"));
        }
        _site.Put("/feed.xml", ServedResource.Text(Feed(1), "application/rss+xml; charset=utf-8"));

        var address = new Uri($"http://127.0.0.1:{ServiceProbe.FreePort()}/");
        await using var marsad = RunningProcess.StartMarsad("run",
            ["run", "--data", _data.Path, "--urls", address.AbsoluteUri.TrimEnd('/'), "--feeds", new Uri(_site.BaseAddress, "feed.xml").AbsoluteUri],
            new Dictionary<string, string>
            {
                ["MARSAD__Fetcher__AllowLoopback"] = "true",
                ["MARSAD__Fetcher__PublicUrl"] = address.AbsoluteUri,
                // Polled once, at the start; an hour before the next poll, so what arrives later was pushed.
                ["MARSAD__Fetcher__PollInterval"] = "01:00:00",
                ["MARSAD__Fetcher__MinPollInterval"] = "01:00:00",
            });
        await ServiceProbe.WaitUntilReadyAsync(marsad, address, TimeSpan.FromSeconds(60));
        string Diagnostics() => $"hub: {string.Join("; ", _hubLog)}\n{marsad.Output}";

        await ServiceProbe.SearchUntilAsync(address, "الناتو", json => json.GetProperty("total").GetInt64() == 1, TimeSpan.FromSeconds(60), Diagnostics);
        var (callback, topic, secret) = await _verified.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(new Uri(_site.BaseAddress, "feed.xml").AbsoluteUri, topic);
        Assert.StartsWith(address.AbsoluteUri + "websub/", callback.AbsoluteUri, StringComparison.Ordinal);
        var feeds = JsonDocument.Parse(await ServiceProbe.Http.GetStringAsync(new Uri(address, "api/feeds"))).RootElement;
        Assert.Equal(new Uri(_hub.BaseAddress, "hub").AbsoluteUri, feeds[0].GetProperty("webSubHub").GetString());
        Assert.NotEqual(JsonValueKind.Null, feeds[0].GetProperty("webSubActiveUntil").ValueKind);

        // A push signed with another secret: acknowledged and ignored.
        using (var forged = await Push(callback, Feed(1, 3), "not-the-secret"))
        {
            Assert.True(forged.IsSuccessStatusCode);
        }
        // The hub's real push of the next item.
        using (var pushed = await Push(callback, Feed(1, 2), secret))
        {
            Assert.True(pushed.IsSuccessStatusCode);
        }
        var found = await ServiceProbe.SearchUntilAsync(address, "الناتو", json => json.GetProperty("total").GetInt64() == 2, TimeSpan.FromSeconds(30), Diagnostics);
        Assert.Contains(found.GetProperty("hits").EnumerateArray(), hit => hit.GetProperty("url").GetString()!.EndsWith("/page2.html", StringComparison.Ordinal));
        Assert.Equal(1, _site.RequestsTo("/feed.xml")); // nothing was polled after the first fetch
        Assert.Equal(0, _site.RequestsTo("/page3.html")); // the forged push led nowhere

        // Nor is a callback for a feed Marsad does not have confirmed to a hub.
        using var http = new HttpClient();
        using var unknown = await http.GetAsync(new Uri(address, "websub/nosuchfeed?hub.mode=subscribe&hub.topic=x&hub.challenge=y"));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, unknown.StatusCode);
    }

    private static async Task<HttpResponseMessage> Push(Uri callback, string feed, string secret)
    {
        var body = Encoding.UTF8.GetBytes(feed);
        using var http = new HttpClient();
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/rss+xml");
        content.Headers.Add("X-Hub-Signature", "sha256=" + Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body)).ToLowerInvariant());
        return await http.PostAsync(callback, content);
    }
}
