using System.Net;
using System.Text.Json;
using Marsad.Testing;

namespace Marsad.EndToEnd.Tests;

/// <summary>
/// <c>/health/ready</c> asks the store as well as the bus: an api whose Elasticsearch does not answer is alive but not
/// ready, and says which part is down; the same api on a real server is ready. <c>./marsad health</c> says the same.
/// </summary>
[Trait(Needs.Trait, Needs.Elasticsearch)]
[Trait(Needs.Trait, Needs.Processes)]
public sealed class ReadinessTests : IDisposable
{
    private readonly TemporaryDirectory _data = new();

    public void Dispose() => _data.Dispose();

    private RunningProcess StartApi(Uri store, string indexPrefix, out Uri address)
    {
        address = new Uri($"http://127.0.0.1:{ServiceProbe.FreePort()}/");
        return RunningProcess.StartMarsad("api", ["run", "--service", "api", "--data", _data.Path, "--urls", address.AbsoluteUri.TrimEnd('/')], new Dictionary<string, string>
        {
            ["MARSAD__Store"] = "Elasticsearch",
            ["MARSAD__Elasticsearch__Url"] = store.AbsoluteUri,
            ["MARSAD__Elasticsearch__ServerMajorVersion"] = ElasticsearchServer.MajorVersion.ToString(),
            ["MARSAD__Elasticsearch__IndexPrefix"] = indexPrefix,
            ["MARSAD__Elasticsearch__FeedsIndex"] = indexPrefix + "-feeds",
        });
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> ReadyAsync(Uri address)
    {
        using var response = await ServiceProbe.Http.GetAsync(new Uri(address, "health/ready"));
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    [Fact]
    public async Task An_api_whose_store_does_not_answer_is_live_but_not_ready_and_says_why()
    {
        // A port nothing listens on: connections are refused at once, as when the cluster is down.
        var nowhere = new Uri($"http://127.0.0.1:{ServiceProbe.FreePort()}/");
        await using var api = StartApi(nowhere, "marsad-test-ready", out var address);
        await ServiceProbe.WaitUntilLiveAsync(api, address, TimeSpan.FromSeconds(60));

        var (status, body) = await ReadyAsync(address);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("Unhealthy", body.GetProperty("status").GetString());
        var store = body.GetProperty("checks").GetProperty("store");
        Assert.Equal("Unhealthy", store.GetProperty("status").GetString());
        Assert.Contains(nowhere.Authority, store.GetProperty("description").GetString(), StringComparison.Ordinal);
        // The feed list lives in the same cluster in this mode.
        Assert.Equal("Unhealthy", body.GetProperty("checks").GetProperty("feeds").GetProperty("status").GetString());
        // The api depends on the store, the feed list and the bus (new articles for live searches); the bus is fine.
        Assert.Equal(["feeds", "masstransit-bus", "store"], body.GetProperty("checks").EnumerateObject().Select(check => check.Name).Order());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("masstransit-bus").GetProperty("status").GetString());

        var health = await ProcessRunner.MarsadAsync(["health", "--url", address.AbsoluteUri]);
        Assert.Equal(1, health.ExitCode);
        Assert.Contains("\"store\"", health.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(0, (await ProcessRunner.MarsadAsync(["health", "--url", address.AbsoluteUri, "--live"])).ExitCode);
    }

    [Fact]
    public async Task An_api_on_a_real_store_is_ready_with_every_part_answering()
    {
        var prefix = "marsad-test-ready-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            await using var api = StartApi(ElasticsearchServer.Url, prefix, out var address);
            await ServiceProbe.WaitUntilReadyAsync(api, address, TimeSpan.FromSeconds(60));

            var (status, body) = await ReadyAsync(address);
            Assert.Equal(HttpStatusCode.OK, status);
            var checks = body.GetProperty("checks");
            Assert.Equal("0 articles", checks.GetProperty("store").GetProperty("description").GetString());
            Assert.Equal("0 feeds", checks.GetProperty("feeds").GetProperty("description").GetString());
            Assert.All(checks.EnumerateObject(), check => Assert.Equal("Healthy", check.Value.GetProperty("status").GetString()));
            Assert.Equal(0, (await ProcessRunner.MarsadAsync(["health", "--url", address.AbsoluteUri])).ExitCode);
        }
        finally
        {
            await ElasticsearchServer.DeleteAsync(prefix);
        }
    }
}
