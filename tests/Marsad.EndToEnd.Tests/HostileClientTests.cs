using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Marsad.Testing;

namespace Marsad.EndToEnd.Tests;

/// <summary>
/// Requests a hostile or careless client sends, replayed against the real processes (<c>./marsad run</c>, and the
/// api service on its own): each gets a 4xx, never a 5xx, and the process is still alive and serving search after.
/// Every one of these once crashed, hung or starved a process, or was taken when it should not have been.
/// </summary>
[Trait(Needs.Trait, Needs.Processes)]
public sealed class HostileClientTests
{
    public static TheoryData<string> Hosts => new() { "run", "api" };

    [Theory]
    [MemberData(nameof(Hosts))]
    public async Task Every_probe_gets_a_4xx_and_the_process_still_serves_search_after(string host)
    {
        using var data = new TemporaryDirectory();
        Assert.Equal(0, (await ProcessRunner.MarsadAsync(["run", "--once", "--feeds", Path.Combine(RepoPaths.Samples, "feeds"), "--data", data.Path])).ExitCode);
        var address = new Uri($"http://127.0.0.1:{ServiceProbe.FreePort()}/");
        string[] arguments = host == "run"
            ? ["run", "--data", data.Path, "--urls", address.AbsoluteUri.TrimEnd('/')]
            : ["run", "--service", "api", "--data", data.Path, "--urls", address.AbsoluteUri.TrimEnd('/')];
        await using var marsad = RunningProcess.StartMarsad(host, arguments, new Dictionary<string, string>());
        await ServiceProbe.WaitUntilReadyAsync(marsad, address, TimeSpan.FromSeconds(90));
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };

