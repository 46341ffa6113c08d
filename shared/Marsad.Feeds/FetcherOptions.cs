using System.ComponentModel.DataAnnotations;

namespace Marsad.Feeds;

public sealed class FetcherOptions : IValidatableObject
{
    public const string Section = "Fetcher";

    /// <summary>Lets the fetcher reach 127.0.0.0/8 and ::1. Off by default; tests and local replays turn it on.</summary>
    public bool AllowLoopback { get; set; }

    /// <summary>Lets the fetcher reach private (RFC 1918, ULA) and link-local addresses, for feeds on an intranet.</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>
    /// Where the people running this Marsad can be reached (a web page or a mailto: address): sent in every request's
    /// User-Agent, so a site owner who sees the traffic can ask about it rather than block it.
    /// </summary>
    [Required]
    public string ContactUrl { get; set; } = "https://github.com/marsad-news/marsad";

    /// <summary>The product token of the User-Agent (and the name robots.txt groups are matched against).</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)?$", ErrorMessage = "Fetcher:Product is a product token such as Marsad/1.0.")]
    public string Product { get; set; } = "Marsad/1.0";

    public string UserAgent => $"{Product} (+{ContactUrl})";

    /// <summary>A new feed's polling interval; from there each feed's own adapts to how often it publishes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The shortest a feed's interval becomes, however busy the feed.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MinPollInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The longest a feed's interval becomes, however quiet the feed.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The longest pause between tries of a failing feed: it is tried at this rate for as long as it fails.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan MaxFailureBackoff { get; set; } = TimeSpan.FromHours(6);

    /// <summary>A feed that answers but has had nothing new for this long is marked stalled.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan StalledAfter { get; set; } = TimeSpan.FromDays(3);

    /// <summary>How long a claimed fetch may take before it is taken for lost (its fetcher died) and claimed again.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan FetchLease { get; set; } = TimeSpan.FromMinutes(5);

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

    /// <summary>
    /// New items handed on per fetch of one feed, newest first; a feed listing more (an archive dump of 10,000
    /// items) is worked through over the next polls rather than in one go.
    /// </summary>
    [Range(1, 100_000)]
    public int MaxItemsPerFetch { get; set; } = 500;

    /// <summary>
    /// The address at which WebSub hubs can reach this Marsad's fetcher (its <c>/websub/…</c> callbacks), e.g.
    /// <c>https://marsad.example.org</c>. Unset (the default): no WebSub, every feed is polled.
    /// </summary>
    public string? PublicUrl { get; set; }

    /// <summary>The lease asked of WebSub hubs; the subscription is renewed a day before it ends.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "30.00:00:00")]
    public TimeSpan WebSubLease { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Article pages of one feed fetched at the same time.</summary>
    [Range(1, 64)]
    public int PageConcurrency { get; set; } = 4;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Uri.TryCreate(ContactUrl, UriKind.Absolute, out var contact) || contact.Scheme is not ("http" or "https" or "mailto"))
        {
            yield return new ValidationResult($"Fetcher:ContactUrl '{ContactUrl}' is not an http(s) or mailto: address.", [nameof(ContactUrl)]);
        }
        if (PublicUrl is { Length: > 0 } && (!Uri.TryCreate(PublicUrl, UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https")))
        {
            yield return new ValidationResult($"Fetcher:PublicUrl '{PublicUrl}' is not an http(s) address.", [nameof(PublicUrl)]);
        }
    }
}
