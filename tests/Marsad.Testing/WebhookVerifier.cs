using System.Security.Cryptography;
using System.Text;

namespace Marsad.Testing;

/// <summary>
/// A webhook receiver's check, as docs tell receivers to write it: the timestamped signature compared in constant
/// time, the timestamp within five minutes of the receiver's clock, and each delivery id taken once.
/// </summary>
public sealed class WebhookVerifier(string secret, TimeProvider clock)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    private readonly HashSet<string> _seen = [];

    /// <summary>Null when the delivery is to be taken; otherwise why it is refused.</summary>
    public string? Refusal(string body, string? timestamp, string? deliveryId, string? signature)
    {
        if (!long.TryParse(timestamp, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
        {
            return "no timestamp";
        }
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{seconds}.{body}")));
        if (signature is null || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature)))
        {
            return "bad signature";
        }
        if ((clock.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > Window)
        {
            return "outside the window";
        }
        if (string.IsNullOrEmpty(deliveryId) || !_seen.Add(deliveryId))
        {
            return "already taken";
        }
        return null;
    }
}
