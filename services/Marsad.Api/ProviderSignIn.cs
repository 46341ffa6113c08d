using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using Marsad.Hosting.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;

namespace Marsad.Api;

/// <summary>
/// The page's sign-in through the team's identity provider: OpenID Connect's authorization code flow with PKCE,
/// exchanged here rather than in the page (the page talks to this api only, and a confidential client's secret
/// stays on the server). The provider's access token becomes the page's session cookie, validated on every request
/// as any bearer token is; the session ends when the token expires.
/// </summary>
public static class ProviderSignIn
{
    private const string FlowCookie = "marsad_oidc";
    private const string CallbackPath = "/api/session/oidc/callback";

    public static void MapProviderSignIn(this RouteGroupBuilder session)
    {
        session.MapGet("/providers", (IOptions<AccessOptions> access) =>
            TypedResults.Ok(new { oidc = access.Value.Oidc.OffersPageSignIn ? new { name = access.Value.Oidc.DisplayName } : null }))
            .AllowAnonymous();
        session.MapGet("/oidc/start", StartAsync).AllowAnonymous();
        session.MapGet("/oidc/callback", CallbackAsync).AllowAnonymous();
    }

    private static async Task<IResult> StartAsync(HttpContext context, IOptions<AccessOptions> access, IOptionsMonitor<JwtBearerOptions> jwt)
    {
        var oidc = access.Value.Oidc;
        if (!oidc.OffersPageSignIn)
        {
            return TypedResults.Problem("No identity provider is configured for the page (Auth:Oidc:Authority and Auth:Oidc:ClientId).", statusCode: StatusCodes.Status404NotFound);
        }
        var provider = await jwt.Get(MarsadAccess.TokenScheme).ConfigurationManager!.GetConfigurationAsync(context.RequestAborted);
        var state = ApiKeyStore.Base64Url(RandomNumberGenerator.GetBytes(16));
        var verifier = ApiKeyStore.Base64Url(RandomNumberGenerator.GetBytes(32));
        // Lax, not Strict: it must come back with the provider's redirect, a navigation from another site.
        context.Response.Cookies.Append(FlowCookie, $"{state}.{verifier}", new CookieOptions
        {
            HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = context.Request.IsHttps, Path = CallbackPath, MaxAge = TimeSpan.FromMinutes(10),
        });
        var query = new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = oidc.ClientId,
            ["redirect_uri"] = RedirectUri(context, oidc),
            ["scope"] = oidc.Scope,
            ["state"] = state,
            ["code_challenge"] = ApiKeyStore.Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))),
            ["code_challenge_method"] = "S256",
        };
        return TypedResults.Redirect(Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(provider.AuthorizationEndpoint, query));
    }

    private static async Task<IResult> CallbackAsync(
        HttpContext context, string? code, string? state, string? error, IOptions<AccessOptions> access, IOptionsMonitor<JwtBearerOptions> jwt,
        IHttpClientFactory http, ILoggerFactory loggers)
    {
        var oidc = access.Value.Oidc;
        var flow = context.Request.Cookies[FlowCookie]?.Split('.', 2);
        context.Response.Cookies.Delete(FlowCookie, new CookieOptions { Path = CallbackPath });
        if (!oidc.OffersPageSignIn || error is not null || code is null || state is null || flow is not { Length: 2 }
            || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(state), Encoding.ASCII.GetBytes(flow[0])))
        {
            return Back(error is null ? "The sign-in did not come back as it was sent; try again." : $"The identity provider refused: {error}");
        }
        var provider = await jwt.Get(MarsadAccess.TokenScheme).ConfigurationManager!.GetConfigurationAsync(context.RequestAborted);
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = RedirectUri(context, oidc),
            ["client_id"] = oidc.ClientId!,
            ["code_verifier"] = flow[1],
        };
        if (oidc.ClientSecret is { Length: > 0 } secret)
        {
            form["client_secret"] = secret;
        }
        TokenResponse? tokens;
        try
        {
            using var response = await http.CreateClient(nameof(ProviderSignIn)).PostAsync(provider.TokenEndpoint, new FormUrlEncodedContent(form), context.RequestAborted);
            tokens = response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<TokenResponse>(context.RequestAborted) : null;
        }
        catch (Exception e) when (e is HttpRequestException or System.Text.Json.JsonException or TaskCanceledException)
        {
            loggers.CreateLogger(typeof(ProviderSignIn)).LogWarning("The identity provider's token endpoint failed: {Error}", e.Message);
            tokens = null;
        }
        if (tokens?.AccessToken is not { Length: > 0 } token)
        {
            return Back("The identity provider gave no token for this sign-in.");
        }
        // Checked as every later request will check it, so a token Marsad would refuse is refused now, with the reason.
        context.Request.Headers.Authorization = "Bearer " + token;
        var checkedToken = await context.AuthenticateAsync(MarsadAccess.TokenScheme);
        if (!checkedToken.Succeeded || checkedToken.Principal.Caller() is null)
        {
            return Back(checkedToken.Failure?.Message ?? "The token grants no Marsad role.");
        }
        context.Response.Cookies.Append(MarsadAccess.SessionCookie, token, new CookieOptions
        {
            HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = context.Request.IsHttps, Path = "/",
            MaxAge = tokens.ExpiresIn is > 0 and var seconds ? TimeSpan.FromSeconds(seconds) : SessionEndpoints.SessionLifetime,
        });
        return TypedResults.Redirect("/");
    }

    private static IResult Back(string problem) => TypedResults.Redirect("/?signin-error=" + Uri.EscapeDataString(problem));

    private static string RedirectUri(HttpContext context, OidcOptions oidc) =>
        oidc.RedirectUri?.AbsoluteUri ?? $"{context.Request.Scheme}://{context.Request.Host}{CallbackPath}";

    private sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string? AccessToken,
        [property: JsonPropertyName("expires_in")] int? ExpiresIn);
}
