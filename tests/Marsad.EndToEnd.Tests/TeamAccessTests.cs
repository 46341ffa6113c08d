using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Marsad.Testing;

namespace Marsad.EndToEnd.Tests;

/// <summary>
/// Marsad as a desk shares it: keys made with <c>./marsad keys add</c>, the api service on its own, and each role
/// allowed and refused what it says, through the HTTP API as any client (or the page) sends it.
/// </summary>
[Trait(Needs.Trait, Needs.Processes)]
public sealed class TeamAccessTests : IAsyncLifetime
{
    private readonly TemporaryDirectory _data = new();
    private RunningProcess _api = null!;
    private Uri _address = null!;
    private readonly Dictionary<string, string> _keys = [];

    public async Task InitializeAsync()
    {
        foreach (var (name, role) in new[] { ("amira", "admin"), ("omar", "editor"), ("layla", "editor"), ("sami", "reader"), ("gone", "editor") })
        {
            var made = await ProcessRunner.MarsadAsync(["keys", "add", "--name", name, "--role", role, "--data", _data.Path]);
            Assert.True(made.ExitCode == 0, made.StandardError);
            _keys[name] = made.StandardOutput.Trim();
        }
        var listed = JsonDocument.Parse((await ProcessRunner.MarsadAsync(["keys", "list", "--json", "--data", _data.Path])).StandardOutput).RootElement;
        var gone = listed.EnumerateArray().Single(key => key.GetProperty("name").GetString() == "gone").GetProperty("id").GetString()!;
        Assert.Equal(0, (await ProcessRunner.MarsadAsync(["keys", "revoke", gone, "--data", _data.Path])).ExitCode);

        _address = new Uri($"http://127.0.0.1:{ServiceProbe.FreePort()}/");
        _api = RunningProcess.StartMarsad("api", ["run", "--service", "api", "--data", _data.Path, "--urls", _address.AbsoluteUri.TrimEnd('/')], new Dictionary<string, string>());
        await ServiceProbe.WaitUntilReadyAsync(_api, _address, TimeSpan.FromSeconds(90));
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        _data.Dispose();
    }

