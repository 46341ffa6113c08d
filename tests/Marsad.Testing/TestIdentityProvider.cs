using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Marsad.Testing;

/// <summary>
/// An OpenID Connect provider on loopback, as far as Marsad uses one: a discovery document, a signing-key set, an
/// authorization endpoint that signs in <see cref="NextUser"/> at once (no login form) and a token endpoint that
/// checks the code and its PKCE verifier before it issues an RS256 access token.
/// </summary>
public sealed class TestIdentityProvider : IAsyncDisposable
{
    private readonly RSA _signingKey = RSA.Create(2048);
    private readonly ConcurrentDictionary<string, (string Challenge, string RedirectUri, string User, string[] Roles)> _codes = new();
    private LocalHttpServer _server = null!;

    public string Issuer { get; private set; } = null!;

    public string Audience { get; init; } = "marsad";

    /// <summary>Who the authorization endpoint signs in next.</summary>
    public (string User, string[] Roles) NextUser { get; set; } = ("hana", ["editor"]);

    /// <summary>Token requests refused for a wrong code, verifier or redirect.</summary>
    public int RefusedTokenRequests;

    public static async Task<TestIdentityProvider> StartAsync()
    {
        var provider = new TestIdentityProvider();
        provider._server = await LocalHttpServer.StartAsync(provider.AnswerAsync);
        provider.Issuer = provider._server.BaseAddress.AbsoluteUri.TrimEnd('/');
        return provider;
    }

    public string Token(string user, string[] roles, string? audience = null, TimeSpan? lifetime = null, RSA? signedWith = null)
    {
        var now = DateTime.UtcNow;
        var claims = new List<Claim> { new("preferred_username", user), new("sub", "id-" + user) };
        claims.AddRange(roles.Select(role => new Claim("roles", role)));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience ?? Audience,
            Subject = new ClaimsIdentity(claims),
            NotBefore = now.AddMinutes(-10),
            IssuedAt = now.AddMinutes(-10),
            Expires = now + (lifetime ?? TimeSpan.FromMinutes(30)),
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(signedWith ?? _signingKey) { KeyId = "test-key" }, SecurityAlgorithms.RsaSha256),
        });
    }

    private async Task<bool> AnswerAsync(HttpContext context)
    {
        switch (context.Request.Path.Value)
        {
            case "/.well-known/openid-configuration":
                await context.Response.WriteAsJsonAsync(new Dictionary<string, object>
                {
                    ["issuer"] = Issuer,
                    ["jwks_uri"] = Issuer + "/jwks",
                    ["authorization_endpoint"] = Issuer + "/authorize",
                    ["token_endpoint"] = Issuer + "/token",
                });
                return true;
            case "/jwks":
                var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(_signingKey.ExportParameters(false)) { KeyId = "test-key" });
                await context.Response.WriteAsJsonAsync(new { keys = new[] { new { kty = jwk.Kty, use = "sig", alg = "RS256", kid = jwk.Kid, n = jwk.N, e = jwk.E } } });
                return true;
            case "/authorize":
                var query = context.Request.Query;
                var code = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
                _codes[code] = (query["code_challenge"].ToString(), query["redirect_uri"].ToString(), NextUser.User, NextUser.Roles);
                context.Response.Redirect($"{query["redirect_uri"]}?code={code}&state={Uri.EscapeDataString(query["state"].ToString())}");
                return true;
            case "/token":
                var form = await context.Request.ReadFormAsync();
                if (!_codes.TryRemove(form["code"].ToString(), out var granted)
                    || granted.RedirectUri != form["redirect_uri"].ToString()
                    || granted.Challenge != Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(form["code_verifier"].ToString()))).TrimEnd('=').Replace('+', '-').Replace('/', '_'))
                {
                    Interlocked.Increment(ref RefusedTokenRequests);
                    context.Response.StatusCode = 400;
                    await context.Response.WriteAsJsonAsync(new { error = "invalid_grant" });
                    return true;
                }
                await context.Response.WriteAsJsonAsync(new Dictionary<string, object>
                {
                    ["access_token"] = Token(granted.User, granted.Roles), ["token_type"] = "Bearer", ["expires_in"] = 1800,
                });
                return true;
            default:
                return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _signingKey.Dispose();
    }
}
