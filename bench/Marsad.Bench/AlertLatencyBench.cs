using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marsad.Cli;
using Marsad.Testing;

namespace Marsad.Bench;

/// <summary>
/// How soon an alert arrives: <c>./marsad run</c> (embedded) polls a loopback feed every second; articles appear in it
/// one after another; a subscription matching all of them has a webhook on loopback. Measured per article: from its
/// appearance in the feed to the webhook's request (what a user waits), and from the fetch of its page to the webhook
/// (what Marsad itself takes).
/// </summary>
public static class AlertLatencyBench
{
    public static async Task<BenchTable> RunAsync(int articles, TimeSpan every)
    {
        // One more than measured: the first warms the models and the code paths up, as any service is after its first minute.
        var corpus = CorpusSite.LoadArabicNews(articles + 1);
        var appeared = new ConcurrentDictionary<string, long>();
        var fetched = new ConcurrentDictionary<string, long>();
        var delivered = new ConcurrentDictionary<string, long>();
        await using var site = await LocalHttpServer.StartAsync(context =>
        {
            if (context.Request.Path.StartsWithSegments("/a"))
            {
                fetched.TryAdd(context.Request.Path.Value!, Stopwatch.GetTimestamp());
            }
            return Task.FromResult(false);
        });
        await using var receiver = await LocalHttpServer.StartAsync(async context =>
        {
            var at = Stopwatch.GetTimestamp();
            var alert = await JsonDocument.ParseAsync(context.Request.Body);
            if (alert.RootElement.TryGetProperty("article", out var article) && article.TryGetProperty("url", out var url))
            {
                delivered.TryAdd(new Uri(url.GetString()!).AbsolutePath, at);
            }
            context.Response.StatusCode = (int)HttpStatusCode.NoContent;
            return true;
        });

        string? missing = null;
        using var data = new TemporaryDirectory();
        var address = new Uri($"http://127.0.0.1:{ServiceProbe.FreePort()}/");
        var items = new List<string>();
        void PublishFeed() => site.Put("/feed.xml", ServedResource.Text(
            $"<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>bench latency</title>{string.Concat(Enumerable.Reverse(items).Take(50))}</channel></rss>",
            "application/rss+xml; charset=utf-8"));
        PublishFeed();
        var app = ServiceHosts.BuildAllInOne(new Dictionary<string, string?>
        {
            ["Urls"] = address.AbsoluteUri.TrimEnd('/'),
            ["DataDir"] = data.Path,
            ["Fetcher:AllowLoopback"] = "true",
            ["Fetcher:MinDelayPerHost"] = "00:00:00",
            ["Fetcher:PollInterval"] = "00:00:01",
            ["Fetcher:MinPollInterval"] = "00:00:01",
            ["Fetcher:MaxPollInterval"] = "00:00:01",
            ["Outbound:AllowedNetworks:0"] = "127.0.0.0/8",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        await app.StartAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = address };
            (await http.PostAsJsonAsync("api/subscriptions", new { name = "everything", query = "lang:ar", webhook = new Uri(receiver.BaseAddress, "hook").AbsoluteUri })).EnsureSuccessStatusCode();
            (await http.PostAsJsonAsync("api/feeds", new { url = new Uri(site.BaseAddress, "feed.xml").AbsoluteUri })).EnsureSuccessStatusCode();
            await Task.Delay(TimeSpan.FromSeconds(2)); // the feed's first (empty) poll

            for (var i = 0; i < corpus.Count; i++)
            {
                if (i == 1)
                {
                    for (var wait = 0; wait < 300 && delivered.IsEmpty; wait++)
                    {
                        await Task.Delay(100);
                    }
                }
                var path = $"/a/{i}.html";
                site.Put(path, ServedResource.Text(CorpusSite.Page(corpus[i]), "text/html; charset=utf-8"));
                items.Add($"<item><title>{WebUtility.HtmlEncode(corpus[i].Title)}</title><link>{path}</link><pubDate>{DateTimeOffset.UtcNow:R}</pubDate></item>");
                appeared[path] = Stopwatch.GetTimestamp();
                PublishFeed();
                await Task.Delay(every);
            }
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (delivered.Count < corpus.Count && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
            if (delivered.Count < corpus.Count)
            {
                var indexed = JsonDocument.Parse(await http.GetStringAsync("api/search?q=*")).RootElement.GetProperty("total").GetInt64();
                var feed = JsonDocument.Parse(await http.GetStringAsync("api/feeds")).RootElement[0];
                var errors = Path.Combine(data.Path, "errors.json");
                missing = $"Only {delivered.Count} of {corpus.Count} alerts arrived within a minute; {indexed} articles were indexed; the feed: {feed}"
                    + (File.Exists(errors) ? $"; dead letters: {File.ReadAllText(errors)[..Math.Min(2000, (int)new FileInfo(errors).Length)]}" : "");
            }
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        // The warm-up article, on its own: what the first alert after a start costs.
        double? first = delivered.TryRemove("/a/0.html", out var firstAt) && fetched.TryGetValue("/a/0.html", out var firstFetch)
            ? Stopwatch.GetElapsedTime(firstFetch, firstAt).TotalMilliseconds : null;
        double[] Milliseconds(ConcurrentDictionary<string, long> from) =>
            [.. delivered.Where(pair => from.ContainsKey(pair.Key)).Select(pair => Stopwatch.GetElapsedTime(from[pair.Key], pair.Value).TotalMilliseconds).Order()];
        var sinceAppearance = Milliseconds(appeared);
        var sinceFetch = Milliseconds(fetched);
        var table = new BenchTable("Alert latency, embedded mode, feed polled every second (webhook on loopback)",
            "measured", "articles", "alerts delivered", "p50 ms", "p95 ms", "p99 ms", "max ms");
        table.Row("appearance in the feed → webhook", articles, delivered.Count, BenchSupport.Percentile(sinceAppearance, 0.5), BenchSupport.Percentile(sinceAppearance, 0.95), BenchSupport.Percentile(sinceAppearance, 0.99), sinceAppearance.LastOrDefault());
        table.Row("page fetch → webhook", articles, delivered.Count, BenchSupport.Percentile(sinceFetch, 0.5), BenchSupport.Percentile(sinceFetch, 0.95), BenchSupport.Percentile(sinceFetch, 0.99), sinceFetch.LastOrDefault());
        if (missing is not null)
        {
            table.Notes.Add(missing);
        }
        table.Row("page fetch → webhook, the first article after start", 1, first is null ? 0 : 1, first, null, null, first);
        table.Notes.Add($"One article every {every.TotalMilliseconds:0} ms, after one to warm up. The wait for the next poll (up to a second here; minutes at the default interval, none with WebSub) is in the first row, not the second.");
        return table;
    }
}
