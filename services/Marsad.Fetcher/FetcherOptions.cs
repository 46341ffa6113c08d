using System.ComponentModel.DataAnnotations;

namespace Marsad.Fetcher;

public sealed class FetcherOptions
{
    public const string Section = "Fetcher";

    /// <summary>Lets the fetcher reach 127.0.0.0/8 and ::1. Off by default; tests and local replays turn it on.</summary>
    public bool AllowLoopback { get; set; }

    /// <summary>Lets the fetcher reach private (RFC 1918, ULA) and link-local addresses, for feeds on an intranet.</summary>
    public bool AllowPrivateNetworks { get; set; }

    [Required]
    public string UserAgent { get; set; } = "Marsad/1.0 (+https://github.com/marsad-news/marsad)";

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(5);

    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    [Range(1024, 100 * 1024 * 1024)]
    public int MaxFeedBytes { get; set; } = 10 * 1024 * 1024;

    [Range(1024, 100 * 1024 * 1024)]
    public int MaxPageBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>Requests to one site (host and port) at the same time, across all its feeds and pages.</summary>
    [Range(1, 64)]
    public int MaxConnectionsPerHost { get; set; } = 2;

    /// <summary>The least time between the starts of two requests to one site.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan MinDelayPerHost { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest pause a site's Retry-After is granted (a site asking for a week is asked again sooner).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan LongestRetryAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Article pages of one feed fetched at the same time.</summary>
    [Range(1, 64)]
    public int PageConcurrency { get; set; } = 4;
}
