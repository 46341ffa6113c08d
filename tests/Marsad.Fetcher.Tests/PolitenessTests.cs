using System.Collections.Concurrent;
using Marsad.Contracts;
using Marsad.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Marsad.Fetcher.Tests;

/// <summary>How the fetcher treats one site: a real HTTP server on loopback that records when each request came.</summary>
public sealed class PolitenessTests : IAsyncLifetime
{
    private readonly TemporaryDirectory _data = new();
    private readonly ConcurrentQueue<(string Path, DateTime Start, DateTime End)> _requests = new();
    private int _inFlight;
    private int _mostInFlight;
    private LocalHttpServer _server = null!;

    public async Task InitializeAsync() => _server = await LocalHttpServer.StartAsync(async context =>
    {
        var path = context.Request.Path.Value!;
        if (!path.StartsWith("/page/", StringComparison.Ordinal) && path != "/busy")
        {
            return false;
        }
        var start = DateTime.UtcNow;
        var now = Interlocked.Increment(ref _inFlight);
        int most;
        while ((most = _mostInFlight) < now && Interlocked.CompareExchange(ref _mostInFlight, now, most) != most)
        {
        }
        try
        {
            if (path == "/busy")
            {
                context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.Response.Headers.RetryAfter = "120";
                return true;
            }
            // A slow page, so that requests would overlap if the fetcher let them.
            await Task.Delay(150);
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync($"<html><body><article><p>صفحة {path} من موقع بطيء</p></article></body></html>");
            return true;
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
            _requests.Enqueue((path, start, DateTime.UtcNow));
        }
    });

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _data.Dispose();
    }

    private IHost BuildFetcher(int connections, TimeSpan delay) =>
        LoopbackFetcher.Build(_data.Path, new Dictionary<string, string?>
        {
            ["Fetcher:PageConcurrency"] = "8",
            ["Fetcher:MaxConnectionsPerHost"] = connections.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Fetcher:MinDelayPerHost"] = delay.ToString(),
        },
        // Records when each request leaves the fetcher (the server's clock would add its own queueing under load).
        services => services.AddHttpClient(ContentFetcher.HttpClientName).AddHttpMessageHandler(() => new SendTimes(_sent)));

    private readonly ConcurrentQueue<(string Path, DateTime At)> _sent = new();

    private sealed class SendTimes(ConcurrentQueue<(string Path, DateTime At)> sent) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            sent.Enqueue((request.RequestUri!.AbsolutePath, DateTime.UtcNow));
            return base.SendAsync(request, cancellationToken);
        }
    }

    private Uri ServeFeed(IEnumerable<string> paths) => _server.Put("/feed.xml", ServedResource.Text(
        $"""<rss version="2.0"><channel><title>بطيء</title>{string.Concat(paths.Select(path => $"<item><title>{path}</title><link>{path}</link></item>"))}</channel></rss>""",
        "application/rss+xml"));

    private static Task<(FeedFetched Outcome, List<ArticleFetched> Articles)> FetchAsync(IHost host, Uri feed) => LoopbackFetcher.FetchAsync(host, feed);

    [Fact]
    public async Task No_more_requests_to_one_site_at_once_than_allowed_and_spaced_as_configured()
    {
        var feed = ServeFeed(Enumerable.Range(1, 8).Select(page => $"/page/{page}"));
        using var host = BuildFetcher(connections: 2, delay: TimeSpan.FromMilliseconds(200));

        var (outcome, articles) = await FetchAsync(host, feed);

        Assert.Null(outcome.Error);
        Assert.Equal(8, articles.Count);
        Assert.InRange(_mostInFlight, 1, 2);
        var starts = _sent.Where(request => request.Path.StartsWith("/page/", StringComparison.Ordinal)).Select(request => request.At).Order().ToList();
        Assert.Equal(8, starts.Count);
        // Spaced as configured: without the delay, two connections and 150 ms pages would send all eight within
        // about half a second, two at a time. (The first request through a new client can be held up by its own
        // set-up, so one gap may look short; the median and the whole span cannot.)
        var gaps = starts.Zip(starts.Skip(1), (first, second) => (second - first).TotalMilliseconds).Order().ToList();
        var sent = string.Join("; ", _sent.Select(request => $"{request.Path} {request.At:ss.fff}"));
        Assert.True(gaps[gaps.Count / 2] >= 190, $"median gap {gaps[gaps.Count / 2]:0} ms ({sent})");
        Assert.True((starts[^1] - starts[0]).TotalMilliseconds >= 6 * 190, $"8 requests within {(starts[^1] - starts[0]).TotalMilliseconds:0} ms ({sent})");
    }

    [Fact]
    public async Task A_site_that_asks_for_a_pause_is_not_asked_again_before_it_ends()
    {
        var feed = ServeFeed(["/busy"]);
        using var host = BuildFetcher(connections: 2, delay: TimeSpan.Zero);

        var (_, articles) = await FetchAsync(host, feed);

        // Asked once, not retried into the pause; the article goes on with the reason (from the feed's summary).
        Assert.Equal(1, _server.RequestsTo("/busy"));
        var article = Assert.Single(articles);
        Assert.Contains("asked not to be asked again before", article.FetchError, StringComparison.Ordinal);
        var notBefore = host.Services.GetRequiredService<HostPoliteness>().NotBefore(new Uri(_server.BaseAddress, "busy"));
        Assert.InRange(notBefore - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(100), TimeSpan.FromSeconds(121));
    }
}
