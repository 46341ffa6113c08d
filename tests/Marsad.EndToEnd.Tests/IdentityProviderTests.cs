using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Marsad.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Marsad.EndToEnd.Tests;

/// <summary>
/// A team's identity provider, played by a real OpenID Connect discovery document and signing-key set served on
/// loopback: the api service validates its bearer tokens, takes the role and the owner's name from their claims, and
/// refuses a token it did not issue, an expired one, one for another audience and one that grants no Marsad role.
/// </summary>
public sealed class IdentityProviderTests : IAsyncLifetime
{
    private readonly TemporaryDirectory _data = new();
    private readonly RSA _signingKey = RSA.Create(2048);
    private LocalHttpServer _provider = null!;
    private RunningProcess _api = null!;
    private Uri _address = null!;
    private string _issuer = null!;

    public async Task InitializeAsync()
    {
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(_signingKey.ExportParameters(false)) { KeyId = "test-key" });
        _provider = await LocalHttpServer.StartAsync();
        _issuer = _provider.BaseAddress.AbsoluteUri.TrimEnd('/');
        _provider.Put("/.well-known/openid-configuration", ServedResource.Text(
            JsonSerializer.Serialize(new Dictionary<string, object> { ["issuer"] = _issuer, ["jwks_uri"] = _issuer + "/jwks" }), "application/json"));
        _provider.Put("/jwks", ServedResource.Text(
            JsonSerializer.Serialize(new { keys = new[] { new { kty = jwk.Kty, use = "sig", alg = "RS256", kid = jwk.Kid, n = jwk.N, e = jwk.E } } }), "application/json"));

        _address = new Uri($"http://127.0.0.1:{ServiceProbe.FreePort()}/");
        _api = RunningProcess.StartMarsad("api", ["run", "--service", "api", "--data", _data.Path, "--urls", _address.AbsoluteUri.TrimEnd('/')], new Dictionary<string, string>
        {
            ["MARSAD__Auth__Oidc__Authority"] = _issuer,
            ["MARSAD__Auth__Oidc__Audience"] = "marsad",
            // The provider is on loopback over plain HTTP; a real one is HTTPS, which is the default.
            ["MARSAD__Auth__Oidc__RequireHttpsMetadata"] = "false",
        });
        await ServiceProbe.WaitUntilReadyAsync(_api, _address, TimeSpan.FromSeconds(90));
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        await _provider.DisposeAsync();
        _signingKey.Dispose();
        _data.Dispose();
    }

    private string Token(string user, string[] roles, string audience = "marsad", TimeSpan? lifetime = null, RSA? signedWith = null)
    {
        var now = DateTime.UtcNow;
        var claims = new List<Claim> { new("preferred_username", user), new("sub", "id-" + user) };
        claims.AddRange(roles.Select(role => new Claim("roles", role)));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _issuer,
            Audience = audience,
            Subject = new ClaimsIdentity(claims),
            NotBefore = now.AddMinutes(-10),
            IssuedAt = now.AddMinutes(-10),
            Expires = now + (lifetime ?? TimeSpan.FromMinutes(30)),
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(signedWith ?? _signingKey) { KeyId = "test-key" }, SecurityAlgorithms.RsaSha256),
        });
    }

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
}
