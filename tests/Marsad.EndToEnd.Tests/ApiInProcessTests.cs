using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Marsad.Cli;
using Marsad.Hosting.Access;
using Marsad.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Marsad.EndToEnd.Tests;

/// <summary>
/// The api in this process, on ASP.NET Core's test server, built by the very <see cref="ServiceHosts"/> that
/// <c>marsad run</c> uses: routes, roles, the OpenAPI document, and feed discovery answered by a fetcher over the bus.
/// </summary>
public sealed class ApiInProcessTests : IAsyncLifetime
{
    private readonly TemporaryDirectory _data = new();
    private WebApplication _app = null!;
    private readonly Dictionary<MarsadRole, HttpClient> _clients = [];

    /// <summary>The whole pipeline in process (the embedded mode), so a fetcher is on the bus to answer the api.</summary>
    public async Task InitializeAsync()
    {
        _app = ServiceHosts.BuildAllInOne(new Dictionary<string, string?>
        {
            ["DataDir"] = _data.Path,
            ["Fetcher:AllowLoopback"] = "true",
            ["Fetcher:PollInterval"] = "01:00:00",
        }, builder => builder.WebHost.UseTestServer());
        await _app.StartAsync();
        var keys = _app.Services.GetRequiredService<ApiKeyStore>();
        foreach (var role in new[] { MarsadRole.Reader, MarsadRole.Editor, MarsadRole.Admin })
        {
            var (_, secret) = await keys.AddAsync(role.ToString().ToLowerInvariant(), role, CancellationToken.None);
            var client = _app.GetTestClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
            _clients[role] = client;
        }
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task The_openapi_document_describes_the_api_to_a_signed_in_caller_only()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await _app.GetTestClient().GetAsync("/openapi/v1.json")).StatusCode);

        using var document = JsonDocument.Parse(await _clients[MarsadRole.Reader].GetStringAsync("/openapi/v1.json"));
        Assert.StartsWith("3.", document.RootElement.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        var paths = document.RootElement.GetProperty("paths").EnumerateObject().Select(path => path.Name).ToList();
        foreach (var route in new[] { "/api/search", "/api/subscriptions", "/api/subscriptions/{id}", "/api/subscriptions/{id}/alerts", "/api/feeds", "/api/feeds/import", "/api/session" })
        {
            Assert.Contains(route, paths);
        }
        Assert.True(document.RootElement.GetProperty("paths").GetProperty("/api/search").TryGetProperty("get", out _));
    }

    [Fact]
    public async Task Each_role_reaches_what_it_may_and_an_editor_keeps_a_subscription_with_its_history()
    {
        var reader = _clients[MarsadRole.Reader];
        var editor = _clients[MarsadRole.Editor];
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/api/search?q=%D8%A7%D9%84%D9%86%D8%A7%D8%AA%D9%88")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync("/api/subscriptions")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await editor.GetAsync("/api/feeds")).StatusCode);

        var created = await editor.PostAsJsonAsync("/api/subscriptions", new { name = "الناتو", query = "الناتو AND أوكرانيا", webhook = "https://hooks.example/marsad" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var body = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
        var id = body.RootElement.GetProperty("subscription").GetProperty("id").GetString()!;
        var secret = body.RootElement.GetProperty("secret").GetString()!;
        Assert.True(secret.Length >= 32, secret);
        Assert.Equal("editor", body.RootElement.GetProperty("subscription").GetProperty("owner").GetString());

        using var list = JsonDocument.Parse(await editor.GetStringAsync("/api/subscriptions"));
        Assert.Equal(id, Assert.Single(list.RootElement.EnumerateArray()).GetProperty("id").GetString());
        Assert.DoesNotContain(secret, list.RootElement.GetRawText(), StringComparison.Ordinal); // shown once, at creation
        Assert.Equal("[]", await editor.GetStringAsync($"/api/subscriptions/{id}/alerts"));
        Assert.Equal(HttpStatusCode.NoContent, (await editor.DeleteAsync($"/api/subscriptions/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await editor.GetAsync($"/api/subscriptions/{id}/alerts")).StatusCode);
    }

    [Fact]
    public async Task A_site_page_given_to_the_api_is_looked_at_by_a_fetcher_and_its_feeds_are_added()
    {
        await using var site = await LocalHttpServer.StartAsync();
        var feed = site.Put("/rss.xml", ServedResource.Text("<rss version=\"2.0\"><channel><title>t</title></channel></rss>", "application/rss+xml"));
        var page = site.Put("/", ServedResource.Text("<html><head><link rel=\"alternate\" type=\"application/rss+xml\" href=\"/rss.xml\"></head><body></body></html>", "text/html"));

        var response = await _clients[MarsadRole.Admin].PostAsJsonAsync("/api/feeds", new { url = page.AbsoluteUri });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var added = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(feed.AbsoluteUri, Assert.Single(added.RootElement.GetProperty("feeds").EnumerateArray()).GetProperty("url").GetString());
        Assert.Equal(JsonValueKind.Null, added.RootElement.GetProperty("warning").ValueKind);
        Assert.Equal(1, site.RequestsTo("/"));

        var notFeed = await _clients[MarsadRole.Admin].PostAsJsonAsync("/api/feeds", new { url = site.Put("/plain", ServedResource.Text("<html><body>no feed</body></html>", "text/html")).AbsoluteUri });
        Assert.Equal(HttpStatusCode.BadRequest, notFeed.StatusCode);
        Assert.Contains("announces no feed", await notFeed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
