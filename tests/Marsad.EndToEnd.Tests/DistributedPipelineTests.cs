using System.Collections.Concurrent;
using System.Text;
using System.Threading.Channels;
using Marsad.Contracts;
using Marsad.Testing;
using MassTransit;

namespace Marsad.EndToEnd.Tests;

/// <summary>The distributed mode with the embedded index shared by the indexer (writer), the alerts service and the api (readers).</summary>
[Trait(Needs.Trait, Needs.Elasticsearch)]
[Trait(Needs.Trait, Needs.Processes)]
[Trait(Needs.Trait, Needs.RabbitMq)]
public sealed class DistributedPipelineOnLuceneTests : DistributedPipelineTests
{
    protected override Dictionary<string, string> StoreEnvironment() => new() { ["MARSAD__Store"] = "Lucene" };
}

/// <summary>The distributed mode with the production store: a real Elasticsearch server.</summary>
[Trait(Needs.Trait, Needs.Elasticsearch)]
[Trait(Needs.Trait, Needs.Processes)]
[Trait(Needs.Trait, Needs.RabbitMq)]
public sealed class DistributedPipelineOnElasticsearchTests : DistributedPipelineTests
{
    private readonly string _indexPrefix = "marsad-test-e2e-" + Guid.NewGuid().ToString("N")[..8];

    protected override Dictionary<string, string> StoreEnvironment() => new()
    {
        ["MARSAD__Store"] = "Elasticsearch",
        ["MARSAD__Elasticsearch__Url"] = ElasticsearchServer.Url.AbsoluteUri,
        ["MARSAD__Elasticsearch__ServerMajorVersion"] = ElasticsearchServer.MajorVersion.ToString(),
        ["MARSAD__Elasticsearch__IndexPrefix"] = _indexPrefix,
        // Subscriptions live in the cluster too, where the api writes them and the alerts service reads them.
        ["MARSAD__Elasticsearch__SubscriptionsIndex"] = _indexPrefix + "-subscriptions",
        // And the feed list, which the CLI adds to and the fetchers share.
        ["MARSAD__Elasticsearch__FeedsIndex"] = _indexPrefix + "-feeds",
    };

    protected override Task CleanUpStoreAsync() => ElasticsearchServer.DeleteAsync(_indexPrefix);

    /// <summary>The indexer puts the index template in place when it starts, before any article arrives.</summary>
    protected override async Task AssertStorePreparedAsync()
    {
        var template = new Uri(ElasticsearchServer.Url, "_index_template/" + _indexPrefix);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while ((await ServiceProbe.Http.GetAsync(template)).StatusCode != System.Net.HttpStatusCode.OK)
        {
            Assert.True(DateTime.UtcNow < deadline, $"The indexer did not create the index template {_indexPrefix} at start-up.");
            await Task.Delay(250);
        }
    }
}

/// <summary>
/// The distributed mode for real: fetcher, parser, classifier, indexer, alerts and api each in its own process
/// (<c>./marsad run --service …</c>), a real RabbitMQ broker between them, a news site served on 127.0.0.1.
/// </summary>
[Trait(Needs.Trait, Needs.Elasticsearch)]
[Trait(Needs.Trait, Needs.Processes)]
[Trait(Needs.Trait, Needs.RabbitMq)]
public abstract class DistributedPipelineTests : IAsyncLifetime
{
    private const string ArticlePath = "/ar/2022/01/07/nato-ukraine.html";

    private readonly TemporaryDirectory _data = new();
    private readonly List<RunningProcess> _processes = [];
    private readonly Channel<ArticleIndexed> _indexed = Channel.CreateUnbounded<ArticleIndexed>();
    private readonly Channel<ArticleMatched> _matched = Channel.CreateUnbounded<ArticleMatched>();
    // The first message of each kind the pipeline passed on, as its consumer received it (with its message id).
    private readonly ConcurrentDictionary<Type, (object Message, Guid? MessageId)> _firstOfEachKind = new();
    private RabbitMqVirtualHost _broker = null!;
    private LocalHttpServer _site = null!;
    private IBusControl _observer = null!;