    private HttpClient As(string? who)
    {
        var http = new HttpClient { BaseAddress = _address, Timeout = TimeSpan.FromSeconds(30) };
        if (who is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _keys[who]);
        }
        return http;
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient http, HttpMethod method, string path, object? body = null, string? contentType = null)
    {
        using var request = new HttpRequestMessage(method, path)
        {
            Content = body is string text ? new StringContent(text, Encoding.UTF8, contentType ?? "application/json") : body is null ? null : JsonContent.Create(body),
        };
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    private const string Opml = "<opml version=\"2.0\"><body><outline xmlUrl=\"https://example.org/rss\"/></body></opml>";

    [Fact]
    public async Task Anonymous_callers_get_401_on_every_protected_route_and_only_the_probes_and_the_page_answer_them()
    {
        using var anonymous = As(null);
        var protectedRoutes = new (HttpMethod Method, string Path, object? Body)[]
        {
            (HttpMethod.Get, "api/search?q=x", null),
            (HttpMethod.Get, "api/live?q=x", null),
            (HttpMethod.Get, "api/session", null),
            (HttpMethod.Get, "api/subscriptions", null),
            (HttpMethod.Post, "api/subscriptions", new { name = "x", query = "y" }),
            (HttpMethod.Patch, "api/subscriptions/abc", new { enabled = false }),
            (HttpMethod.Delete, "api/subscriptions/abc", null),
            (HttpMethod.Get, "api/subscriptions/abc/alerts", null),
            (HttpMethod.Get, "api/feeds", null),
            (HttpMethod.Post, "api/feeds", new { url = "https://example.org/rss" }),
            (HttpMethod.Patch, "api/feeds/abc", new { paused = true }),
            (HttpMethod.Delete, "api/feeds/abc", null),
            (HttpMethod.Get, "metrics", null),
            (HttpMethod.Get, "api/no-such-route", null),
        };
        foreach (var (method, path, body) in protectedRoutes)
        {
            Assert.True(await StatusAsync(anonymous, method, path, body) == HttpStatusCode.Unauthorized, $"{method} {path} answered an anonymous caller");
        }
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(anonymous, HttpMethod.Post, "api/feeds/import", Opml, "text/x-opml"));

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(anonymous, HttpMethod.Get, "health/live"));
        using var ready = await anonymous.GetAsync("health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        // A probe learns whether it is ready, not the addresses and errors behind it.
        Assert.DoesNotContain("\"description\":\"", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(anonymous, HttpMethod.Get, ""));

        // A revoked key, a made-up one and a malformed one are nobody.
        foreach (var key in new[] { _keys["gone"], "mk_00000000_" + new string('A', 43), "not-a-key" })
        {
            using var http = new HttpClient { BaseAddress = _address };
            http.DefaultRequestHeaders.Add("X-Api-Key", key);
            Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(http, HttpMethod.Get, "api/search?q=x"));
        }
    }

    [Fact]
    public async Task Each_role_is_allowed_and_refused_what_it_says()
    {
        using var reader = As("sami");
        using var editor = As("omar");
        using var admin = As("amira");

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(reader, HttpMethod.Get, "api/search?q=x"));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(reader, HttpMethod.Get, "api/subscriptions"));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(reader, HttpMethod.Post, "api/subscriptions", new { name = "x", query = "الناتو" }));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(reader, HttpMethod.Get, "api/feeds"));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(reader, HttpMethod.Get, "metrics"));

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(editor, HttpMethod.Get, "api/search?q=x"));
        Assert.Equal(HttpStatusCode.Created, await StatusAsync(editor, HttpMethod.Post, "api/subscriptions", new { name = "Oil", query = "النفط" }));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(editor, HttpMethod.Get, "api/feeds"));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(editor, HttpMethod.Post, "api/feeds/import", Opml, "text/x-opml"));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(editor, HttpMethod.Get, "metrics"));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(editor, HttpMethod.Post, "api/subscriptions", new { name = "x", query = "الناتو", owner = "layla" }));

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(admin, HttpMethod.Get, "api/feeds"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(admin, HttpMethod.Get, "metrics"));
        Assert.Equal(HttpStatusCode.Created, await StatusAsync(admin, HttpMethod.Post, "api/subscriptions", new { name = "For Layla", query = "الناتو", owner = "layla" }));

        var session = await reader.GetFromJsonAsync<JsonElement>("api/session");
        Assert.Equal("sami", session.GetProperty("name").GetString());
        Assert.Equal("Reader", session.GetProperty("role").GetString());
        Assert.False(session.GetProperty("anonymous").GetBoolean());
    }

    [Fact]
    public async Task An_editor_cannot_see_change_or_delete_another_s_subscription_and_owns_what_they_make()
    {
        using var omar = As("omar");
        using var layla = As("layla");
        using var admin = As("amira");
        var created = await omar.PostAsJsonAsync("api/subscriptions", new { name = "Omar's NATO", query = "الناتو", email = "omar@example.org", webhook = "https://hooks.example.org/services/T0/B0/omars-token" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement;
        var id = body.GetProperty("subscription").GetProperty("id").GetString()!;
        var firstSecret = body.GetProperty("secret").GetString()!;
        Assert.Equal("omar", body.GetProperty("subscription").GetProperty("owner").GetString());

        var laylas = await layla.GetStringAsync("api/subscriptions");
        Assert.DoesNotContain(id, laylas, StringComparison.Ordinal);
        Assert.DoesNotContain("omar@example.org", laylas, StringComparison.Ordinal);
        Assert.DoesNotContain("omars-token", laylas, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(layla, HttpMethod.Patch, $"api/subscriptions/{id}", new { webhook = "https://attacker.example/hook" }));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(layla, HttpMethod.Delete, $"api/subscriptions/{id}"));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(layla, HttpMethod.Get, $"api/subscriptions/{id}/alerts"));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(omar, HttpMethod.Patch, $"api/subscriptions/{id}", new { owner = "layla" }));

        // Still Omar's, unchanged; the admin sees it among everyone's.
        var mine = await omar.GetFromJsonAsync<JsonElement>("api/subscriptions");
        Assert.Equal("https://hooks.example.org/services/T0/B0/omars-token", Assert.Single(mine.EnumerateArray()).GetProperty("webhook").GetString());
        Assert.Contains(id, await admin.GetStringAsync("api/subscriptions"), StringComparison.Ordinal);

        // A new receiver gets a new secret, shown once, in the answer to the change.
        var moved = await omar.PatchAsJsonAsync($"api/subscriptions/{id}", new { webhook = "https://hooks.example.org/services/T0/B0/new-token" });
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        var newSecret = JsonDocument.Parse(await moved.Content.ReadAsStringAsync()).RootElement.GetProperty("secret").GetString()!;
        Assert.Equal(64, newSecret.Length);
        Assert.NotEqual(firstSecret, newSecret);
        var paused = JsonDocument.Parse(await (await omar.PatchAsJsonAsync($"api/subscriptions/{id}", new { enabled = false })).Content.ReadAsStringAsync()).RootElement;
        Assert.False(paused.TryGetProperty("secret", out _), "a change that keeps the address keeps the secret, and does not show it");
        Assert.DoesNotContain(newSecret, await omar.GetStringAsync("api/subscriptions"), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NoContent, await StatusAsync(omar, HttpMethod.Delete, $"api/subscriptions/{id}"));
    }

    [Fact]
    public async Task The_page_signs_in_with_a_key_into_an_http_only_strict_cookie_and_out_again()
    {
        var cookies = new CookieContainer();
        using var handler = new HttpClientHandler { CookieContainer = cookies };
        using var page = new HttpClient(handler) { BaseAddress = _address };

        Assert.Equal(HttpStatusCode.Unauthorized, (await page.PostAsJsonAsync("api/session", new { key = "mk_wrong_key" })).StatusCode);
        using var signedIn = await page.PostAsJsonAsync("api/session", new { key = _keys["omar"] });
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        var setCookie = string.Join('\n', signedIn.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);

        Assert.Equal("omar", (await page.GetFromJsonAsync<JsonElement>("api/session")).GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.OK, (await page.GetAsync("api/subscriptions")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await page.DeleteAsync("api/session")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await page.GetAsync("api/session")).StatusCode);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void The_data_folder_is_the_owner_s_alone_and_the_key_file_holds_no_key()
    {
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_data.Path));
        var keys = Path.Combine(_data.Path, "keys.json");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keys));
        var stored = File.ReadAllText(keys);
        foreach (var key in _keys.Values)
        {
            Assert.DoesNotContain(key, stored, StringComparison.Ordinal);
        }
    }
}
