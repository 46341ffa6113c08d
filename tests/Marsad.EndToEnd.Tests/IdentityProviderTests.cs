using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Marsad.Testing;

namespace Marsad.EndToEnd.Tests;

/// <summary>
/// A team's identity provider, played by <see cref="TestIdentityProvider"/> on loopback: the api service validates
/// its bearer tokens, takes the role and the owner's name from their claims, and refuses a token it did not issue, an
/// expired one, one for another audience and one that grants no Marsad role; the page signs in through it.
/// </summary>
[Trait(Needs.Trait, Needs.Processes)]
public sealed class IdentityProviderTests : IAsyncLifetime
{
    private readonly TemporaryDirectory _data = new();
    private TestIdentityProvider _provider = null!;
    private RunningProcess _api = null!;
    private Uri _address = null!;

    public async Task InitializeAsync()
    {
        _provider = await TestIdentityProvider.StartAsync();
        _address = new Uri($"http://127.0.0.1:{ServiceProbe.FreePort()}/");
        _api = RunningProcess.StartMarsad("api", ["run", "--service", "api", "--data", _data.Path, "--urls", _address.AbsoluteUri.TrimEnd('/')], new Dictionary<string, string>
        {
            ["MARSAD__Auth__Oidc__Authority"] = _provider.Issuer,
            ["MARSAD__Auth__Oidc__Audience"] = "marsad",
            ["MARSAD__Auth__Oidc__ClientId"] = "marsad-page",
            // The provider is on loopback over plain HTTP; a real one is HTTPS, which is the default.
            ["MARSAD__Auth__Oidc__RequireHttpsMetadata"] = "false",
        });
        await ServiceProbe.WaitUntilReadyAsync(_api, _address, TimeSpan.FromSeconds(90));
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        await _provider.DisposeAsync();
        _data.Dispose();
    }

    private string Token(string user, string[] roles, string audience = "marsad", TimeSpan? lifetime = null, RSA? signedWith = null) =>
        _provider.Token(user, roles, audience, lifetime, signedWith);

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string token, object? body = null)
    {
        using var http = new HttpClient { BaseAddress = _address };
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await http.SendAsync(request);
    }

    [Fact]
    public async Task The_provider_s_tokens_sign_in_with_the_role_they_grant_and_others_are_refused()
    {
        var editor = Token("hana", ["marsad-editor"]);
        using (var created = await SendAsync(HttpMethod.Post, "api/subscriptions", editor, new { name = "NATO", query = "الناتو" }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var owner = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("subscription").GetProperty("owner").GetString();
            Assert.Equal("hana", owner);
        }
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Get, "api/feeds", editor)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "api/feeds", Token("amira", ["admin", "reader"]))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "api/search?q=x", Token("sami", ["reader"]))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Get, "api/subscriptions", Token("sami", ["reader"]))).StatusCode);

        using var forged = RSA.Create(2048);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Get, "api/search?q=x", Token("mallory", ["admin"], signedWith: forged))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Get, "api/search?q=x", Token("hana", ["editor"], lifetime: TimeSpan.FromMinutes(-5)))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Get, "api/search?q=x", Token("hana", ["editor"], audience: "another-app"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Get, "api/search?q=x", Token("guest", ["viewer"]))).StatusCode);
        // With a provider configured, nobody is let in anonymously, even on loopback.
        using var anonymous = new HttpClient { BaseAddress = _address };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("api/search?q=x")).StatusCode);
    }

    [Fact]
    public async Task The_page_s_sign_in_through_the_provider_checks_state_and_pkce_and_ends_in_a_session_cookie()
    {
        var cookies = new CookieContainer();
        using var handler = new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false };
        using var browser = new HttpClient(handler) { BaseAddress = _address };
        var providers = await browser.GetFromJsonAsync<JsonElement>("api/session/providers");
        Assert.Equal("identity provider", providers.GetProperty("oidc").GetProperty("name").GetString());

        // Off to the provider, with a state and a PKCE challenge; the provider signs Hana in and sends her back.
        _provider.NextUser = ("hana", ["marsad-editor"]);
        using var start = await browser.GetAsync("api/session/oidc/start");
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        var authorize = start.Headers.Location!;
        Assert.StartsWith(_provider.Issuer + "/authorize?", authorize.AbsoluteUri, StringComparison.Ordinal);
        Assert.Contains("code_challenge_method=S256", authorize.Query, StringComparison.Ordinal);
        using var atProvider = await browser.GetAsync(authorize);
        var callback = atProvider.Headers.Location!;

        // The same callback in another browser, which did not start this sign-in (a login CSRF), is refused.
        using (var stranger = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }))
        {
            using var forged = await stranger.GetAsync(callback);
            Assert.Contains("signin-error", forged.Headers.Location!.OriginalString, StringComparison.Ordinal);
        }

        using var back = await browser.GetAsync(callback);
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        Assert.Equal("/", back.Headers.Location!.OriginalString);
        var session = await browser.GetFromJsonAsync<JsonElement>("api/session");
        Assert.Equal("hana", session.GetProperty("name").GetString());
        Assert.Equal("Editor", session.GetProperty("role").GetString());
        Assert.Equal(HttpStatusCode.Created, (await browser.PostAsJsonAsync("api/subscriptions", new { name = "x", query = "الناتو" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync("api/feeds")).StatusCode);

        // The callback used a second time in the same browser finds its flow spent, and signs nobody in.
        using var replayed = await browser.GetAsync(callback);
        Assert.Contains("signin-error", replayed.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(0, _provider.RefusedTokenRequests);
    }
}
