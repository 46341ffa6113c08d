using System.Text.Json;
using Marsad.Alerts;
using Marsad.Search;
using Marsad.Search.Elasticsearch;
using Marsad.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Marsad.Subscriptions;

namespace Marsad.EndToEnd.Tests;

/// <summary>
/// In the distributed mode the CLI works on the store the services use: <c>./marsad search</c> finds what the
/// api's Elasticsearch store finds, and <c>./marsad alerts</c> adds to and lists the subscriptions kept there, both
/// from <c>MARSAD__Store</c> and the same settings, with an empty data folder.
/// </summary>
[Trait(Needs.Trait, Needs.Elasticsearch)]
[Trait(Needs.Trait, Needs.Processes)]
public sealed class CliStoreTests : IAsyncLifetime
{
    private readonly string _prefix = "marsad-cli-" + Guid.NewGuid().ToString("N")[..10];

    // Apart from the articles' prefix, whose indices the article template and searches match by wildcard.
    private readonly string _statePrefix = "marsad-clistate-" + Guid.NewGuid().ToString("N")[..10];
    private readonly TemporaryDirectory _data = new();
    private ElasticsearchOptions _options = null!;

    public Task InitializeAsync()
    {
        _options = new ElasticsearchOptions
        {
            Url = ElasticsearchServer.Url,
            ServerMajorVersion = ElasticsearchServer.MajorVersion,
            IndexPrefix = _prefix,
            SubscriptionsIndex = _statePrefix + "-subscriptions",
            FeedsIndex = _statePrefix + "-feeds",
        };
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await ElasticsearchServer.DeleteAsync(_prefix);
        await ElasticsearchServer.DeleteAsync(_statePrefix);
        _data.Dispose();
    }

    private Dictionary<string, string> Distributed() => new()
    {
        ["MARSAD__Store"] = "Elasticsearch",
        ["MARSAD__Elasticsearch__Url"] = _options.Url.AbsoluteUri,
        ["MARSAD__Elasticsearch__ServerMajorVersion"] = _options.ServerMajorVersion.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["MARSAD__Elasticsearch__IndexPrefix"] = _prefix,
        ["MARSAD__Elasticsearch__SubscriptionsIndex"] = _options.SubscriptionsIndex,
        ["MARSAD__Elasticsearch__FeedsIndex"] = _options.FeedsIndex,
    };

    [Fact]
    public async Task Search_and_alerts_use_the_elasticsearch_store_the_services_use()
    {
        var store = new ElasticsearchSearchStore(_options, NullLogger<ElasticsearchSearchStore>.Instance);
        await store.PrepareAsync(CancellationToken.None);
        await store.IndexAsync(
        [
            new ArticleDocument { Id = "nato", Url = "https://news.example/nato", Title = "الناتو يتحد ضد أي عمل عسكري روسي", Text = "قال الأمين العام لحلف الناتو إن الحلف متحد", Source = "وكالة", Language = "ar", Published = new DateTimeOffset(2022, 1, 7, 10, 0, 0, TimeSpan.Zero) },
            new ArticleDocument { Id = "oil", Url = "https://news.example/oil", Title = "أسعار النفط", Text = "ارتفعت أسعار النفط اليوم", Source = "وكالة", Language = "ar", Published = new DateTimeOffset(2022, 1, 7, 11, 0, 0, TimeSpan.Zero) },
        ], CancellationToken.None);
        await store.RefreshAsync(CancellationToken.None);
        var expected = await store.SearchAsync(new SearchRequest { Query = "الناتو" }, CancellationToken.None);
        Assert.Equal(1, expected.Total);

        var searched = await ProcessRunner.MarsadAsync(["search", "--json", "--data", _data.Path, "الناتو"], environment: Distributed());
        Assert.True(searched.ExitCode == 0, searched.StandardError);
        var found = JsonDocument.Parse(searched.StandardOutput).RootElement;
        Assert.Equal(expected.Total, found.GetProperty("total").GetInt64());
        Assert.Equal(expected.Hits.Select(hit => hit.Id), found.GetProperty("hits").EnumerateArray().Select(hit => hit.GetProperty("id").GetString()));
        Assert.False(Directory.Exists(Path.Combine(_data.Path, "index")), "the CLI opened an embedded index in the distributed mode");

        var added = await ProcessRunner.MarsadAsync(["alerts", "add", "--name", "NATO", "--query", "الناتو", "--data", _data.Path], environment: Distributed());
        Assert.True(added.ExitCode == 0, added.StandardError);
        var kept = await new ElasticsearchSubscriptionStore(_options, TimeProvider.System).ListAsync(CancellationToken.None);
        Assert.Equal("NATO", Assert.Single(kept).Name);
        Assert.False(File.Exists(Path.Combine(_data.Path, "subscriptions.json")), "the CLI wrote the embedded subscription file in the distributed mode");
        var listed = await ProcessRunner.MarsadAsync(["alerts", "list", "--json", "--data", _data.Path], environment: Distributed());
        Assert.Equal(kept[0].Id, Assert.Single(JsonDocument.Parse(listed.StandardOutput).RootElement.EnumerateArray()).GetProperty("id").GetString());
    }
}