    public async Task InitializeAsync()
    {
        _broker = await RabbitMqVirtualHost.CreateAsync();
        _site = await LocalHttpServer.StartAsync();
        _site.Put(ArticlePath, new ServedResource(
            await File.ReadAllBytesAsync(Path.Combine(RepoPaths.Samples, "pages", "nato-ukraine-ar.html")), "text/html; charset=utf-8"));
        _site.Put("/rss.xml", ServedResource.Text($"""
            <?xml version="1.0" encoding="utf-8"?>
            <rss version="2.0"><channel><title>وكالة محلية</title>
              <item><title>الناتو يتحد ضد أي عمل عسكري روسي في أوكرانيا</title>
                <link>{ArticlePath}?utm_source=rss&amp;utm_medium=feed</link>
                <pubDate>Fri, 07 Jan 2022 10:00:00 GMT</pubDate></item>
            </channel></rss>
            """, "application/rss+xml; charset=utf-8"));

        // The test's own view of the bus: every ArticleIndexed the indexer announces.
        _observer = await BusObserver.StartAsync(_broker.Url, "e2e-observer", endpoint =>
        {
            endpoint.Handler<ArticleIndexed>(context =>
            {
                Keep(context);
                return _indexed.Writer.WriteAsync(context.Message).AsTask();
            });
            endpoint.Handler<ArticleMatched>(context => _matched.Writer.WriteAsync(context.Message).AsTask());
            endpoint.Handler<FetchFeed>(context => Task.FromResult(Keep(context)));
            endpoint.Handler<ArticleFetched>(context => Task.FromResult(Keep(context)));
            endpoint.Handler<ArticleParsed>(context => Task.FromResult(Keep(context)));
            endpoint.Handler<ArticleClassified>(context => Task.FromResult(Keep(context)));
        });
    }

    private bool Keep<T>(ConsumeContext<T> context) where T : class => _firstOfEachKind.TryAdd(typeof(T), (context.Message, context.MessageId));

    protected abstract Dictionary<string, string> StoreEnvironment();

    protected virtual Task CleanUpStoreAsync() => Task.CompletedTask;

