using System.Text.Json;
using System.Text.RegularExpressions;
using Marsad.Testing;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Marsad.Web.Tests;

/// <summary>
/// The page at <c>/</c> in a real browser (headless Chromium): searching in Arabic, facets, the URL as the search,
/// alerts, feeds, live results, a phone's screen and the keyboard. Screenshots go to artifacts/screenshots.
/// </summary>
[Trait(Needs.Trait, Needs.Browser)]
[Trait(Needs.Trait, Needs.Processes)]
public sealed partial class WebPageTests(WebPageFixture site) : IClassFixture<WebPageFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public Task InitializeAsync()
    {
        lock (site.Errors)
        {
            site.Errors.Clear();
        }
        return Task.CompletedTask;
    }

    // Nothing the page did may have failed in the browser: no refused script or style, no failed call.
    public Task DisposeAsync()
    {
        lock (site.Errors)
        {
            Assert.True(site.Errors.Count == 0, "The page reported errors:\n" + string.Join("\n", site.Errors));
        }
        return Task.CompletedTask;
    }

    private static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(WebPageFixture.Screenshots, name + ".png"), FullPage = true });

    private async Task<IPage> OpenAsync(string pathAndQuery = "", int width = 1280, int height = 900)
    {
        var page = await site.NewPageAsync(width, height);
        await page.GotoAsync(new Uri(site.Address, pathAndQuery).AbsoluteUri);
        await SettledAsync(page);
        return page;
    }

    /// <summary>Until the page has drawn what the last click or navigation asked for.</summary>
    private static Task SettledAsync(IPage page) => Expect(page.Locator("body")).ToHaveAttributeAsync("data-ready", new Regex(".+"));

    private async Task WaitUntilSearchableAsync(string query, Func<JsonElement, bool> until)
    {
        await ServiceProbe.SearchUntilAsync(site.Address, query, until, Patience, () => site.Output);
    }

    private static ILocator Results(IPage page) => page.Locator("#results > li.result");

    [Fact]
    public async Task Searching_in_Arabic_lists_right_to_left_and_left_to_right_results_and_a_facet_click_filters_them()
    {
        var page = await OpenAsync();
        await page.FillAsync("#q", "الناتو OR NATO OR OTAN");
        await page.PressAsync("#q", "Enter");

        await Expect(Results(page).First).ToBeVisibleAsync();
        // Each result is laid out in its own language's direction, in one list.
        var arabic = page.Locator("#results > li.result[lang=ar]").First;
        await Expect(arabic).ToHaveAttributeAsync("dir", "rtl");
        await Expect(arabic.Locator("mark").First).ToBeVisibleAsync();
        await Expect(page.Locator("#results > li.result[lang=en]").First).ToHaveAttributeAsync("dir", "ltr");
        Assert.Contains("q=", page.Url, StringComparison.Ordinal);
        Assert.Contains("الناتو", Uri.UnescapeDataString(page.Url.Replace('+', ' ')), StringComparison.Ordinal);
        await ScreenshotAsync(page, "search-arabic");

        // A language facet, clicked: only that language is left, the filter shows, and the URL says so.
        var total = await Results(page).CountAsync();
        await page.Locator("#facets a:has(bdi:text-is('en'))").ClickAsync();
        await Expect(page.Locator("#filters .chip")).ToHaveCountAsync(1);
        await Expect(page.Locator("#results > li.result:not([lang=en])")).ToHaveCountAsync(0);
        var english = await Results(page).CountAsync();
        Assert.InRange(english, 1, total - 1);
        Assert.Contains("lang=en", page.Url, StringComparison.Ordinal);
        await ScreenshotAsync(page, "search-facet");

        // The URL is the search: opened anew, it shows the same.
        var shared = await OpenAsync(new Uri(page.Url).PathAndQuery);
        await Expect(Results(shared)).ToHaveCountAsync(english);
        await Expect(shared.Locator("#q")).ToHaveValueAsync("الناتو OR NATO OR OTAN");

        // Taking the filter off brings every language back.
        await page.Locator("#filters .chip").ClickAsync();
        await Expect(Results(page)).ToHaveCountAsync(total);
    }

    [Fact]
    public async Task Results_come_ten_to_a_page_and_the_page_is_in_the_url()
    {
        var page = await OpenAsync("?q=" + Uri.EscapeDataString("أرشيف"));
        await Expect(Results(page)).ToHaveCountAsync(10);
        await Expect(page.Locator("#pager")).ToContainTextAsync("صفحة 1 من 2");
        var first = await Results(page).Locator("h3").AllTextContentsAsync();

        await page.Locator("#pager a[rel=next]").ClickAsync();
        await SettledAsync(page);
        await Expect(Results(page)).ToHaveCountAsync(WebPageFixture.ArchivedArticles - 10);
        Assert.Contains("page=2", page.Url, StringComparison.Ordinal);
        Assert.Empty((await Results(page).Locator("h3").AllTextContentsAsync()).Intersect(first));

        await page.GoBackAsync();
        await SettledAsync(page);
        await Expect(Results(page)).ToHaveCountAsync(10);
    }

    [Fact]
    public async Task Axe_finds_no_accessibility_violations_in_any_view()
    {
        foreach (var view in new[] { "?q=" + Uri.EscapeDataString("الناتو OR NATO"), "?view=alerts", "?view=feeds" })
        {
            var page = await OpenAsync(view);
            var result = await page.RunAxe(new Deque.AxeCore.Commons.AxeRunOptions
            {
                RunOnly = new Deque.AxeCore.Commons.RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
            });
            Assert.True(result.Violations.Length == 0, $"axe on {view}:\n" + string.Join("\n", result.Violations.Select(violation =>
                $"{violation.Id} ({violation.Impact}): {violation.Help} — {string.Join("; ", violation.Nodes.Take(3).Select(node => string.Join(" ", node.Target)))}")));
        }
    }

    [Fact]
    public async Task An_entity_chip_and_a_day_of_the_histogram_filter_the_search()
    {
        var page = await OpenAsync("?q=" + Uri.EscapeDataString("*"));
        await Expect(Results(page).First).ToBeVisibleAsync();
        var chip = page.Locator("#results a.chip.entity").First;
        var entity = (await chip.TextContentAsync())!;
        await chip.ClickAsync();
        await Expect(page.Locator("#filters .chip")).ToContainTextAsync(entity);
        // Every result left names the entity.
        var results = await Results(page).CountAsync();
        Assert.True(results > 0);
        await Expect(page.Locator("#results > li.result").Filter(new LocatorFilterOptions { HasNot = page.Locator($"a.chip.entity:text-is('{entity}')") })).ToHaveCountAsync(0);

        await page.Locator("#filters .chip").ClickAsync();
        await SettledAsync(page);
        var day = page.Locator(".histogram a").First;
        var label = (await day.GetAttributeAsync("aria-label"))!;
        var expected = int.Parse(label.Split(": ")[1], System.Globalization.CultureInfo.InvariantCulture);
        await day.ClickAsync();
        await Expect(Results(page)).ToHaveCountAsync(Math.Min(expected, 10));
        Assert.Contains("date=" + label.Split(": ")[0], page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_alert_is_tested_on_the_last_week_saved_listed_edited_and_shows_what_it_raised()
    {
        site.PublishArticle("/fresh.html", "الناتو يجتمع في بروكسل اليوم");
        await WaitUntilSearchableAsync("يجتمع", json => json.GetProperty("total").GetInt64() >= 1);

        var page = await OpenAsync("?view=alerts");
        await page.FillAsync("#alert-name", "اجتماع الناتو");
        await page.FillAsync("#alert-query", "الناتو AND بروكسل");
        await page.ClickAsync("#alert-test");
        // The samples are from 2022; only what was published this week counts.
        await Expect(page.Locator("#alert-message")).ToContainTextAsync(new Regex("[1-9]"));
        await Expect(page.Locator("#alert-test-results li.result", new PageLocatorOptions { HasText = "يجتمع" })).ToBeVisibleAsync();

        await page.ClickAsync("#alert-save");
        var alert = page.Locator("#alert-list li.card", new PageLocatorOptions { HasText = "اجتماع الناتو" });
        await Expect(alert).ToBeVisibleAsync();
        await Expect(alert.Locator("code")).ToHaveTextAsync("الناتو AND بروكسل");

        // An article published after the alert was made raises it; the history shows it.
        site.PublishArticle("/later.html", "الناتو يعقد جلسة ثانية في بروكسل");
        var history = alert.Locator(".history li", new LocatorLocatorOptions { HasText = "جلسة ثانية" });
        var deadline = DateTime.UtcNow + Patience;
        while (await history.CountAsync() == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "The alert's history never showed the article published after it.\n" + site.Output);
            await alert.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "السجل" }).ClickAsync();
            await page.WaitForTimeoutAsync(500);
        }
        await ScreenshotAsync(page, "alerts");

        // Edited in the same form: the list shows the new name.
        await alert.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "عدّل" }).ClickAsync();
        await Expect(page.Locator("#alert-name")).ToHaveValueAsync("اجتماع الناتو");
        await page.FillAsync("#alert-name", "الناتو في بروكسل");
        await page.ClickAsync("#alert-save");
        var renamed = page.Locator("#alert-list li.card", new PageLocatorOptions { HasText = "الناتو في بروكسل" });
        await Expect(renamed).ToBeVisibleAsync();

        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await renamed.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "احذف" }).ClickAsync();
        await Expect(renamed).ToHaveCountAsync(0);
        var left = JsonDocument.Parse(await ServiceProbe.Http.GetStringAsync(new Uri(site.Address, "api/subscriptions"))).RootElement;
        Assert.DoesNotContain(left.EnumerateArray(), subscription => subscription.GetProperty("name").GetString() == "الناتو في بروكسل");
    }

    [Fact]
    public async Task New_articles_matching_the_search_appear_without_reloading()
    {
        var page = await OpenAsync("?q=" + Uri.EscapeDataString("بروكسل"));
        await Expect(Results(page).First).ToBeVisibleAsync();

        site.PublishArticle("/live.html", "عاجل: وزراء الناتو في بروكسل");
        var fresh = page.Locator("#results > li.result.new");
        await Expect(fresh).ToHaveCountAsync(1, new LocatorAssertionsToHaveCountOptions { Timeout = (float)Patience.TotalMilliseconds });
        await Expect(fresh.Locator("h3")).ToContainTextAsync("عاجل");
        await Expect(fresh).ToHaveAttributeAsync("dir", "rtl");
        await Expect(page.Locator("#live")).ToBeVisibleAsync();
        await ScreenshotAsync(page, "live");
    }

    [Fact]
    public async Task Feeds_show_their_health_and_are_added_imported_paused_and_removed()
    {
        site.Site.Put("/other.xml", ServedResource.Text("""<rss version="2.0"><channel><title>مصدر آخر</title></channel></rss>""", "application/rss+xml"));
        site.Site.Put("/third.xml", ServedResource.Text("""<rss version="2.0"><channel><title>مصدر ثالث</title></channel></rss>""", "application/rss+xml"));
        var page = await OpenAsync("?view=feeds");
        var polled = page.Locator("#feed-table tbody tr", new PageLocatorOptions { HasText = "feed.xml" });
        await Expect(polled.Locator(".status")).ToHaveTextAsync("يعمل");

        var other = new Uri(site.Site.BaseAddress, "other.xml").AbsoluteUri;
        await page.FillAsync("#feed-url", other);
        await page.PressAsync("#feed-url", "Enter");
        var row = page.Locator("#feed-table tbody tr", new PageLocatorOptions { HasText = "other.xml" });
        await Expect(row).ToBeVisibleAsync();

        await row.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "أوقف" }).ClickAsync();
        await Expect(row.Locator(".status")).ToHaveTextAsync("موقوف");

        var opml = Path.Combine(site.DataDir, "list.opml");
        await File.WriteAllTextAsync(opml, $"""<opml version="2.0"><body><outline text="ثالث" xmlUrl="{new Uri(site.Site.BaseAddress, "third.xml").AbsoluteUri}"/><outline text="local" xmlUrl="file:///etc/passwd"/></body></opml>""");
        await page.SetInputFilesAsync("#opml-file", opml);
        await page.ClickAsync("#opml-form button[type=submit]");
        await Expect(page.Locator("#feed-message")).ToContainTextAsync("1");
        await Expect(page.Locator("#feed-table tbody tr", new PageLocatorOptions { HasText = "third.xml" })).ToBeVisibleAsync();
        await Expect(page.Locator("#feed-table tbody tr", new PageLocatorOptions { HasText = "passwd" })).ToHaveCountAsync(0);
        await ScreenshotAsync(page, "feeds");

        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await row.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "احذف" }).ClickAsync();
        await Expect(row).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task On_a_phone_and_by_keyboard_alone_the_page_searches_with_every_field_labelled()
    {
        var page = await OpenAsync(width: 390, height: 844);
        // From the top of the page, by Tab only, to the query box.
        for (var presses = 0; presses < 10 && await page.EvaluateAsync<string>("document.activeElement?.id ?? ''") != "q"; presses++)
        {
            await page.Keyboard.PressAsync("Tab");
        }
        Assert.Equal("q", await page.EvaluateAsync<string>("document.activeElement?.id ?? ''"));
        await page.Keyboard.TypeAsync("أوكرانيا");
        await page.Keyboard.PressAsync("Enter");
        await Expect(Results(page).First).ToBeVisibleAsync();
        await ScreenshotAsync(page, "phone-search");
        // Nothing wider than the screen.
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways on a phone");

        foreach (var view in new[] { "", "?view=alerts", "?view=feeds" })
        {
            var each = await OpenAsync(view, 390, 844);
            var unlabelled = await each.EvaluateAsync<string[]>("""
                [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
                  .filter(field => field.labels.length === 0 && !field.getAttribute('aria-label'))
                  .map(field => field.id || field.name)
                """);
            Assert.Empty(unlabelled);
        }

        // The page's own words in English, the articles still in their own direction.
        await page.ClickAsync("#language-toggle");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("dir", "ltr");
        await Expect(page.Locator("label[for=q]")).ToHaveTextAsync("Search the news");
        await Expect(page.Locator("#results > li.result[lang=ar]").First).ToHaveAttributeAsync("dir", "rtl");
    }
}
