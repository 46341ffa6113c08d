using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Marsad.Hosting;

/// <summary>Marsad's own activity source and meter; MassTransit's, ASP.NET Core's and HttpClient's are added beside them.</summary>
public static class MarsadTelemetry
{
    public const string Name = "Marsad";

    public static readonly ActivitySource ActivitySource = new(Name);

    private static readonly Meter Meter = new(Name);

    public static readonly Counter<long> FeedsFetched = Meter.CreateCounter<long>("marsad.feeds.fetched", description: "Feed fetches, by outcome");
    public static readonly Counter<long> ArticlesFetched = Meter.CreateCounter<long>("marsad.articles.fetched", description: "Article pages fetched");
    public static readonly Counter<long> ArticlesParsed = Meter.CreateCounter<long>("marsad.articles.parsed", description: "Articles extracted, by whether the page or the feed summary gave the text");
    public static readonly Counter<long> ArticlesClassified = Meter.CreateCounter<long>("marsad.articles.classified", description: "Articles classified, by language");
    public static readonly Counter<long> ArticlesIndexed = Meter.CreateCounter<long>("marsad.articles.indexed", description: "Articles written to the store, by outcome (indexed, already_indexed)");
    public static readonly Counter<long> AlertsRaised = Meter.CreateCounter<long>("marsad.alerts.raised", description: "Alerts raised (one per subscription and article)");
    public static readonly Counter<long> AlertsDelivered = Meter.CreateCounter<long>("marsad.alerts.delivered", description: "Alert deliveries finished, by channel and outcome (delivered, failed)");
    public static readonly Counter<long> InputRejected = Meter.CreateCounter<long>("marsad.input.rejected", description: "Bad input refused, by stage and reason");
    public static readonly Counter<long> FetchErrors = Meter.CreateCounter<long>("marsad.fetch.errors", description: "Failed fetches, by what (feed, page) and kind (timeout, size_cap, http_4xx, http_5xx, rate_limited, redirect_loop, robots, refused_address, unreachable, format)");

    /// <summary>From an article's fetch to a later stage (indexed, matched against alerts): how long news takes to be found.</summary>
    public static readonly Histogram<double> SinceFetch = Meter.CreateHistogram<double>("marsad.article.since_fetch", unit: "s", description: "Seconds from an article's fetch to the stage, by stage (indexed, matched)");
}
