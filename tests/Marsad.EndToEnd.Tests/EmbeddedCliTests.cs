using System.Net.Http.Json;
using System.Text.Json;
using Marsad.Testing;
using Marsad.Contracts;

namespace Marsad.EndToEnd.Tests;

/// <summary>The README's first command, as a newcomer types it: <c>./marsad run --once --feeds samples/…</c>, then a search.</summary>
[Trait(Needs.Trait, Needs.Processes)]
[Trait(Needs.Trait, Needs.SharedData)]
public sealed class EmbeddedCliTests
{
    private static readonly IReadOnlyDictionary<string, string> Quiet = new Dictionary<string, string>();

    [Fact]
    public async Task The_readme_commands_index_the_samples_and_find_the_seed_article_and_a_rerun_indexes_nothing()
    {
        using var data = new TemporaryDirectory();
        // Through the ./marsad script itself, which builds the CLI when needed.
        var script = Path.Combine(RepoPaths.Root, "marsad");
        var run = await ProcessRunner.RunAsync("bash", [script, "run", "--once", "--feeds", "samples/feeds", "--data", data.Path], TimeSpan.FromMinutes(5));
        Assert.True(run.ExitCode == 0, run.StandardError);
        Assert.Equal("fetched 6, indexed 6, duplicates 0, failed 0, alerts 0", run.StandardOutput.Trim());

        var search = await ProcessRunner.RunAsync("bash", [script, "search", "--data", data.Path, "--json", "اوكرانيا"], TimeSpan.FromMinutes(2));
        Assert.True(search.ExitCode == 0, search.StandardError);
        var response = JsonDocument.Parse(search.StandardOutput).RootElement;
        var urls = response.GetProperty("hits").EnumerateArray().Select(hit => hit.GetProperty("url").GetString()).ToList();
        Assert.Contains(urls, url => url!.EndsWith("/samples/pages/nato-ukraine-ar.html", StringComparison.Ordinal));
        // The entity aliases find the English sample's "Ukraine" too.
        var languages = response.GetProperty("facets").GetProperty("lang");
        Assert.True(languages.GetProperty("ar").GetInt64() >= 1);
        Assert.True(languages.GetProperty("en").GetInt64() >= 1);

        var again = await ProcessRunner.RunAsync("bash", [script, "run", "--once", "--feeds", "samples/feeds", "--data", data.Path], TimeSpan.FromMinutes(5));
        Assert.True(again.ExitCode == 0, again.StandardError);
        Assert.Equal("fetched 0, indexed 0, duplicates 6, failed 0, alerts 0", again.StandardOutput.Trim());
    }

    [Fact]
    public async Task Every_sample_is_indexed_with_its_language_and_the_windows_1256_page_is_readable()
    {
        using var data = new TemporaryDirectory();
        var run = await ProcessRunner.MarsadAsync(["run", "--once", "--feeds", Path.Combine(RepoPaths.Samples, "samples.opml"), "--data", data.Path]);
        Assert.True(run.ExitCode == 0, run.StandardError);

        async Task<JsonElement> Search(params string[] arguments)
        {
            var result = await ProcessRunner.MarsadAsync(["search", "--data", data.Path, "--json", .. arguments]);
            Assert.True(result.ExitCode == 0, result.StandardError);
            return JsonDocument.Parse(result.StandardOutput).RootElement;
        }

        var all = await Search("*");
        Assert.Equal(6, all.GetProperty("total").GetInt64());
        var languages = all.GetProperty("facets").GetProperty("lang");
        Assert.Equal(4, languages.GetProperty("ar").GetInt64());
        Assert.Equal(1, languages.GetProperty("en").GetInt64());
        Assert.Equal(1, languages.GetProperty("fr").GetInt64());

        // Text only the windows-1256 page has: it was decoded, not mangled.
        var bank = await Search("\"أسعار الفائدة\"");
        Assert.Contains("البنك المركزي", bank.GetProperty("hits")[0].GetProperty("title").GetString(), StringComparison.Ordinal);

        // The item whose page is missing was indexed from the feed's summary.
        var summaryOnly = await Search("الخلاصة");
        Assert.Equal(1, summaryOnly.GetProperty("total").GetInt64());

        var english = await Search("--lang", "en", "NATO");
        Assert.Equal(1, english.GetProperty("total").GetInt64());

        // The classifier's topics reach the index: a facet, and a filter.
        Assert.True(all.GetProperty("facets").GetProperty("topic").GetProperty("internationalNews").GetInt64() >= 1);
        var international = await Search("--topic", "internationalNews", "بوتين");
        Assert.Contains(international.GetProperty("hits").EnumerateArray(),
            hit => hit.GetProperty("topics").EnumerateArray().Any(topic => topic.GetString() == "internationalNews"));
    }

