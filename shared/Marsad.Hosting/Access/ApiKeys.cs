using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Marsad.Hosting.Access;

/// <summary>An API key as it is kept: its SHA-256 only. The key itself is shown once, when it is made.</summary>
public sealed record ApiKey
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required MarsadRole Role { get; init; }
    public required string Sha256 { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? RevokedAt { get; init; }

    public bool Active => RevokedAt is null;
}

/// <summary>
/// API keys: <c>keys.json</c> in the data folder (mode 0600), written by <c>./marsad keys</c> and read by every
/// process that serves HTTP, plus those configuration names (<see cref="AccessOptions.Keys"/>). A key is
/// <c>mk_&lt;id&gt;_&lt;43 random characters&gt;</c>: 256 bits, so a plain SHA-256 is as good as a slow hash, and
/// the id finds the record without comparing against every hash.
/// </summary>
public sealed class ApiKeyStore(IOptions<MarsadOptions> marsad, IOptions<AccessOptions> access, TimeProvider clock)
{
    public const string Prefix = "mk_";
    public const int MaxNameLength = 200;

    private readonly JsonListFile<ApiKey> _file = new(Path.Combine(marsad.Value.DataDir, "keys.json"));

    public Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken) => _file.ReadAsync(cancellationToken);

    /// <summary>Whether any key would be accepted now: while none is, a loopback-only process may serve anonymous callers.</summary>
    public async Task<bool> AnyActiveAsync(CancellationToken cancellationToken) =>
        access.Value.Keys.Count > 0 || (await ListAsync(cancellationToken)).Any(key => key.Active);

    /// <summary>Makes a key; the second item is the key itself, which nothing keeps.</summary>
    public async Task<(ApiKey Key, string Secret)> AddAsync(string name, MarsadRole role, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength || name.Any(char.IsControl))
        {
            throw new ArgumentException($"A key needs a name of 1 to {MaxNameLength} printable characters (the person or desk it is for).", nameof(name));
        }
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var secret = $"{Prefix}{id}_{Base64Url(RandomNumberGenerator.GetBytes(32))}";
        var key = new ApiKey { Id = id, Name = name.Trim(), Role = role, Sha256 = Hash(secret), CreatedAt = clock.GetUtcNow() };
        await _file.UpdateAsync(keys =>
        {
            keys.Add(key);
            return (true, true);
        }, cancellationToken);
        return (key, secret);
    }

    /// <summary>Revokes the key with this id; false when there is no such active key.</summary>
    public Task<bool> RevokeAsync(string id, CancellationToken cancellationToken) =>
        _file.UpdateAsync(keys =>
        {
            var index = keys.FindIndex(key => key.Id == id && key.Active);
            if (index < 0)
            {
                return (false, false);
            }
            keys[index] = keys[index] with { RevokedAt = clock.GetUtcNow() };
            return (true, true);
        }, cancellationToken);

    /// <summary>The caller a key belongs to, or null for a key that is unknown, revoked or malformed.</summary>
    public async Task<Caller?> FindAsync(string secret, CancellationToken cancellationToken)
    {
        var hash = Convert.FromHexString(Hash(secret));
        foreach (var configured in access.Value.Keys)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, Convert.FromHexString(configured.Sha256)))
            {
                return new Caller(configured.Name, configured.Role);
            }
        }
        var id = secret.StartsWith(Prefix, StringComparison.Ordinal) && secret.IndexOf('_', Prefix.Length) is > 0 and var end ? secret[Prefix.Length..end] : null;
        foreach (var key in await ListAsync(cancellationToken))
        {
            if (key.Id == id && key.Active && CryptographicOperations.FixedTimeEquals(hash, Convert.FromHexString(key.Sha256)))
            {
                return new Caller(key.Name, key.Role);
            }
        }
        return null;
    }

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Bytes as URL-safe base64 without padding (RFC 4648 §5): keys, PKCE verifiers and challenges.</summary>
    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>Who is asking: a name (what their subscriptions are owned by) and a role.</summary>
public sealed record Caller(string Name, MarsadRole Role)
{
    /// <summary>The caller of a loopback-only process with no keys and no identity provider: the machine's own user.</summary>
    public static readonly Caller Local = new("local", MarsadRole.Admin);

    public bool IsAdmin => Role == MarsadRole.Admin;
}
