namespace Marsad.Fetcher;

/// <summary>
/// One URL per article, whatever campaign or anchor a feed adds to its links: the canonical form is the article's
/// identity, so an article seen twice is fetched once.
/// </summary>
public static class UrlCanonicalizer
{
    // Tracking parameters that publishers and feed services append; they never change the page.
    private static readonly HashSet<string> TrackingParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        "fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "ocid", "cmpid", "_ga",
    };

    public static Uri Canonicalize(Uri url)
    {
        if (!url.IsAbsoluteUri)
        {
            throw new ArgumentException($"'{url}' is not an absolute URL.", nameof(url));
        }
        var builder = new UriBuilder(url)
        {
            Fragment = "",
            Scheme = url.Scheme.ToLowerInvariant(),
            Host = url.IdnHost.ToLowerInvariant(),
        };
        if (url.IsDefaultPort)
        {
            builder.Port = -1;
        }
        var kept = url.Query.TrimStart('?')
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(pair => !IsTracking(pair[..(pair.IndexOf('=') is var i and >= 0 ? i : pair.Length)]));
        builder.Query = string.Join('&', kept);
        return builder.Uri;
    }

    private static bool IsTracking(string name) =>
        name.StartsWith("utm_", StringComparison.OrdinalIgnoreCase) || TrackingParameters.Contains(name);
}