    [Fact]
    public async Task An_alert_is_posted_and_mailed_once_for_the_seed_article_not_again_on_a_rerun_nor_for_another_outlet_s_copy()
    {
        using var data = new TemporaryDirectory();
        await using var smtp = await SmtpSink.StartAsync();
        var posts = new System.Collections.Concurrent.ConcurrentQueue<(string Body, string Signature)>();
        await using var receiver = await LocalHttpServer.StartAsync(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            posts.Enqueue((await reader.ReadToEndAsync(), context.Request.Headers["X-Marsad-Signature"].ToString()));
            return true;
        });
        // Loopback is refused as a webhook target unless configuration allows it, as here.
        var allowLoopback = new Dictionary<string, string>
        {
            ["MARSAD__Outbound__AllowedNetworks__0"] = "127.0.0.0/8",
            ["MARSAD__Alerts__Smtp__Host"] = "127.0.0.1",
            ["MARSAD__Alerts__Smtp__Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        // Quoted, so the words as written (no aliases): only the seed article has both.
        var added = await ProcessRunner.MarsadAsync(["alerts", "add", "--name", "NATO and Ukraine", "--query", "\"أوكرانيا\" AND \"الناتو\"", "--webhook", new Uri(receiver.BaseAddress, "hook").ToString(), "--email", "desk@newsroom.example", "--data", data.Path]);
        Assert.True(added.ExitCode == 0, added.StandardError);
        var secret = added.StandardOutput.Split('\n').Single(line => line.StartsWith("webhook secret: ", StringComparison.Ordinal))["webhook secret: ".Length..].Trim();
        var feeds = Path.Combine(RepoPaths.Samples, "feeds");

        var run = await ProcessRunner.MarsadAsync(["run", "--once", "--feeds", feeds, "--data", data.Path], environment: allowLoopback);
        Assert.Equal("fetched 6, indexed 6, duplicates 0, failed 0, alerts 1", run.StandardOutput.Trim());
        var rerun = await ProcessRunner.MarsadAsync(["run", "--once", "--feeds", feeds, "--data", data.Path], environment: allowLoopback);
        Assert.Equal("fetched 0, indexed 0, duplicates 6, failed 0, alerts 0", rerun.StandardOutput.Trim());

        // Another outlet's feed carries the same story at its own address: indexed, but no second alert.
        using var otherOutlet = new TemporaryDirectory();
        Directory.CreateDirectory(Path.Combine(otherOutlet.Path, "pages"));
        File.Copy(Path.Combine(RepoPaths.Samples, "pages", "nato-ukraine-ar.html"), Path.Combine(otherOutlet.Path, "pages", "nato-copy.html"));
        var otherFeed = Path.Combine(otherOutlet.Path, "other.rss.xml");
        await File.WriteAllTextAsync(otherFeed, """<rss version="2.0"><channel><title>منفذ آخر</title><item><title>الحلفاء يتوحدون في وجه موسكو</title><link>pages/nato-copy.html</link></item></channel></rss>""");
        var copy = await ProcessRunner.MarsadAsync(["run", "--once", "--feeds", otherFeed, "--data", data.Path], environment: allowLoopback);
        Assert.Equal("fetched 1, indexed 1, duplicates 0, failed 0, alerts 0", copy.StandardOutput.Trim());
        var mail = Assert.Single(smtp.Messages());
        Assert.Equal("desk@newsroom.example", Assert.Single(mail.To.Mailboxes).Address);
        Assert.Contains("dir=\"rtl\"", mail.HtmlBody, StringComparison.Ordinal);

        var (body, signature) = Assert.Single(posts);
        var expected = "sha256=" + Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret), System.Text.Encoding.UTF8.GetBytes(body)));
        Assert.Equal(expected, signature);
        Assert.EndsWith("/samples/pages/nato-ukraine-ar.html", JsonDocument.Parse(body).RootElement.GetProperty("article").GetProperty("url").GetString(), StringComparison.Ordinal);

        var history = await ProcessRunner.MarsadAsync(["alerts", "history", "--json", "--data", data.Path]);
        var alert = Assert.Single(JsonDocument.Parse(history.StandardOutput).RootElement.EnumerateArray());
        Assert.Equal("NATO and Ukraine", alert.GetProperty("subscriptionName").GetString());
        Assert.EndsWith("/samples/pages/nato-ukraine-ar.html", alert.GetProperty("url").GetString(), StringComparison.Ordinal);
        Assert.All(alert.GetProperty("deliveries").EnumerateArray(), delivery => Assert.Equal("Delivered", delivery.GetProperty("status").GetString()));
        Assert.Equal(["email", "webhook"], alert.GetProperty("deliveries").EnumerateArray().Select(delivery => delivery.GetProperty("channel").GetString()).Order());
    }

    [Theory]
    [InlineData("alerts", "add", "--name", "x", "--query", "(((")]
    [InlineData("alerts", "add", "--name", "x", "--query", "ok", "--webhook", "ftp://x")]
    [InlineData("alerts", "add", "--name", "x")]
    [InlineData("search", "(((")]
    [InlineData("search", "\"unclosed")]
    [InlineData("search", "AND AND")]
    [InlineData("search")]
    [InlineData("run", "--service", "nope")]
    [InlineData("search", "--from", "yesterday", "x")]
    [InlineData("run", "--once", "--feeds", "no/such/folder")]
    [InlineData("errors", "replay", "--queue", "nope")]
    public async Task Bad_usage_exits_2_with_one_line_on_standard_error(params string[] arguments)
    {
        using var data = new TemporaryDirectory();
        var result = await ProcessRunner.MarsadAsync([.. arguments, "--data", data.Path], environment: Quiet);
        Assert.Equal(2, result.ExitCode);
        var error = result.StandardError.Trim();
        Assert.StartsWith("marsad: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
        Assert.DoesNotContain("Exception", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Extract_prints_the_contract_json_for_a_saved_page()
    {
        var page = Path.Combine(RepoPaths.Samples, "pages", "nato-ukraine-ar.html");
        var result = await ProcessRunner.MarsadAsync(["extract", "--json", "--url", "https://news.example/ar/nato", page]);
        Assert.True(result.ExitCode == 0, result.StandardError);
        var article = JsonDocument.Parse(result.StandardOutput).RootElement;
        Assert.Contains("أوكرانيا", article.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Contains("بوتين", article.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal("https://news.example/ar/nato", article.GetProperty("url").GetString());
        Assert.Equal("ar", article.GetProperty("language").GetString());
        foreach (var field in new[] { "author", "published" })
        {
            Assert.True(article.TryGetProperty(field, out _), field);
        }
    }

    [Fact]
    public async Task Extract_says_why_a_front_page_is_not_an_article()
    {
        var page = RepoPaths.SharedFile("data", "html-pages", "newspaper-tests", "tests", "data", "html", "cnn_main_site.html");
        var result = await ProcessRunner.MarsadAsync(["extract", "--json", "--url", "http://www.cnn.com/", page]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("an index page", result.StandardError, StringComparison.Ordinal);
        Assert.Equal("", result.StandardOutput.Trim());
    }

    [Fact]
    public async Task Classify_reads_standard_input_and_prints_the_contract_json()
    {
        var result = await ProcessRunner.MarsadAsync(["classify", "--json"], standardInput: RepoPaths.SeedArticleText);
        Assert.True(result.ExitCode == 0, result.StandardError);
        var classification = JsonDocument.Parse(result.StandardOutput).RootElement;
        Assert.Equal("ar", classification.GetProperty("language").GetString());
        Assert.Equal(JsonValueKind.Array, classification.GetProperty("topics").ValueKind);
        Assert.Equal(JsonValueKind.Array, classification.GetProperty("entities").ValueKind);
    }

    /// <summary>A feed on the local site, with or without its one item: the seed article's page.</summary>
    private static string LiveFeed(bool withItem) =>
        $"""<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>حي</title>{(withItem ? "<item><title>خبر حي</title><link>/page.html</link><media:content url='/img/nato.jpg' medium='image'/></item>" : "")}</channel></rss>""";

    /// <summary>The all-in-one <c>run</c>, polling the local site's feed every second and serving the API, once it is ready.</summary>
    private static async Task<(RunningProcess Marsad, Uri Address)> StartRunAsync(TemporaryDirectory data, LocalHttpServer site)
    {
        site.Put("/page.html", new ServedResource(
            await File.ReadAllBytesAsync(Path.Combine(RepoPaths.Samples, "pages", "nato-ukraine-ar.html")), "text/html"));
        var address = new Uri($"http://127.0.0.1:{ServiceProbe.FreePort()}/");
        var marsad = RunningProcess.StartMarsad("run",
            ["run", "--data", data.Path, "--urls", address.AbsoluteUri.TrimEnd('/'), "--feeds", new Uri(site.BaseAddress, "feed.xml").AbsoluteUri],
            new Dictionary<string, string> { ["MARSAD__Fetcher__AllowLoopback"] = "true", ["MARSAD__Fetcher__PollInterval"] = "00:00:01", ["MARSAD__Fetcher__MaxPollInterval"] = "00:00:01" });
        try
        {
            await ServiceProbe.WaitUntilReadyAsync(marsad, address, TimeSpan.FromSeconds(60));
        }
        catch
        {
            await marsad.DisposeAsync();
            throw;
        }
        return (marsad, address);
    }

    [Fact]
    public async Task Run_serves_the_api_and_health_while_polling_feeds()
    {
        using var data = new TemporaryDirectory();
        await using var site = await LocalHttpServer.StartAsync();
        site.Put("/feed.xml", ServedResource.Text(LiveFeed(withItem: true), "application/rss+xml"));
        var (marsad, address) = await StartRunAsync(data, site);
        await using var running = marsad;

        var found = await ServiceProbe.SearchUntilAsync(address, "الناتو", json => json.GetProperty("total").GetInt64() == 1, TimeSpan.FromSeconds(60), () => marsad.Output);
        Assert.Equal("خبر حي", found.GetProperty("hits")[0].GetProperty("title").GetString());
        // The item's media:content picture is kept with the article.
        Assert.Equal(new Uri(site.BaseAddress, "img/nato.jpg").AbsoluteUri, found.GetProperty("hits")[0].GetProperty("image").GetString());

        using var live = await ServiceProbe.Http.GetAsync(new Uri(address, "health/live"));
        Assert.Equal(System.Net.HttpStatusCode.OK, live.StatusCode);

        var metrics = await ServiceProbe.Http.GetStringAsync(new Uri(address, "metrics"));
        Assert.Contains("marsad_articles_indexed", metrics, StringComparison.Ordinal);
        // How long from fetch to index and to alerts, as a histogram (seconds).
        Assert.Contains("marsad_article_since_fetch_seconds_bucket{", metrics, StringComparison.Ordinal);

        using var bad = await ServiceProbe.Http.GetAsync(new Uri(address, "api/search?q=" + Uri.EscapeDataString("(((")));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await bad.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains("column", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        using var badDate = await ServiceProbe.Http.GetAsync(new Uri(address, "api/search?q=x&from=soon"));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, badDate.StatusCode);
    }

    /// <summary>
    /// The embedded mode's error queues outlive the process: a page the parser can make nothing of is kept in the
    /// data folder's journal with its reason, listed by <c>errors list</c> (another process, and after a restart);
    /// <c>errors replay</c> has the running pipeline send a letter back, once; one that fails again is back once.
    /// </summary>
    [Fact]
    public async Task Run_keeps_what_failed_in_the_data_folder_and_errors_replay_sends_it_back_once()
    {
        using var data = new TemporaryDirectory();
        await using var site = await LocalHttpServer.StartAsync();
        site.Put("/empty.html", ServedResource.Text("<html><body></body></html>", "text/html"));
        site.Put("/feed.xml", ServedResource.Text(
            """<rss version="2.0"><channel><title>حي</title><item><title>خبر حي</title><link>/page.html</link></item><item><link>/empty.html</link></item></channel></rss>""",
            "application/rss+xml"));
        var (marsad, address) = await StartRunAsync(data, site);
        await using var running = marsad;
        await ServiceProbe.SearchUntilAsync(address, "الناتو", json => json.GetProperty("total").GetInt64() == 1, TimeSpan.FromSeconds(60), () => marsad.Output);

        async Task<JsonElement> ListAsync(Func<JsonElement, bool> until)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (true)
            {
                var list = await ProcessRunner.MarsadAsync(["errors", "list", "--json", "--data", data.Path]);
                Assert.True(list.ExitCode == 0, list.StandardError);
                var queues = JsonDocument.Parse(list.StandardOutput).RootElement.Clone();
                if (until(queues) || DateTime.UtcNow > deadline)
                {
                    return queues;
                }
                await Task.Delay(500);
            }
        }
        async Task<string> ReplayAsync(params string[] filters)
        {
            var replay = await ProcessRunner.MarsadAsync(["errors", "replay", "--data", data.Path, .. filters]);
            Assert.True(replay.ExitCode == 0, replay.StandardError);
            return replay.StandardOutput;
        }
        static int Messages(JsonElement queues) => queues.EnumerateArray().Sum(queue => queue.GetProperty("messages").GetInt32());

        // The empty page: no text and no summary, so the parser gives up on it at once, and says why.
        var queues = await ListAsync(queues => Messages(queues) > 0);
        var queue = Assert.Single(queues.EnumerateArray());
        Assert.Equal("article-fetched", queue.GetProperty("queue").GetString());
        var reason = Assert.Single(queue.GetProperty("reasons").EnumerateArray()).GetProperty("reason").GetString()!;
        Assert.Contains("empty.html", reason, StringComparison.Ordinal);

        // A letter that failed for a reason since put right, kept as the pipeline keeps one.
        var url = new Uri(site.BaseAddress, "again.html");
        await new Marsad.Hosting.FaultJournal(data.Path).AddAsync(new Marsad.Hosting.JournaledFault
        {
            Id = Guid.NewGuid().ToString("N"),
            Queue = "article-fetched",
            MessageType = nameof(Marsad.Contracts.ArticleFetched),
            Reason = "the disk was full",
            FailedAt = DateTimeOffset.UtcNow,
            Message = JsonSerializer.SerializeToElement(new Marsad.Contracts.ArticleFetched
            {
                ArticleId = ArticleIdentity.ForUrl(url),
                Url = url.AbsoluteUri,
                Item = new Marsad.Contracts.FeedItem { FeedUrl = new Uri(site.BaseAddress, "feed.xml").AbsoluteUri, Source = "حي", Title = "خبر معاد" },
                FetchedAt = DateTimeOffset.UtcNow,
                Body = await File.ReadAllBytesAsync(Path.Combine(RepoPaths.Samples, "pages", "nato-ukraine-ar.html")),
                ContentType = "text/html; charset=utf-8",
            }),
        }, CancellationToken.None);
        Assert.Equal(2, Messages(await ListAsync(_ => true)));

        Assert.StartsWith("replayed 1 message(s)", await ReplayAsync("--reason", "disk was full"), StringComparison.Ordinal);
        var found = await ServiceProbe.SearchUntilAsync(address, "الناتو", json => json.GetProperty("total").GetInt64() == 2, TimeSpan.FromSeconds(30), () => marsad.Output);
        Assert.Contains(found.GetProperty("hits").EnumerateArray(), hit => hit.GetProperty("title").GetString() == "خبر معاد");
        Assert.StartsWith("replayed 0 message(s)", await ReplayAsync("--reason", "disk was full"), StringComparison.Ordinal);

        // The empty page replayed: it fails again and is kept again, once.
        Assert.StartsWith("replayed 1 message(s)", await ReplayAsync("--queue", "article-fetched"), StringComparison.Ordinal);
        // (Marked for replay, it is not listed; it is again when it has failed anew.)
        queues = await ListAsync(queues => Messages(queues) > 0);
        Assert.Equal(reason, Assert.Single(Assert.Single(queues.EnumerateArray()).GetProperty("reasons").EnumerateArray()).GetProperty("reason").GetString());
        Assert.Equal(1, Messages(queues));

        // And after the process is gone, it is still there.
        Assert.Equal(0, await marsad.TerminateAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(1, Messages(await ListAsync(_ => true)));
    }

    [Fact]
    public async Task The_api_and_the_cli_show_each_feed_s_health_and_add_pause_export_and_remove_feeds()
    {
        using var data = new TemporaryDirectory();
        await using var site = await LocalHttpServer.StartAsync();
        site.Put("/feed.xml", ServedResource.Text(LiveFeed(withItem: true), "application/rss+xml"));
        var (marsad, address) = await StartRunAsync(data, site);
        await using var running = marsad;
        var feeds = new Uri(address, "api/feeds");
        var missing = new Uri(site.BaseAddress, "gone.xml").AbsoluteUri;

        using (var added = await ServiceProbe.Http.PostAsJsonAsync(feeds, new { url = missing }))
        {
            // Down now, perhaps a feed that will come back: added as given, with a warning that says why it was not checked.
            Assert.Equal(System.Net.HttpStatusCode.Created, added.StatusCode);
            var body = JsonDocument.Parse(await added.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("new", body.GetProperty("feeds")[0].GetProperty("status").GetString());
            Assert.Contains("404", body.GetProperty("warning").GetString(), StringComparison.Ordinal);
        }
        // A site's home page: the feed it announces is what is added.
        site.Put("/", ServedResource.Text("""<html><head><link rel="alternate" type="application/rss+xml" href="/feed.xml"></head></html>""", "text/html"));
        using (var fromHome = await ServiceProbe.Http.PostAsJsonAsync(feeds, new { url = site.BaseAddress.AbsoluteUri }))
        {
            Assert.Equal(System.Net.HttpStatusCode.Created, fromHome.StatusCode);
            var body = JsonDocument.Parse(await fromHome.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(new Uri(site.BaseAddress, "feed.xml").AbsoluteUri, Assert.Single(body.GetProperty("feeds").EnumerateArray()).GetProperty("url").GetString());
        }
        using (var refused = await ServiceProbe.Http.PostAsJsonAsync(feeds, new { url = "file:///etc/passwd" }))
        {
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.StatusCode);
        }

        JsonElement Feed(JsonElement list, string url) => list.EnumerateArray().Single(feed => feed.GetProperty("url").GetString() == url);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        JsonElement listed;
        while (true)
        {
            listed = JsonDocument.Parse(await ServiceProbe.Http.GetStringAsync(feeds)).RootElement.Clone();
            if (listed.GetArrayLength() == 2 && Feed(listed, missing).GetProperty("status").GetString() == "failing"
                && Feed(listed, new Uri(site.BaseAddress, "feed.xml").AbsoluteUri).GetProperty("status").GetString() == "ok")
            {
                break;
            }
            Assert.True(DateTime.UtcNow < deadline, $"feed health never showed one ok and one failing feed: {listed}\n{marsad.Output}");
            await Task.Delay(500);
        }
        var failing = Feed(listed, missing);
        Assert.Contains("404", failing.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.True(failing.GetProperty("consecutiveFailures").GetInt32() >= 1);
        Assert.NotEqual(JsonValueKind.Null, failing.GetProperty("nextPollAt").ValueKind);
        var ok = Feed(listed, new Uri(site.BaseAddress, "feed.xml").AbsoluteUri);
        Assert.Equal(1, ok.GetProperty("itemsSeen").GetInt64());
        Assert.True(ok.GetProperty("intervalSeconds").GetDouble() > 0);

        var failingId = failing.GetProperty("id").GetString()!;
        using (var paused = await ServiceProbe.Http.PatchAsJsonAsync(new Uri(address, $"api/feeds/{failingId}"), new { paused = true }))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, paused.StatusCode);
            Assert.Equal("paused", JsonDocument.Parse(await paused.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
        }

        // The CLI reads the same list, health and all.
        var list = await ProcessRunner.MarsadAsync(["feeds", "list", "--data", data.Path]);
        Assert.Equal(0, list.ExitCode);
        Assert.Contains("paused", list.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("ok ", list.StandardOutput, StringComparison.Ordinal);

        // Exported as OPML and imported elsewhere: the same feeds.
        var opml = Path.Combine(data.Path, "export.opml");
        Assert.Equal(0, (await ProcessRunner.MarsadAsync(["feeds", "export", "--out", opml, "--data", data.Path])).ExitCode);
        using var elsewhere = new TemporaryDirectory();
        Assert.Equal(0, (await ProcessRunner.MarsadAsync(["feeds", "import", opml, "--data", elsewhere.Path])).ExitCode);
        var imported = JsonDocument.Parse((await ProcessRunner.MarsadAsync(["feeds", "list", "--json", "--data", elsewhere.Path])).StandardOutput).RootElement;
        Assert.Equal(
            listed.EnumerateArray().Select(feed => feed.GetProperty("url").GetString()).Order(),
            imported.EnumerateArray().Select(feed => feed.GetProperty("url").GetString()).Order());

        using (var removed = await ServiceProbe.Http.DeleteAsync(new Uri(address, $"api/feeds/{failingId}")))
        {
            Assert.Equal(System.Net.HttpStatusCode.NoContent, removed.StatusCode);
        }
        using (var again = await ServiceProbe.Http.DeleteAsync(new Uri(address, $"api/feeds/{failingId}")))
        {
            Assert.Equal(System.Net.HttpStatusCode.NotFound, again.StatusCode);
            Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task The_api_manages_subscriptions_refuses_bad_ones_and_shows_each_one_s_alerts()
    {
        using var data = new TemporaryDirectory();
        await using var site = await LocalHttpServer.StartAsync();
        site.Put("/feed.xml", ServedResource.Text(LiveFeed(withItem: false), "application/rss+xml"));
        var (marsad, address) = await StartRunAsync(data, site);
        await using var running = marsad;
        var subscriptions = new Uri(address, "api/subscriptions");

        async Task<(System.Net.HttpStatusCode Status, JsonElement Body)> Send(HttpMethod method, Uri uri, object? body = null)
        {
            using var request = new HttpRequestMessage(method, uri) { Content = body is null ? null : JsonContent.Create(body) };
            using var response = await ServiceProbe.Http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
        }

        var malformed = await Send(HttpMethod.Post, subscriptions, new { name = "bad", query = "(((" });
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, malformed.Status);
        Assert.Contains("column", malformed.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var notHttp = await Send(HttpMethod.Post, subscriptions, new { name = "bad", query = "الناتو", webhook = "ftp://example.org/x" });
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, notHttp.Status);

        var created = await Send(HttpMethod.Post, subscriptions, new { name = "NATO", query = "الناتو", webhook = "http://127.0.0.1:9/nato", owner = "foreign-desk" });
        Assert.Equal(System.Net.HttpStatusCode.Created, (await Send(HttpMethod.Post, subscriptions, new { name = "Oil", query = "النفط", owner = "economy-desk" })).Status);
        Assert.Equal(System.Net.HttpStatusCode.Created, created.Status);
        var id = created.Body.GetProperty("subscription").GetProperty("id").GetString()!;
        Assert.Equal(64, created.Body.GetProperty("secret").GetString()!.Length);
        var listed = await Send(HttpMethod.Get, new Uri(subscriptions + "?owner=foreign-desk"));
        var only = Assert.Single(listed.Body.EnumerateArray());
        Assert.Equal("foreign-desk", only.GetProperty("owner").GetString());
        Assert.Equal("الناتو", only.GetProperty("query").GetString());
        Assert.False(only.TryGetProperty("secret", out _), "the secret is shown once, when the subscription is made");

        // An article about NATO appears in the feed; the subscription alerts on it.
        site.Put("/feed.xml", ServedResource.Text(LiveFeed(withItem: true), "application/rss+xml"));
        var alerts = new Uri(address, $"api/subscriptions/{id}/alerts");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        JsonElement history;
        // The alert is recorded a moment before its delivery is: wait for both.
        while (!((history = (await Send(HttpMethod.Get, alerts)).Body).GetArrayLength() == 1 && history[0].GetProperty("deliveries").GetArrayLength() > 0)
            && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
        }
        var alert = Assert.Single(history.EnumerateArray());
        Assert.Equal("خبر حي", alert.GetProperty("title").GetString());
        // Loopback is not allowed as a webhook target in this run: the delivery is recorded (and refused), not lost.
        Assert.Equal("webhook", Assert.Single(alert.GetProperty("deliveries").EnumerateArray()).GetProperty("channel").GetString());

        var paused = await Send(HttpMethod.Patch, new Uri(subscriptions, $"subscriptions/{id}"), new { enabled = false });
        Assert.Equal(System.Net.HttpStatusCode.OK, paused.Status);
        Assert.False(paused.Body.GetProperty("enabled").GetBoolean());
        var badEdit = await Send(HttpMethod.Patch, new Uri(subscriptions, $"subscriptions/{id}"), new { query = "AND AND" });
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, badEdit.Status);

        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await Send(HttpMethod.Delete, new Uri(subscriptions, $"subscriptions/{id}"))).Status);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await Send(HttpMethod.Delete, new Uri(subscriptions, $"subscriptions/{id}"))).Status);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await Send(HttpMethod.Get, alerts)).Status);
    }
}
