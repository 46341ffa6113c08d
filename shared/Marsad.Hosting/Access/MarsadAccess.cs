using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Marsad.Hosting.Access;

/// <summary>The authorization policies routes name: the least role a route needs.</summary>
public static class MarsadPolicies
{
    public const string Reader = "reader";
    public const string Editor = "editor";
    public const string Admin = "admin";
}

/// <summary>
/// Sign-in and roles for every Marsad process that serves HTTP. A caller presents an API key (<c>Authorization:
/// Bearer mk_…</c>, <c>X-Api-Key</c>, or the web page's session cookie) or, where an identity provider is configured,
/// its bearer token. A process that listens only on loopback and has neither keys nor a provider lets anyone on the
/// machine in as <see cref="Caller.Local"/> and says so at start; one that listens further refuses to start.
/// </summary>
public static class MarsadAccess
{
    public const string SessionCookie = "marsad_session";
    public const string ApiKeyHeader = "X-Api-Key";

    /// <summary>The authentication type of a caller let in without credentials (loopback only, no keys yet).</summary>
    public const string AnonymousIdentity = "anonymous";

    /// <summary>The names a request may use for this process when <c>AllowedHosts</c> is not set (DNS rebinding gets a 400).</summary>
    public const string LoopbackHosts = "localhost;127.0.0.1;[::1]";

    private const string Scheme = "marsad";
    private const string KeyScheme = "api-key";

    /// <summary>The scheme that validates an identity provider's tokens (when one is configured).</summary>
    public const string TokenScheme = "oidc";
    private const string NameClaim = "marsad:name";
    private const string RoleClaim = "marsad:role";

    public static IHostApplicationBuilder AddMarsadAccess(this IHostApplicationBuilder builder)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration["AllowedHosts"]))
        {
            builder.Configuration.AddInMemoryCollection([new("AllowedHosts", LoopbackHosts)]);
        }
        builder.Services.AddOptions<AccessOptions>().Bind(builder.Configuration.GetSection(AccessOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ApiKeyStore>();
        builder.Services.AddSingleton<AnonymousAccess>();
        builder.Services.AddHostedService<AccessGuard>();

        var oidc = builder.Configuration.GetSection(AccessOptions.Section).Get<AccessOptions>()?.Oidc ?? new OidcOptions();
        var authentication = builder.Services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, null, scheme => scheme.ForwardDefaultSelector = context =>
                oidc.Authority is { Length: > 0 } && ProviderToken(context.Request) is not null ? TokenScheme : KeyScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(KeyScheme, null);
        if (oidc.Authority is { Length: > 0 })
        {
            authentication.AddJwtBearer(TokenScheme, jwt =>
            {
                jwt.Authority = oidc.Authority;
                jwt.Audience = oidc.Audience;
                jwt.RequireHttpsMetadata = oidc.RequireHttpsMetadata;
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters.NameClaimType = oidc.NameClaim;
                jwt.TokenValidationParameters.RoleClaimType = oidc.RoleClaim;
                jwt.Events = new JwtBearerEvents
                {
                    // The page signed in through the provider holds its token in the session cookie, not a header.
                    OnMessageReceived = context =>
                    {
                        context.Token ??= ProviderToken(context.Request);
                        return Task.CompletedTask;
                    },
                    // The provider's role names become Marsad's one role (the highest it grants); none, no access.
                    OnTokenValidated = context =>
                    {
                        var principal = context.Principal!;
                        var role = principal.FindAll(oidc.RoleClaim).Select(claim => ParseRole(claim.Value)).Max();
                        var name = principal.FindFirst(oidc.NameClaim)?.Value ?? principal.FindFirst("sub")?.Value;
                        if (role is null || string.IsNullOrWhiteSpace(name))
                        {
                            context.Fail($"The token names no Marsad role in '{oidc.RoleClaim}' or no user in '{oidc.NameClaim}'.");
                            return Task.CompletedTask;
                        }
                        principal.AddIdentity(Identity(new Caller(name, role.Value), TokenScheme));
                        return Task.CompletedTask;
                    },
                };
            });
        }
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(MarsadPolicies.Reader, policy => policy.RequireAssertion(context => context.User.Caller() is not null))
            .AddPolicy(MarsadPolicies.Editor, policy => policy.RequireAssertion(context => context.User.Caller()?.Role >= MarsadRole.Editor))
            .AddPolicy(MarsadPolicies.Admin, policy => policy.RequireAssertion(context => context.User.Caller()?.Role >= MarsadRole.Admin))
            // A route that names no policy is still for signed-in callers only: nothing is open by omission.
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAssertion(context => context.User.Caller() is not null).Build());
        return builder;
    }

    /// <summary>Authentication and authorization, once per host, after the static page (which the sign-in form is part of).</summary>
    public static WebApplication UseMarsadAccess(this WebApplication app)
    {
        if (((IApplicationBuilder)app).Properties.TryAdd(nameof(UseMarsadAccess), true))
        {
            app.UseAuthentication();
            app.UseAuthorization();
        }
        return app;
    }

    /// <summary>Who made this request, or null for nobody signed in.</summary>
    public static Caller? Caller(this ClaimsPrincipal user) =>
        user.FindFirst(RoleClaim) is { } role && Enum.TryParse<MarsadRole>(role.Value, out var parsed) && user.FindFirst(NameClaim) is { } name
            ? new Caller(name.Value, parsed)
            : null;

    internal static ClaimsIdentity Identity(Caller caller, string scheme) =>
        new([new Claim(NameClaim, caller.Name), new Claim(RoleClaim, caller.Role.ToString()), new Claim(ClaimTypes.Name, caller.Name)], scheme, ClaimTypes.Name, RoleClaim);

    /// <summary><c>admin</c>, <c>Admin</c>, <c>marsad-admin</c> or <c>marsad.admin</c>; anything else is no Marsad role.</summary>
    public static MarsadRole? ParseRole(string value)
    {
        var name = value.StartsWith("marsad-", StringComparison.OrdinalIgnoreCase) || value.StartsWith("marsad.", StringComparison.OrdinalIgnoreCase) ? value[7..] : value;
        return Enum.TryParse<MarsadRole>(name, ignoreCase: true, out var role) && Enum.IsDefined(role) && !int.TryParse(name, out _) ? role : null;
    }

    internal static string? BearerToken(HttpRequest request) =>
        request.Headers.Authorization.ToString() is { } header && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;

    /// <summary>A provider's token: a bearer token that is not a Marsad key, or else a session cookie that holds one.</summary>
    internal static string? ProviderToken(HttpRequest request) =>
        BearerToken(request) is { } bearer
            ? bearer.StartsWith(ApiKeyStore.Prefix, StringComparison.Ordinal) ? null : bearer
            : request.Headers[ApiKeyHeader].Count == 0 && request.Cookies[SessionCookie] is { Length: > 0 } cookie && !cookie.StartsWith(ApiKeyStore.Prefix, StringComparison.Ordinal)
                ? cookie
                : null;

    internal static string? PresentedKey(HttpRequest request) =>
        BearerToken(request) is { } bearer && bearer.StartsWith(ApiKeyStore.Prefix, StringComparison.Ordinal) ? bearer
        : request.Headers[ApiKeyHeader].ToString() is { Length: > 0 } header ? header
        : request.Cookies[SessionCookie] is { Length: > 0 } cookie ? cookie
        : null;
}

