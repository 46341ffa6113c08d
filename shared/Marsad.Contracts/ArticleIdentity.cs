using System.Security.Cryptography;
using System.Text;

namespace Marsad.Contracts;

/// <summary>An article's id: a hash of its canonical URL, stable across fetchers, restarts and re-deliveries.</summary>
public static class ArticleIdentity
{
    public static string ForUrl(Uri canonicalUrl) => Hash(canonicalUrl.AbsoluteUri);

    public static string Hash(string value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)).AsSpan(0, 16));
}
