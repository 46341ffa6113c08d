using System.Text.RegularExpressions;
using Marsad.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Marsad.Web.Tests;

/// <summary>
/// The api service as a team runs it, with keys, in the browser: the page asks for a key, and then shows each role
/// only what it may use — a reader search, an editor also their own alerts, an admin also the feeds.
/// </summary>
[Trait(Needs.Trait, Needs.Browser)]
[Trait(Needs.Trait, Needs.Processes)]
public sealed class SignInPageFixture : IAsyncLifetime
{
    private readonly TemporaryDirectory _data = new();
    private RunningProcess? _api;
    private IPlaywright? _playwright;

    public TestIdentityProvider Provider { get; private set; } = null!;

    public Uri Address { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    public Dictionary<string, string> Keys { get; } = [];
    public string Output => _api?.Output ?? "";

    public async Task InitializeAsync()
    {
        if (!File.Exists(WebPageFixture.Chromium))
        {
            throw new InvalidOperationException($"The browser tests need Debian's Chromium at {WebPageFixture.Chromium}: 'apt-get install chromium' (test.sh installs it).");
        }
        var indexed = await ProcessRunner.MarsadAsync(["run", "--once", "--feeds", Path.Combine(RepoPaths.Samples, "feeds"), "--data", _data.Path]);
        if (indexed.ExitCode != 0)
        {
            throw new InvalidOperationException($"run --once over the samples failed:\n{indexed.StandardError}");
        }
        foreach (var (name, role) in new[] { ("sami", "reader"), ("omar", "editor"), ("layla", "editor"), ("amira", "admin") })
        {
            Keys[name] = (await ProcessRunner.MarsadAsync(["keys", "add", "--name", name, "--role", role, "--data", _data.Path])).StandardOutput.Trim();
        }
        Provider = await TestIdentityProvider.StartAsync();
        Address = new Uri($"http://127.0.0.1:{ServiceProbe.FreePort()}/");
        _api = RunningProcess.StartMarsad("api", ["run", "--service", "api", "--data", _data.Path, "--urls", Address.AbsoluteUri.TrimEnd('/')], new Dictionary<string, string>
        {
            ["MARSAD__Auth__Oidc__Authority"] = Provider.Issuer,
            ["MARSAD__Auth__Oidc__Audience"] = "marsad",
            ["MARSAD__Auth__Oidc__ClientId"] = "marsad-page",
            ["MARSAD__Auth__Oidc__DisplayName"] = "Newsroom ID",
            ["MARSAD__Auth__Oidc__RequireHttpsMetadata"] = "false",
        });
        await ServiceProbe.WaitUntilReadyAsync(_api, Address, TimeSpan.FromSeconds(90));
        _playwright = await Playwright.CreateAsync();
        Browser = await WebPageFixture.LaunchChromiumAsync(_playwright);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }
        if (Provider is not null)
        {
            await Provider.DisposeAsync();
        }
        _data.Dispose();
    }
}