/// <summary>Whether this process may serve callers who present nothing: only while it listens on loopback alone and no key or identity provider exists.</summary>
public sealed class AnonymousAccess(ApiKeyStore keys, IOptions<AccessOptions> access, IServiceProvider services)
{
    public async Task<bool> AllowedAsync(CancellationToken cancellationToken) =>
        !access.Value.HasIdentityProvider && ListensOnLoopbackOnly() && !await keys.AnyActiveAsync(cancellationToken);

    /// <summary>The addresses this process serves HTTP on (none before it starts, or in an in-process test server).</summary>
    public IReadOnlyCollection<string> Addresses() =>
        services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];

    public bool ListensOnLoopbackOnly() => Addresses().All(IsLoopback);

    public static bool IsLoopback(string address)
    {
        var host = BindingAddress.Parse(address).Host.Trim('[', ']');
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
    }
}

internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyStore keys, AnonymousAccess anonymous)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (MarsadAccess.PresentedKey(Request) is { } presented)
        {
            return await keys.FindAsync(presented, Context.RequestAborted) is { } caller
                ? Success(caller)
                : AuthenticateResult.Fail("The API key is unknown or was revoked.");
        }
        return await anonymous.AllowedAsync(Context.RequestAborted) ? Success(Caller.Local, MarsadAccess.AnonymousIdentity) : AuthenticateResult.NoResult();
    }

    private AuthenticateResult Success(Caller caller, string? identity = null) =>
        AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(MarsadAccess.Identity(caller, identity ?? Scheme.Name)), Scheme.Name));
}

/// <summary>
/// Refuses to run a process that anyone on the network could use, once its addresses are known, and says loudly
/// when a loopback-only process lets anyone on the machine in.
/// </summary>
internal sealed class AccessGuard(AnonymousAccess anonymous, ApiKeyStore keys, IOptions<AccessOptions> access, ILogger<AccessGuard> logger) : IHostedLifecycleService
{
    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        var addresses = anonymous.Addresses();
        if (addresses.Count == 0)
        {
            return;
        }
        if (access.Value.HasIdentityProvider || await keys.AnyActiveAsync(cancellationToken))
        {
            return;
        }
        if (!anonymous.ListensOnLoopbackOnly())
        {
            var message = $"Marsad listens on {string.Join(", ", addresses)} but has no API key and no identity provider, so anyone who can reach it could read and change everything. "
                + "Add a key (./marsad keys add --name NAME --role admin), configure Auth:Oidc:Authority, or listen on 127.0.0.1 only (--urls http://127.0.0.1:5080).";
            logger.LogCritical("{Refusal}", message);
            throw new InvalidOperationException(message);
        }
        logger.LogWarning(
            "Anyone on this machine can use Marsad at {Addresses} without signing in, as an admin: there is no API key yet. Add one (./marsad keys add --name NAME --role admin) and every caller must sign in.",
            string.Join(", ", addresses));
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