        var created = await http.PostAsJsonAsync("api/subscriptions", new { name = "NATO", query = "الناتو", email = "desk@example.org" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("subscription").GetProperty("id").GetString()!;

        var nested50k = new string('(', 50_000) + "الناتو" + new string(')', 50_000);
        var nested2k = new string('(', 2_000) + "ا" + new string(')', 2_000);
        var nested40 = new string('(', 40) + "الناتو" + new string(')', 40);
        var megabyteOfOrs = string.Join(" OR ", Enumerable.Range(0, 90_000).Select(i => $"w{i}"));
        var probes = new (string Name, Func<Task<HttpResponseMessage>> Send, HttpStatusCode Expected)[]
        {
            ("a subscription nested 50,000 deep", () => http.PostAsJsonAsync("api/subscriptions", new { name = "deep", query = nested50k }), HttpStatusCode.BadRequest),
            ("a subscription nested 2,000 deep within the length", () => http.PostAsJsonAsync("api/subscriptions", new { name = "deep", query = nested2k }), HttpStatusCode.BadRequest),
            ("a search nested 40 deep", () => http.GetAsync("api/search?q=" + Uri.EscapeDataString(nested40)), HttpStatusCode.BadRequest),
            ("a live search nested 40 deep", () => http.GetAsync("api/live?q=" + Uri.EscapeDataString(nested40)), HttpStatusCode.BadRequest),
            ("a search URL of 12,000 characters", () => http.GetAsync("api/search?q=" + Uri.EscapeDataString(nested2k)), HttpStatusCode.RequestUriTooLong),
            ("page 1,000,000 of 100", () => http.GetAsync("api/search?q=*&page=1000000&size=100"), HttpStatusCode.BadRequest),
            ("page int.MaxValue", () => http.GetAsync("api/search?q=*&page=2147483647"), HttpStatusCode.BadRequest),
            ("a page number past int", () => http.GetAsync("api/search?q=*&page=99999999999"), HttpStatusCode.BadRequest),
            ("the ends of the calendar", () => http.GetAsync("api/search?q=*&from=0001-01-01&to=9999-12-31"), HttpStatusCode.OK),
            ("a one-letter wildcard", () => http.GetAsync("api/search?q=" + Uri.EscapeDataString("ا*")), HttpStatusCode.BadRequest),
            ("a range over the text", () => http.GetAsync("api/search?q=" + Uri.EscapeDataString("text:[a TO z]")), HttpStatusCode.BadRequest),
            ("a regular expression", () => http.GetAsync("api/search?q=" + Uri.EscapeDataString("/.*.*.*/")), HttpStatusCode.BadRequest),
            ("900 KB of ORs", () => http.PostAsJsonAsync("api/subscriptions", new { name = "ors", query = megabyteOfOrs }), HttpStatusCode.BadRequest),
            // Sent as a well-behaved client sends a large body (asking first), so the refusal is read rather than cut off.
            ("a 10 MB name", () => Send(HttpMethod.Post, "api/subscriptions", request =>
            {
                request.Content = new StringContent(JsonSerializer.Serialize(new { name = new string('x', 10_000_000), query = "الناتو" }), Encoding.UTF8, "application/json");
                request.Headers.ExpectContinue = true;
            }), HttpStatusCode.RequestEntityTooLarge),
            ("a 300-character name", () => http.PostAsJsonAsync("api/subscriptions", new { name = new string('x', 300), query = "الناتو" }), HttpStatusCode.BadRequest),
            ("a header folded into a changed e-mail", () => http.PatchAsJsonAsync($"api/subscriptions/{id}", new { email = "not an address\r\nBcc: spy@example.org" }), HttpStatusCode.BadRequest),
            ("two addresses as a changed e-mail", () => http.PatchAsJsonAsync($"api/subscriptions/{id}", new { email = "a@example.org, spy@example.org" }), HttpStatusCode.BadRequest),
            ("a new subscription's folded e-mail", () => http.PostAsJsonAsync("api/subscriptions", new { name = "x", query = "الناتو", email = "x@example.org\r\nBcc: spy@example.org" }), HttpStatusCode.BadRequest),
            ("malformed JSON", () => http.PostAsync("api/subscriptions", new StringContent("{\"name\":", Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest),
            ("a subscription as a form", () => http.PostAsync("api/subscriptions", new FormUrlEncodedContent([new("name", "x"), new("query", "y")])), HttpStatusCode.UnsupportedMediaType),
            ("an OPML list as text/plain (a cross-site form)", () => http.PostAsync("api/feeds/import", new StringContent("<opml version=\"2.0\"><body><outline xmlUrl=\"https://example.org/rss\"/></body></opml>", Encoding.UTF8, "text/plain")), HttpStatusCode.UnsupportedMediaType),
            ("another host name (DNS rebinding)", () => Send(HttpMethod.Get, "api/search?q=x", request => request.Headers.Host = "attacker.example"), HttpStatusCode.BadRequest),
            ("a malformed date", () => http.GetAsync("api/search?q=*&from=yesterday"), HttpStatusCode.BadRequest),
        };

        Task<HttpResponseMessage> Send(HttpMethod method, string path, Action<HttpRequestMessage> change)
        {
            var request = new HttpRequestMessage(method, path);
            change(request);
            return http.SendAsync(request);
        }

        var answers = new List<string>();
        foreach (var (name, send, expected) in probes)
        {
            using var response = await send();
            answers.Add($"{name}: {(int)response.StatusCode}");
            Assert.True(response.StatusCode == expected, $"{name}: expected {(int)expected}, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}\n{marsad.Output}");
            Assert.False(marsad.HasExited, $"the process died after: {name}\n{marsad.Output}");
        }

        // Still alive and still searching, and nothing a probe sent was stored.
        var search = await http.GetFromJsonAsync<JsonElement>("api/search?q=" + Uri.EscapeDataString("الناتو"));
        Assert.True(search.GetProperty("total").GetInt64() > 0, string.Join('\n', answers));
        var stored = await http.GetFromJsonAsync<JsonElement>("api/subscriptions");
        var only = Assert.Single(stored.EnumerateArray());
        Assert.Equal("desk@example.org", only.GetProperty("email").GetString());
    }

    [Fact]
    public async Task A_process_bound_beyond_loopback_with_no_key_or_provider_exits_with_a_clear_message()
    {
        using var data = new TemporaryDirectory();
        var port = ServiceProbe.FreePort();
        var refused = await ProcessRunner.MarsadAsync(["run", "--service", "api", "--data", data.Path, "--urls", $"http://0.0.0.0:{port}"], TimeSpan.FromMinutes(2));
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("no API key and no identity provider", refused.StandardError, StringComparison.Ordinal);
        Assert.Contains("./marsad keys add", refused.StandardError, StringComparison.Ordinal);
    }
}
