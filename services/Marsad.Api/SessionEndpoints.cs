using System.Security.Claims;
using Marsad.Hosting.Access;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Marsad.Api;

/// <summary>
/// The web page's sign-in: a key given once becomes an HttpOnly, SameSite=Strict cookie, so the page's script never
/// holds it and no other site's page can send it. Programs send the key on each request instead.
/// </summary>
public static class SessionEndpoints
{
    public sealed record SignIn(string? Key);

    /// <summary>Who is signed in, what they may do, and whether a provider's sign-in exists (for the page).</summary>
    public sealed record SessionView(string Name, MarsadRole Role, bool Anonymous);

    /// <summary>How long the page stays signed in without being used again.</summary>
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(12);

    public static RouteGroupBuilder MapSessionApi(this IEndpointRouteBuilder endpoints)
    {
        var session = endpoints.MapGroup("/api/session");
        session.MapGet("", (ClaimsPrincipal user) =>
        {
            var caller = user.Caller()!;
            return TypedResults.Ok(new SessionView(caller.Name, caller.Role, user.Identity?.AuthenticationType == MarsadAccess.AnonymousIdentity));
        }).RequireAuthorization(MarsadPolicies.Reader);
        session.MapPost("", async Task<Results<Ok<SessionView>, ProblemHttpResult>> (SignIn request, HttpContext context, ApiKeyStore keys, CancellationToken cancellationToken) =>
        {
            if (request.Key is not { Length: > 0 and <= 256 } key || await keys.FindAsync(key.Trim(), cancellationToken) is not { } caller)
            {
                return TypedResults.Problem("That key is unknown or was revoked.", statusCode: StatusCodes.Status401Unauthorized, title: "Not signed in");
            }
            context.Response.Cookies.Append(MarsadAccess.SessionCookie, key.Trim(), new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                // Behind a TLS proxy the api hears plain HTTP; the proxy's word can only make the cookie stricter.
                Secure = context.Request.IsHttps || context.Request.Headers["X-Forwarded-Proto"] == "https",
                Path = "/",
                MaxAge = SessionLifetime,
            });
            return TypedResults.Ok(new SessionView(caller.Name, caller.Role, false));
        }).AllowAnonymous();
        session.MapDelete("", (HttpContext context) =>
        {
            context.Response.Cookies.Delete(MarsadAccess.SessionCookie, new CookieOptions { Path = "/", SameSite = SameSiteMode.Strict, Secure = context.Request.IsHttps });
            return TypedResults.NoContent();
        }).AllowAnonymous();
        session.MapProviderSignIn();
        return session;
    }
}