    protected virtual Task AssertStorePreparedAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        // Every process this test started is ended, and every other clean-up runs, even if one step fails.
        var failures = new List<Exception>();
        async Task Step(Func<Task> cleanUp)
        {
            try
            {
                await cleanUp();
            }
            catch (Exception e)
            {
                failures.Add(e);
            }
        }
        foreach (var process in _processes)
        {
            await Step(() => process.DisposeAsync().AsTask());
        }
        await Step(CleanUpStoreAsync);
        await Step(() => _observer.StopAsync());
        await Step(() => _site.DisposeAsync().AsTask());
        await Step(() => _broker.DisposeAsync().AsTask());
        _data.Dispose();
        if (failures.Count > 0)
        {
            throw new AggregateException("Cleaning up after the distributed test failed.", failures);
        }
    }

    private Dictionary<string, string> Environment()
    {
        var environment = StoreEnvironment();
        environment["MARSAD__Transport"] = "RabbitMq";
        environment["MARSAD__RabbitMq__Url"] = _broker.Url.AbsoluteUri;
        environment["MARSAD__Fetcher__AllowLoopback"] = "true";
        environment["MARSAD__Outbound__AllowedNetworks__0"] = "127.0.0.0/8"; // webhooks to the test's receiver
        // Every second, whatever the feed's own rate (its one article is years old, which would mean hourly).
        environment["MARSAD__Fetcher__PollInterval"] = "00:00:01";
        environment["MARSAD__Fetcher__MaxPollInterval"] = "00:00:01";
        return environment;
    }

    private async Task<(RunningProcess Process, Uri Address)> StartServiceAsync(string service, string dataDir)
    {
        var address = new Uri($"http://127.0.0.1:{ServiceProbe.FreePort()}/");
        var process = RunningProcess.StartMarsad(service,
            ["run", "--service", service, "--data", dataDir, "--urls", address.AbsoluteUri.TrimEnd('/')], Environment());
        _processes.Add(process);
        await ServiceProbe.WaitUntilReadyAsync(process, address, TimeSpan.FromSeconds(90));
        return (process, address);
    }

    private async Task<RunningProcess> StartFetcherAsync(string dataDir)
    {
        var added = await ProcessRunner.MarsadAsync(["feeds", "add", new Uri(_site.BaseAddress, "rss.xml").AbsoluteUri, "--data", dataDir], environment: Environment());
        Assert.True(added.ExitCode == 0, added.StandardError);
        return (await StartServiceAsync("fetcher", dataDir)).Process;
    }

    /// <summary>The data of the first <c>article</c> event of a server-sent event stream.</summary>
    private static async Task<string> FirstLiveArticleAsync(Uri stream)
    {
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        using var response = await http.GetAsync(stream, HttpCompletionOption.ResponseHeadersRead, cancellation.Token);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellation.Token));
        var isArticle = false;
        while (await reader.ReadLineAsync(cancellation.Token) is { } line)
        {
            if (line == "event: article")
            {
                isArticle = true;
            }
            else if (isArticle && line.StartsWith("data: ", StringComparison.Ordinal))
            {
                return line["data: ".Length..];
            }
        }
        throw new InvalidOperationException("The live stream ended before an article.");
    }

    private async Task<T> NextAsync<T>(Channel<T> channel, TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            return await channel.Reader.ReadAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"No {typeof(T).Name} within {timeout}.\n{Diagnostics()}");
            throw;
        }
    }

    private string Diagnostics()
    {
        var text = new StringBuilder();
        foreach (var process in _processes)
        {
            text.AppendLine($"--- {process.Name} ---").AppendLine(process.Output);
        }
        return text.ToString();
    }

    /// <summary>Every service in its own process, a subscription "NATO" made through the api, and a fetcher polling the site's feed.</summary>
    /// <param name="apiReady">Called once the api answers, before the fetcher starts.</param>
    private async Task<(Uri Api, RunningProcess Fetcher)> StartPipelineAsync(Uri? webhook = null, Action<Uri>? apiReady = null)
    {
        // The index is shared by the indexer (its only writer) and the api (a reader); the fetcher keeps its own state.
        var indexData = Path.Combine(_data.Path, "index-node");
        // Consumers first, so their durable queues exist before the fetcher publishes anything.
        await StartServiceAsync("parser", Path.Combine(_data.Path, "parser"));
        await StartServiceAsync("classifier", Path.Combine(_data.Path, "classifier"));
        await StartServiceAsync("indexer", indexData);
        await AssertStorePreparedAsync();
        var (_, api) = await StartServiceAsync("api", indexData);
        // Subscribed through the api, as in the distributed mode: the alerts service, another process, finds it in the store.
        using var subscribed = await ServiceProbe.Http.PostAsync(new Uri(api, "api/subscriptions"),
            System.Net.Http.Json.JsonContent.Create(new { name = "NATO", query = "أوكرانيا AND الناتو", webhook = webhook?.AbsoluteUri }));
        Assert.True(subscribed.IsSuccessStatusCode, await subscribed.Content.ReadAsStringAsync());
        await StartServiceAsync("alerts", indexData);
        apiReady?.Invoke(api);
        return (api, await StartFetcherAsync(Path.Combine(_data.Path, "fetcher-1")));
    }

    [Fact]
    public async Task An_article_served_on_loopback_becomes_searchable_and_alerts_once_and_a_second_run_indexes_and_alerts_nothing_twice()
    {
        // A live search open on the api (another process) before the article exists: it is told when it is indexed.
        Task<string>? live = null;
        var (api, firstFetcher) = await StartPipelineAsync(apiReady: address => live = FirstLiveArticleAsync(new Uri(address, "api/live?q=" + Uri.EscapeDataString("الناتو"))));

        var first = await NextAsync(_indexed, TimeSpan.FromSeconds(90));
        Assert.False(first.AlreadyIndexed);
        Assert.Equal("ar", first.Language);

        var response = await ServiceProbe.SearchUntilAsync(api, "اوكرانيا", json => json.GetProperty("total").GetInt64() == 1, TimeSpan.FromSeconds(30), Diagnostics);
        var liveHit = System.Text.Json.JsonDocument.Parse(await live!.WaitAsync(TimeSpan.FromSeconds(30))).RootElement;
        Assert.Equal(first.ArticleId, liveHit.GetProperty("id").GetString());
        Assert.Contains("<em>", liveHit.GetProperty("highlights")[0].GetString(), StringComparison.Ordinal);
        var hit = response.GetProperty("hits")[0];
        // Canonical URL: the feed's utm_* parameters are gone.
        Assert.Equal(new Uri(_site.BaseAddress, ArticlePath.TrimStart('/')).AbsoluteUri, hit.GetProperty("url").GetString());
        Assert.Equal("وكالة محلية", hit.GetProperty("source").GetString());
        Assert.Equal("ar", hit.GetProperty("lang").GetString());
        Assert.Contains("<em>", hit.GetProperty("highlights")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(1, response.GetProperty("facets").GetProperty("lang").GetProperty("ar").GetInt64());

        // The same run again, by a fetcher that has forgotten everything: the article travels the whole pipeline
        // once more, and the indexer recognises it.
        await firstFetcher.DisposeAsync();
        await StartFetcherAsync(Path.Combine(_data.Path, "fetcher-2"));
        var second = await NextAsync(_indexed, TimeSpan.FromSeconds(90));
        Assert.Equal(first.ArticleId, second.ArticleId);
        Assert.True(second.AlreadyIndexed);

        // One alert for the article, raised by the alerts service in its own process; none for the re-delivery.
        var firstMatch = await NextAsync(_matched, TimeSpan.FromSeconds(60));
        Assert.Equal("NATO", Assert.Single(firstMatch.Alerts).SubscriptionName);
        var secondMatch = await NextAsync(_matched, TimeSpan.FromSeconds(60));
        Assert.Equal(first.ArticleId, secondMatch.ArticleId);
        Assert.Empty(secondMatch.Alerts);

        var after = await ServiceProbe.SearchUntilAsync(api, "اوكرانيا", _ => true, TimeSpan.FromSeconds(10), Diagnostics);
        Assert.Equal(1, after.GetProperty("total").GetInt64());
        Assert.Equal(2, _site.RequestsTo(ArticlePath));
    }

    /// <summary>
    /// What RabbitMQ does when a consumer dies after its work but before its acknowledgement: the same message (same
    /// id) again. Each stage's message is delivered a second time; the article stays one document, its alert one
    /// webhook call. No outbox is needed for this: the indexer's write is keyed by the article's id (a second write
    /// is recognised and announced as already indexed) and the alerts service records an alert before raising it.
    /// </summary>
    [Fact]
    public async Task Every_message_of_the_pipeline_delivered_twice_leaves_one_article_and_one_webhook_call()
    {
        var calls = new ConcurrentQueue<string>();
        await using var receiver = await LocalHttpServer.StartAsync(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            calls.Enqueue(await reader.ReadToEndAsync());
            return true;
        });
        var (api, _) = await StartPipelineAsync(new Uri(receiver.BaseAddress, "hook"));
        var first = await NextAsync(_indexed, TimeSpan.FromSeconds(90));
        Assert.False(first.AlreadyIndexed);
        Assert.Single((await NextAsync(_matched, TimeSpan.FromSeconds(60))).Alerts);
        await ServiceProbe.SearchUntilAsync(api, "اوكرانيا", json => json.GetProperty("total").GetInt64() == 1, TimeSpan.FromSeconds(30), Diagnostics);

        async Task DeliverAgainAsync<T>(string queue) where T : class
        {
            Assert.True(_firstOfEachKind.TryGetValue(typeof(T), out var original), $"no {typeof(T).Name} was seen on the bus");
            var endpoint = await _observer.GetSendEndpoint(new Uri("queue:" + queue));
            await endpoint.Send((T)original.Message, send => send.MessageId = original.MessageId);
        }

        // The parser's, the classifier's and the indexer's message again: each goes through the rest of the
        // pipeline and is recognised by the indexer; the alerts service raises nothing for it.
        await DeliverAgainAsync<ArticleFetched>("article-fetched");
        await DeliverAgainAsync<ArticleParsed>("article-parsed");
        await DeliverAgainAsync<ArticleClassified>("article-classified-batch");
        for (var stage = 0; stage < 3; stage++)
        {
            var again = await NextAsync(_indexed, TimeSpan.FromSeconds(60));
            Assert.Equal(first.ArticleId, again.ArticleId);
            Assert.True(again.AlreadyIndexed, "written a second time");
            Assert.Empty((await NextAsync(_matched, TimeSpan.FromSeconds(60))).Alerts);
        }
        // The alerts service's own message again, announcing the article as new: still no second alert.
        await DeliverAgainAsync<ArticleIndexed>("article-indexed");
        Assert.Empty((await NextAsync(_matched, TimeSpan.FromSeconds(60))).Alerts);
        // The fetcher's request for the feed again: the article is known, its page not asked for again, nothing handed on.
        await DeliverAgainAsync<FetchFeed>("fetch-feed");

        // Settled: one document, one call to the webhook, one request for the page, nothing more on its way.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.False(_indexed.Reader.TryRead(out var late), $"indexed again: {late?.ArticleId}");
        var after = await ServiceProbe.SearchUntilAsync(api, "اوكرانيا", _ => true, TimeSpan.FromSeconds(10), Diagnostics);
        Assert.Equal(1, after.GetProperty("total").GetInt64());
        Assert.Equal(1, _site.RequestsTo(ArticlePath));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (calls.IsEmpty && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
        }
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Contains(first.ArticleId, Assert.Single(calls), StringComparison.Ordinal);
    }
}
