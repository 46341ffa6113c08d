using System.Collections.Concurrent;
using System.Text;
using Marsad.Hosting;
using Microsoft.Extensions.Options;
using Marsad.Feeds;

namespace Marsad.Fetcher;

/// <summary>
/// A site's robots.txt rules for Marsad (RFC 9309): the group naming Marsad's product token, else the <c>*</c> group;
/// the longest matching Allow or Disallow path wins, Allow on a tie; <c>*</c> and <c>$</c> as the RFC says.
/// </summary>
public sealed class RobotsRules
{
    public static readonly RobotsRules AllowAll = new([]);
    public static readonly RobotsRules DisallowAll = new([(false, "/")]);

    private readonly IReadOnlyList<(bool Allow, string Path)> _rules;

    private RobotsRules(IReadOnlyList<(bool Allow, string Path)> rules) => _rules = rules;

    public static RobotsRules Parse(string text, string productToken)
    {
        var groups = new List<(List<string> Agents, List<(bool, string)> Rules)>();
        (List<string> Agents, List<(bool, string)> Rules)? current = null;
        var lastWasAgent = false;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Split('#')[0].Trim();
            var colon = line.IndexOf(':');
            if (colon <= 0)
            {
                continue;
            }
            var key = line[..colon].Trim().ToLowerInvariant();
            var value = line[(colon + 1)..].Trim();
            if (key == "user-agent")
            {
                if (current is null || !lastWasAgent)
                {
                    current = ([], []);
                    groups.Add(current.Value);
                }
                current.Value.Agents.Add(value.ToLowerInvariant());
                lastWasAgent = true;
                continue;
            }
            lastWasAgent = false;
            if (current is not null && key is "allow" or "disallow" && value.Length > 0)
            {
                current.Value.Rules.Add((key == "allow", value));
            }
        }
        var token = productToken.ToLowerInvariant();
        var own = groups.Where(group => group.Agents.Contains(token)).SelectMany(group => group.Rules).ToList();
        return new RobotsRules(own.Count > 0 || groups.Any(group => group.Agents.Contains(token))
            ? own
            : groups.Where(group => group.Agents.Contains("*")).SelectMany(group => group.Rules).ToList());
    }

    public bool Allows(Uri address)
    {
        var path = address.PathAndQuery;
        var best = _rules.Where(rule => Matches(rule.Path, path))
            .OrderByDescending(rule => rule.Path.Length).ThenByDescending(rule => rule.Allow)
            .Select(rule => (bool?)rule.Allow).FirstOrDefault();
        return best ?? true;
    }

    private static bool Matches(string pattern, string path)
    {
        var anchored = pattern.EndsWith('$');
        var parts = (anchored ? pattern[..^1] : pattern).Split('*');
        if (!path.StartsWith(parts[0], StringComparison.Ordinal))
        {
            return false;
        }
        var position = parts[0].Length;
        for (var i = 1; i < parts.Length; i++)
        {
            var found = path.IndexOf(parts[i], position, StringComparison.Ordinal);
            if (found < 0)
            {
                return false;
            }
            position = found + parts[i].Length;
        }
        return !anchored || position == path.Length || (parts.Length > 1 && path.EndsWith(parts[^1], StringComparison.Ordinal));
    }
}

/// <summary>
/// Each site's robots.txt, fetched once a day through the same client and politeness as everything else. A missing
/// file (4xx) allows everything; a site whose robots.txt fails (5xx, unreachable) is treated as disallowing
/// everything until the next try, as RFC 9309 says, an hour later.
/// </summary>
public sealed class RobotsCache(IHttpClientFactory httpClientFactory, HostPoliteness politeness, IOptions<FetcherOptions> options, TimeProvider timeProvider)
{
    private static readonly TimeSpan KeepFor = TimeSpan.FromDays(1);
    private static readonly TimeSpan AfterFailure = TimeSpan.FromHours(1);
    private readonly ConcurrentDictionary<string, (RobotsRules Rules, DateTimeOffset Until)> _sites = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Marsad's product token in robots.txt: the User-Agent's first word (Marsad/1.0 → marsad).</summary>
    public string ProductToken => options.Value.Product.Split('/')[0];

    public async Task<bool> AllowsAsync(Uri address, CancellationToken cancellationToken)
    {
        var site = address.GetLeftPart(UriPartial.Authority);
        if (!_sites.TryGetValue(site, out var known) || known.Until <= timeProvider.GetUtcNow())
        {
            known = await FetchAsync(new Uri(site + "/robots.txt"), cancellationToken);
            _sites[site] = known;
        }
        return known.Rules.Allows(address);
    }

    private async Task<(RobotsRules, DateTimeOffset)> FetchAsync(Uri robots, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        try
        {
            using var turn = await politeness.EnterAsync(robots, cancellationToken);
            using var response = await httpClientFactory.CreateClient(ContentFetcher.HttpClientName).GetAsync(robots, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                // 500 KiB is what RFC 9309 asks crawlers to read at least; more is not read.
                var text = Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, 512 * 1024));
                return (RobotsRules.Parse(text, ProductToken), now + KeepFor);
            }
            return (int)response.StatusCode is >= 400 and < 500 ? (RobotsRules.AllowAll, now + KeepFor) : (RobotsRules.DisallowAll, now + AfterFailure);
        }
        catch (HttpRequestException e) when ((e as OutboundAddressRefusedException ?? e.InnerException as OutboundAddressRefusedException) is not null)
        {
            // The site itself is refused by the address guard: the request that follows says so, not robots.txt.
            return (RobotsRules.AllowAll, now + AfterFailure);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or Polly.Timeout.TimeoutRejectedException && !cancellationToken.IsCancellationRequested)
        {
            return (RobotsRules.DisallowAll, now + AfterFailure);
        }
    }
}
