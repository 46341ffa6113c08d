using Marsad.Testing;
using Microsoft.Playwright;

namespace Marsad.Web.Tests;

/// <summary>
/// <c>./marsad run</c> as a newcomer starts it, with the samples indexed and a news site on loopback whose feed it
/// polls every second, and Debian's Chromium driven by Playwright (its own browser download is never used).
/// </summary>
public sealed class WebPageFixture : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";

    private readonly TemporaryDirectory _data = new();
    private RunningProcess? _marsad;
    private IPlaywright? _playwright;

    public LocalHttpServer Site { get; private set; } = null!;
    public Uri Address { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    public string DataDir => _data.Path;

    /// <summary>Screenshots, kept as the run's artefacts: artifacts/screenshots in the repository.</summary>
    public static string Screenshots { get; } = Directory.CreateDirectory(Path.Combine(RepoPaths.Root, "artifacts", "screenshots")).FullName;

    private readonly List<string> _items = [];

    public const int ArchivedArticles = 11;

    public async Task InitializeAsync()
    {
        if (!File.Exists(Chromium))
        {
            throw new InvalidOperationException($"The browser tests need Debian's Chromium at {Chromium}: 'apt-get install chromium' (test.sh installs it).");
        }
        var indexed = await ProcessRunner.MarsadAsync(["run", "--once", "--feeds", Path.Combine(RepoPaths.Samples, "feeds"), "--data", _data.Path]);
        if (indexed.ExitCode != 0)
        {
            throw new InvalidOperationException($"run --once over the samples failed:\n{indexed.StandardError}");
        }

        Site = await LocalHttpServer.StartAsync();
        // Enough of this week's news for two pages of results.
        for (var number = 1; number <= ArchivedArticles; number++)
        {
            PublishArticle($"/archive-{number}.html", $"أرشيف الأسبوع رقم {number}");
        }
        Address = new Uri($"http://127.0.0.1:{ServiceProbe.FreePort()}/");
        _marsad = RunningProcess.StartMarsad("run",
            ["run", "--data", _data.Path, "--urls", Address.AbsoluteUri.TrimEnd('/'), "--feeds", new Uri(Site.BaseAddress, "feed.xml").AbsoluteUri],
            new Dictionary<string, string>
            {
                ["MARSAD__Fetcher__AllowLoopback"] = "true",
                ["MARSAD__Fetcher__PollInterval"] = "00:00:01",
                ["MARSAD__Fetcher__MinPollInterval"] = "00:00:01",
                ["MARSAD__Fetcher__MaxPollInterval"] = "00:00:01",
            });
        await ServiceProbe.WaitUntilReadyAsync(_marsad, Address, TimeSpan.FromSeconds(90));
        await ServiceProbe.SearchUntilAsync(Address, "أرشيف", json => json.GetProperty("total").GetInt64() == ArchivedArticles, TimeSpan.FromSeconds(60), () => Output);

        _playwright = await Playwright.CreateAsync();
        Browser = await LaunchChromiumAsync(_playwright);
    }

    /// <summary>Debian's Chromium, headless, as every browser test drives it.</summary>
    public static Task<IBrowser> LaunchChromiumAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            // No sandbox as root; no calls home, which this machine's closed network refuses.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });

    /// <summary>Puts a new article on the site (its page is the seed article's) and in the feed, dated now.</summary>
    public void PublishArticle(string path, string title)
    {
        Site.Put(path, new ServedResource(File.ReadAllBytes(Path.Combine(RepoPaths.Samples, "pages", "nato-ukraine-ar.html")), "text/html; charset=utf-8"));
        lock (_items)
        {
            _items.Add($"<item><title>{title}</title><link>{path}</link><pubDate>{DateTimeOffset.UtcNow:R}</pubDate></item>");
        }
        PublishFeed();
    }

    private void PublishFeed()
    {
        lock (_items)
        {
            Site.Put("/feed.xml", ServedResource.Text(
                $"""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>وكالة حية</title>{string.Concat(_items)}</channel></rss>""",
                "application/rss+xml; charset=utf-8"));
        }
    }

    public string Output => _marsad?.Output ?? "";

    public async Task<IPage> NewPageAsync(int width = 1280, int height = 900, string locale = "ar")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height }, Locale = locale });
        var page = await context.NewPageAsync();
        // Anything the page logs as an error (a refused script, a failed call) fails the test that made it.
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (Errors)
                {
                    Errors.Add(message.Text);
                }
            }
        };
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                lock (Errors)
                {
                    Errors.Add($"{response.Status} {response.Request.Method} {response.Url}");
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (Errors)
            {
                Errors.Add(error);
            }
        };
        return page;
    }

    public List<string> Errors { get; } = [];

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
        if (_marsad is not null)
        {
            await _marsad.DisposeAsync();
        }
        if (Site is not null)
        {
            await Site.DisposeAsync();
        }
        _data.Dispose();
    }
}