[Trait(Needs.Trait, Needs.Browser)]
[Trait(Needs.Trait, Needs.Processes)]
public sealed class SignInPageTests(SignInPageFixture site) : IClassFixture<SignInPageFixture>
{
    private async Task<IPage> OpenAsync(string pathAndQuery = "")
    {
        var context = await site.Browser.NewContextAsync(new BrowserNewContextOptions { Locale = "en", ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(site.Address, pathAndQuery).AbsoluteUri);
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-ready", new Regex(".+"));
        return page;
    }

    private static async Task SignInAsync(IPage page, string key)
    {
        await page.Locator("#signin-key").FillAsync(key);
        await page.Locator("#signin-form button[type=submit]").ClickAsync();
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-ready", new Regex("^(search|alerts|feeds)$"));
    }

    private static ILocator Nav(IPage page, string view) => page.Locator($".top nav [data-view-link={view}]");

    [Fact]
    public async Task The_page_asks_for_a_key_refuses_a_wrong_one_and_signs_out_again()
    {
        var page = await OpenAsync("?q=" + Uri.EscapeDataString("الناتو"));
        await Expect(page.Locator("#signin-view")).ToBeVisibleAsync();
        await Expect(page.Locator("#search-view")).ToBeHiddenAsync();
        await Expect(page.Locator(".top nav")).ToBeHiddenAsync();
        await Expect(page.Locator("#sign-out")).ToBeHiddenAsync();

        await page.Locator("#signin-key").FillAsync("mk_00000000_wrong");
        await page.Locator("#signin-form button[type=submit]").ClickAsync();
        await Expect(page.Locator("#signin-message")).ToContainTextAsync("unknown");
        await Expect(page.Locator("#signin-view")).ToBeVisibleAsync();

        await SignInAsync(page, site.Keys["sami"]);
        await Expect(page.Locator("#who-name")).ToContainTextAsync("sami");
        await Expect(page.Locator("#results > li.result").First).ToBeVisibleAsync();
        // The key went into an HttpOnly cookie: the page's script cannot read it.
        Assert.DoesNotContain(site.Keys["sami"], await page.EvaluateAsync<string>("document.cookie"), StringComparison.Ordinal);

        await page.Locator("#sign-out").ClickAsync();
        await Expect(page.Locator("#signin-view")).ToBeVisibleAsync();
        await Expect(page.Locator("#sign-out")).ToBeHiddenAsync();
        await page.ReloadAsync();
        await Expect(page.Locator("#signin-view")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_reader_sees_search_only_even_when_asking_for_the_feeds()
    {
        var page = await OpenAsync("?view=feeds");
        await SignInAsync(page, site.Keys["sami"]);
        await Expect(page.Locator("#search-view")).ToBeVisibleAsync();
        await Expect(page.Locator("#feeds-view")).ToBeHiddenAsync();
        await Expect(Nav(page, "search")).ToBeVisibleAsync();
        await Expect(Nav(page, "alerts")).ToBeHiddenAsync();
        await Expect(Nav(page, "feeds")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task An_editor_makes_their_own_alerts_sees_no_one_else_s_and_no_feeds()
    {
        var layla = await OpenAsync("?view=alerts");
        await SignInAsync(layla, site.Keys["layla"]);
        await layla.Locator("#alert-name").FillAsync("Layla's oil");
        await layla.Locator("#alert-query").FillAsync("النفط");
        await layla.Locator("#alert-save").ClickAsync();
        await Expect(layla.Locator("#alert-list")).ToContainTextAsync("Layla's oil");

        var omar = await OpenAsync("?view=alerts");
        await SignInAsync(omar, site.Keys["omar"]);
        await Expect(omar.Locator("#alerts-view")).ToBeVisibleAsync();
        await Expect(Nav(omar, "feeds")).ToBeHiddenAsync();
        await omar.Locator("#alert-name").FillAsync("Omar's NATO");
        await omar.Locator("#alert-query").FillAsync("الناتو");
        await omar.Locator("#alert-save").ClickAsync();
        await Expect(omar.Locator("#alert-list")).ToContainTextAsync("Omar's NATO");
        await Expect(omar.Locator("#alert-list")).Not.ToContainTextAsync("Layla's oil");
    }

    [Fact]
    public async Task An_admin_sees_the_feeds()
    {
        var page = await OpenAsync("?view=feeds");
        await SignInAsync(page, site.Keys["amira"]);
        await Expect(page.Locator("#feeds-view")).ToBeVisibleAsync();
        await Expect(Nav(page, "alerts")).ToBeVisibleAsync();
        await Expect(Nav(page, "feeds")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_page_signs_in_through_the_team_s_identity_provider_with_the_role_it_grants()
    {
        site.Provider.NextUser = ("hana", ["marsad-editor"]);
        var page = await OpenAsync();
        var provider = page.Locator("#signin-provider");
        await Expect(provider).ToHaveTextAsync("Sign in with Newsroom ID");
        await provider.ClickAsync();
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-ready", "search");
        await Expect(page.Locator("#who-name")).ToContainTextAsync("hana");
        await Expect(Nav(page, "alerts")).ToBeVisibleAsync();
        await Expect(Nav(page, "feeds")).ToBeHiddenAsync();
        Assert.EndsWith("/", page.Url, StringComparison.Ordinal);

        // A provider's user with no Marsad role is sent back to the form, told why.
        site.Provider.NextUser = ("guest", ["viewer"]);
        var refused = await OpenAsync();
        await refused.Locator("#signin-provider").ClickAsync();
        await Expect(refused.Locator("#signin-view")).ToBeVisibleAsync();
        await Expect(refused.Locator("#signin-message")).ToContainTextAsync("role");
        Assert.DoesNotContain("signin-error", refused.Url, StringComparison.Ordinal);
    }
}
