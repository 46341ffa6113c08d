using System.ComponentModel.DataAnnotations;

namespace Marsad.Hosting.Access;

/// <summary>Who may use a Marsad process over HTTP: API keys, an OpenID Connect identity provider, or (on loopback only) anyone.</summary>
public sealed class AccessOptions
{
    public const string Section = "Auth";

    /// <summary>
    /// Keys given by configuration rather than by <c>./marsad keys add</c> (a container's first admin, from an
    /// <c>.env</c> file): the SHA-256 of the key only, never the key.
    /// </summary>
    public List<ConfiguredKey> Keys { get; set; } = [];

    public OidcOptions Oidc { get; set; } = new();

    public bool HasIdentityProvider => !string.IsNullOrWhiteSpace(Oidc.Authority);
}

public sealed class ConfiguredKey
{
    [Required]
    public string Name { get; set; } = "";

    public MarsadRole Role { get; set; } = MarsadRole.Reader;

    /// <summary>Hex SHA-256 of the whole key (<c>mk_…</c>), as <c>./marsad keys hash</c> prints it.</summary>
    [Required, RegularExpression("^[0-9a-fA-F]{64}$")]
    public string Sha256 { get; set; } = "";
}

/// <summary>Bearer tokens from a team's identity provider (Keycloak, Entra ID, Auth0…), validated against its published keys.</summary>
public sealed class OidcOptions
{
    /// <summary>The issuer, e.g. <c>https://id.example.org/realms/newsroom</c>; its discovery document gives the signing keys.</summary>
    public string? Authority { get; set; }

    /// <summary>The audience tokens must be issued for (the api's client id at the provider).</summary>
    public string? Audience { get; set; }

    /// <summary>The claim that lists the caller's roles; values <c>reader</c>, <c>editor</c>, <c>admin</c> (or <c>marsad-…</c>).</summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>The claim that names the caller (subscriptions' owner).</summary>
    public string NameClaim { get; set; } = "preferred_username";

    /// <summary>Off only for a provider on loopback in tests.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>The web page's client at the provider; set, the page offers "sign in with" it (authorization code flow with PKCE).</summary>
    public string? ClientId { get; set; }

    /// <summary>For a confidential client; a public one (PKCE only) has none.</summary>
    public string? ClientSecret { get; set; }

    public string Scope { get; set; } = "openid profile";

    /// <summary>What the page's button says: the provider's name as the team knows it.</summary>
    public string DisplayName { get; set; } = "identity provider";

    /// <summary>
    /// Where the provider sends people back, as registered with it; unset, this api's own
    /// <c>/api/session/oidc/callback</c> at the address the browser used (set it behind a TLS proxy).
    /// </summary>
    public Uri? RedirectUri { get; set; }

    public bool OffersPageSignIn => !string.IsNullOrWhiteSpace(Authority) && !string.IsNullOrWhiteSpace(ClientId);
}

/// <summary>What a caller may do; each role may do everything the one before it may.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<MarsadRole>))]
public enum MarsadRole
{
    /// <summary>Search and live search.</summary>
    Reader,

    /// <summary>Also their own alert subscriptions.</summary>
    Editor,

    /// <summary>Also feeds, everyone's subscriptions, error queues, keys and <c>/metrics</c>.</summary>
    Admin,
}
