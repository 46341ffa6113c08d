using System.IO.Compression;
using System.Text;
using Marsad.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Marsad.Feeds;

namespace Marsad.Fetcher.Tests;

/// <summary>
/// The fetcher against a server on loopback that misbehaves in every way the web does. What can be read is read
/// (and mended where it must be); what cannot ends with a clear error on the feed's health. Nothing hangs, nothing
/// crashes, and a well-behaved feed on another site flows all the while.
/// </summary>
public sealed class HostileServerTests : IAsyncLifetime
{
    private const string ArabicTitle = "الناتو يتحد ضد أي عمل عسكري روسي في أوكرانيا";
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(3);
    private static readonly byte[] GzipBomb = Compressed(new byte[100 * 1024 * 1024], "gzip"); // 100 MB of zeros, ~100 KB on the wire

    private readonly TemporaryDirectory _data = new();
    private LocalHttpServer _hostile = null!;
    private LocalHttpServer _goodSite = null!;
    private IHost _host = null!;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _requestsByPath = new();

    static HostileServerTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance); // to serve legacy encodings

    public async Task InitializeAsync()
    {
        _hostile = await LocalHttpServer.StartAsync(MisbehaveAsync);
        _goodSite = await LocalHttpServer.StartAsync();
        _goodSite.Put("/feed.xml", ServedResource.Text(Rss("Good", "<item><title>Fine</title><guid>good-1</guid></item>"), "application/rss+xml"));
        _host = LoopbackFetcher.Build(_data.Path, new Dictionary<string, string?>
        {
            ["Fetcher:RequestTimeout"] = RequestTimeout.ToString(),
            ["Fetcher:MaxItemsPerFetch"] = "1000",
            ["Fetcher:MinDelayPerHost"] = "00:00:00",
            ["Fetcher:ContactUrl"] = "mailto:newsroom@marsad.example",
        });
        await _host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        await _hostile.DisposeAsync();
        await _goodSite.DisposeAsync();
        _data.Dispose();
    }

    private static string Rss(string title, string items, string declaration = "<?xml version=\"1.0\" encoding=\"utf-8\"?>") =>
        $"{declaration}<rss version=\"2.0\"><channel><title>{title}</title>{items}</channel></rss>";

    private static string ArabicItem => $"<item><title>{ArabicTitle}</title><guid>ar-1</guid></item>";

    private async Task<bool> MisbehaveAsync(HttpContext context)
    {
        var response = context.Response;
        var path = context.Request.Path.Value ?? "";
        var attempt = _requestsByPath.AddOrUpdate(path, 1, (_, count) => count + 1);
        switch (path)
        {
            case "/invalid.xml":
                await Send(response, Encoding.UTF8.GetBytes("<rss version=\"2.0\"><channel><title>Broken</title><item><title>unclosed</channel>"));
                return true;
            case "/laughs.xml":
                var entities = string.Concat(Enumerable.Range(1, 9).Select(level =>
                    $"<!ENTITY lol{level} \"{string.Concat(Enumerable.Repeat($"&lol{level - 1};", 10))}\">"));
                await Send(response, Encoding.UTF8.GetBytes(
                    $"<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY lol0 \"lol\">{entities}]>{Rss("Laughs", "<item><title>&lol9;</title></item>", "")}"));
                return true;
            case "/invalid-utf8.xml":
                var bytes = Encoding.UTF8.GetBytes(Rss("UTF-8 gone wrong", ArabicItem)).ToList();
                bytes.InsertRange(bytes.IndexOf((byte)'<', 60) , [0xFF, 0xC3, 0x28]); // bytes no UTF-8 text can hold
                await Send(response, bytes.ToArray());
                return true;
            case "/windows-1256.xml":
                await Send(response, Encoding.GetEncoding("windows-1256").GetBytes(Rss("عربي", ArabicItem, "")), "application/rss+xml");
                return true;
            case "/iso-8859-6.xml":
                await Send(response, Encoding.GetEncoding("iso-8859-6").GetBytes(Rss("عربي", ArabicItem, "")), "application/rss+xml");
                return true;
            case "/gzip.xml" or "/br.xml" or "/deflate.xml":
                var coding = Path.GetFileNameWithoutExtension(path);
                response.Headers.ContentEncoding = coding;
                await Send(response, Compressed(Encoding.UTF8.GetBytes(Rss(coding, ArabicItem)), coding));
                return true;
            case "/gzip-bomb-as-xml.xml":
                // The compressed bytes themselves, announced as XML (a .xml.gz served as is).
                await Send(response, GzipBomb, "application/rss+xml");
                return true;
            case "/who-asks.xml":
                await Send(response, Encoding.UTF8.GetBytes(Rss("UA", $"<item><title>{System.Security.SecurityElement.Escape(context.Request.Headers.UserAgent.ToString())}</title><guid>ua</guid></item>")));
                return true;
            case "/gzip-bomb.xml":
                response.Headers.ContentEncoding = "gzip";
                await Send(response, GzipBomb);
                return true;
            case "/50mb.xml":
                // Chunked, no Content-Length: the cap has to hold on what is read, not on what is announced.
                response.ContentType = "application/rss+xml";
                await response.WriteAsync("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Huge</title><description>");
                var block = Encoding.ASCII.GetBytes(new string('x', 1024 * 1024));
                for (var megabyte = 0; megabyte < 50 && !context.RequestAborted.IsCancellationRequested; megabyte++)
                {
                    await response.Body.WriteAsync(block, context.RequestAborted);
                }
                return true;
            case "/slow.xml":
                // Headers at once, then a byte a second.
                response.ContentType = "application/rss+xml";
                await response.Body.FlushAsync(context.RequestAborted);
                foreach (var character in Rss("Slow", ArabicItem))
                {
                    await response.Body.WriteAsync(new[] { (byte)character }, context.RequestAborted);
                    await response.Body.FlushAsync(context.RequestAborted);
                    await Task.Delay(1000, context.RequestAborted);
                }
                return true;
            case "/loop.xml":
                response.StatusCode = StatusCodes.Status302Found;
                response.Headers.Location = "/loop.xml?again";
                return true;
            case "/flaky.xml" when attempt % 2 == 1:
                response.StatusCode = StatusCodes.Status500InternalServerError;
                return true;
            case "/fails-twice.xml" when attempt % 3 != 0:
                // Both retries are needed: their waits must fit in the request's 3 s.
                response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return true;
            case "/flaky.xml" or "/fails-twice.xml":
                await Send(response, Encoding.UTF8.GetBytes(Rss("Answers at last", ArabicItem)));
                return true;
            case "/10000-items.xml":
                var now = DateTime.UtcNow;
                var items = string.Concat(Enumerable.Range(0, 10_000).Select(i =>
                    $"<item><title>Item {i}</title><guid>item-{i}</guid><pubDate>{now.AddMinutes(-i):R}</pubDate></item>"));
                await Send(response, Encoding.UTF8.GetBytes(Rss("Ten thousand", items)));
                return true;
            default:
                return false;
        }
    }

    private static async Task Send(HttpResponse response, byte[] body, string contentType = "application/rss+xml; charset=utf-8")
    {
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body);
    }

    private static byte[] Compressed(byte[] body, string coding)
    {
        using var output = new MemoryStream();
        using (Stream compressor = coding switch
        {
            "gzip" => new GZipStream(output, CompressionLevel.Fastest),
            "br" => new BrotliStream(output, CompressionLevel.Fastest),
            _ => new ZLibStream(output, CompressionLevel.Fastest), // HTTP's "deflate" is the zlib format
        })
        {
            compressor.Write(body);
        }
        return output.ToArray();
    }

    private Task<(Marsad.Contracts.FeedFetched Outcome, List<Marsad.Contracts.ArticleFetched> Articles)> FetchAsync(string path) =>
        LoopbackFetcher.FetchAsync(_host, new Uri(_hostile.BaseAddress, path.TrimStart('/')));

    private async Task<FeedRecord> HealthOf(string path) =>
        (await _host.Services.GetRequiredService<FeedRegistry>().FindAsync(new Uri(_hostile.BaseAddress, path.TrimStart('/')).AbsoluteUri, CancellationToken.None))!;

    [Theory]
    [InlineData("/invalid.xml", "Not a readable RSS or Atom feed")]
    [InlineData("/gzip-bomb.xml", "larger than the 10485760-byte cap")]
    [InlineData("/gzip-bomb-as-xml.xml", "larger than the 10485760-byte cap once decompressed")]
    [InlineData("/50mb.xml", "larger than the 10485760-byte cap")]
    [InlineData("/slow.xml", "Timed out")]
    [InlineData("/loop.xml", "redirected too many times")]
    public async Task What_cannot_be_read_ends_with_a_clear_error_on_the_feed(string path, string reason)
    {
        var (outcome, articles) = await FetchAsync(path);
        Assert.Contains(reason, outcome.Error, StringComparison.Ordinal);
        Assert.Empty(articles);
        var health = await HealthOf(path);
        Assert.Equal(outcome.Error, health.LastError);
        Assert.Equal(1, health.ConsecutiveFailures);
        Assert.Null(health.ClaimId); // the claim is given back: the feed is tried again later
        Assert.NotNull(health.NextPollAt);
    }

    [Fact]
    public async Task Failures_are_counted_by_kind_for_the_metrics()
    {
        var kinds = new System.Collections.Concurrent.ConcurrentBag<(string What, string Kind)>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, meters) =>
        {
            if (instrument.Meter.Name == Marsad.Hosting.MarsadTelemetry.Name && instrument.Name == "marsad.fetch.errors")
            {
                meters.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            var all = tags.ToArray();
            kinds.Add((all.FirstOrDefault(tag => tag.Key == "what").Value?.ToString() ?? "", all.FirstOrDefault(tag => tag.Key == "kind").Value?.ToString() ?? ""));
        });
        listener.Start();

        await FetchAsync("/loop.xml");
        await FetchAsync("/gzip-bomb.xml");
        await FetchAsync("/invalid.xml");

        Assert.Contains(("feed", "redirect_loop"), kinds);
        Assert.Contains(("feed", "size_cap"), kinds);
        Assert.Contains(("feed", "format"), kinds);
    }

    [Fact]
    public async Task An_entity_bomb_is_never_expanded()
    {
        var (outcome, articles) = await FetchAsync("/laughs.xml");
        // The DOCTYPE is dropped unread: the reference to the undefined entity is an error, or the item comes through
        // without the billion lols — never the expansion.
        if (outcome.Error is { } error)
        {
            Assert.Contains("Not a readable RSS or Atom feed", error, StringComparison.Ordinal);
        }
        Assert.All(articles, article => Assert.True((article.Item.Title?.Length ?? 0) < 100, "the entity was expanded"));
    }

    [Theory]
    [InlineData("/windows-1256.xml")]
    [InlineData("/iso-8859-6.xml")]
    [InlineData("/gzip.xml")]
    [InlineData("/br.xml")]
    [InlineData("/deflate.xml")]
    [InlineData("/flaky.xml")]
    [InlineData("/fails-twice.xml")]
    public async Task What_can_be_read_is_read_right(string path)
    {
        var (outcome, articles) = await FetchAsync(path);
        Assert.Null(outcome.Error);
        Assert.Equal(ArabicTitle, Assert.Single(articles).Item.Title);
        Assert.Equal(FeedStatus.Ok, _host.Services.GetRequiredService<FeedSchedule>().StatusOf(await HealthOf(path), DateTimeOffset.UtcNow));
    }

    [Fact]
    public async Task Every_request_says_who_is_asking_and_where_to_reach_them()
    {
        var (_, articles) = await FetchAsync("/who-asks.xml");
        Assert.Equal("Marsad/1.0 (+mailto:newsroom@marsad.example)", Assert.Single(articles).Item.Title);
    }

    [Theory]
    [InlineData("Fetcher:ContactUrl", "call me maybe", "Fetcher:ContactUrl 'call me maybe' is not an http(s) or mailto: address.")]
    [InlineData("Fetcher:PublicUrl", "ftp://marsad.example", "Fetcher:PublicUrl 'ftp://marsad.example' is not an http(s) address.")]
    public async Task A_setting_that_is_not_an_address_stops_the_fetcher_at_start_with_its_name(string setting, string value, string message)
    {
        using var data = new TemporaryDirectory();
        using var host = LoopbackFetcher.Build(data.Path, new Dictionary<string, string?> { [setting] = value });
        // Validated on start, with every other setting (several failures come as one AggregateException).
        var error = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());
        var failures = error is AggregateException many ? many.InnerExceptions.ToList() : [error];
        Assert.All(failures, failure => Assert.IsType<Microsoft.Extensions.Options.OptionsValidationException>(failure));
        Assert.Contains(failures, failure => failure.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Invalid_utf8_bytes_are_replaced_and_the_rest_of_the_feed_read()
    {
        var (outcome, articles) = await FetchAsync("/invalid-utf8.xml");
        Assert.Null(outcome.Error);
        Assert.Equal(ArabicTitle, Assert.Single(articles).Item.Title);
    }

    [Fact]
    public async Task A_feed_of_ten_thousand_items_is_worked_through_newest_first_a_thousand_a_poll()
    {
        var (first, firstArticles) = await FetchAsync("/10000-items.xml");
        Assert.Null(first.Error);
        Assert.Equal(10_000, first.ItemsSeen);
        Assert.Equal(1000, firstArticles.Count);
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => $"Item {i}").Order(), firstArticles.Select(article => article.Item.Title).Order());
        Assert.Contains("10,000 new items", (await HealthOf("/10000-items.xml")).LastNotice, StringComparison.Ordinal);

        var (_, secondArticles) = await FetchAsync("/10000-items.xml");
        Assert.Equal(Enumerable.Range(1000, 1000).Select(i => $"Item {i}").Order(), secondArticles.Select(article => article.Item.Title).Order());
    }

    [Fact]
    public async Task Every_hostile_feed_at_once_does_not_stop_a_good_site_s_feed()
    {
        string[] hostile = ["/invalid.xml", "/laughs.xml", "/invalid-utf8.xml", "/gzip-bomb.xml", "/50mb.xml", "/slow.xml", "/loop.xml", "/flaky.xml", "/10000-items.xml"];
        var all = hostile.Select(path => FetchAsync(path)).ToList();
        var good = await LoopbackFetcher.FetchAsync(_host, new Uri(_goodSite.BaseAddress, "feed.xml"));
        Assert.Null(good.Outcome.Error);
        Assert.Equal("Fine", Assert.Single(good.Articles).Item.Title);
        // Every one of them ends (the slow one by its timeout), one way or the other.
        var outcomes = await Task.WhenAll(all).WaitAsync(TimeSpan.FromMinutes(2));
        Assert.Equal(hostile.Length, outcomes.Length);
        Assert.Equal(hostile.Length + 1, (await _host.Services.GetRequiredService<FeedRegistry>().ListAsync(CancellationToken.None)).Count(feed => feed.LastFetchAt is not null));
    }
}
