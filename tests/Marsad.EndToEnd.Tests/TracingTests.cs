using System.Diagnostics;
using Marsad.Cli;
using Marsad.Contracts;
using Marsad.Testing;
using Marsad.Hosting;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Trace;

namespace Marsad.EndToEnd.Tests;

/// <summary>
/// One article, one trace: from the fetch of its page, over a real RabbitMQ broker (the context travels in the
/// messages' headers), through the parser, the classifier, the indexer and the alerts, every span of it connected.
/// </summary>
[Trait(Needs.Trait, Needs.Processes)]
[Trait(Needs.Trait, Needs.RabbitMq)]
public sealed class TracingTests : IAsyncLifetime
{
    private readonly TemporaryDirectory _data = new();
    private RabbitMqVirtualHost _broker = null!;
    private LocalHttpServer _site = null!;

    public async Task InitializeAsync()
    {
        _broker = await RabbitMqVirtualHost.CreateAsync();
        _site = await LocalHttpServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _site.DisposeAsync();
        await _broker.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task One_article_is_one_connected_trace_from_fetch_to_index_and_alerts()
    {
        _site.Put("/page.html", new ServedResource(await File.ReadAllBytesAsync(Path.Combine(RepoPaths.Samples, "pages", "nato-ukraine-ar.html")), "text/html; charset=utf-8"));
        var feed = _site.Put("/feed.xml", ServedResource.Text(
            """<rss version="2.0"><channel><title>t</title><item><title>الناتو</title><link>/page.html</link></item><item><title>ثان</title><link>/page.html?b</link></item></channel></rss>""",
            "application/rss+xml"));

        var spans = new List<Activity>();
        var tracker = new RunTracker();
        using var host = ServiceHosts.BuildOneShot(new Dictionary<string, string?>
        {
            ["DataDir"] = _data.Path,
            ["Transport"] = "RabbitMq",
            ["RabbitMq:Url"] = _broker.Url.AbsoluteUri,
            ["Fetcher:AllowLoopback"] = "true",
            ["Logging:LogLevel:Default"] = "Warning",
        }, tracker, services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans)));
        await host.StartAsync();
        try
        {
            await host.Services.WaitUntilBusReadyAsync(TimeSpan.FromSeconds(60));
            tracker.ExpectFeeds(1);
            await host.Services.GetRequiredService<IBus>().Publish(new FetchFeed { FeedUrl = feed.AbsoluteUri });
            try
            {
                await tracker.Completion.WaitAsync(TimeSpan.FromSeconds(90));
            }
            catch (TimeoutException)
            {
                Assert.Fail($"The article did not get through the pipeline in 90 s: {tracker.Summary}; {string.Join("; ", tracker.Errors)}");
            }
        }
        finally
        {
            await host.StopAsync(); // flushes the exporter
        }
        Assert.Equal(2, tracker.Summary.Indexed);

        List<Activity> finished;
        lock (spans)
        {
            finished = [.. spans];
        }
        var articles = finished.Where(span => span.Source.Name == "Marsad" && span.OperationName == "article").ToList();
        Assert.Equal(2, articles.Count);
        Assert.NotEqual(articles[0].TraceId, articles[1].TraceId); // a trace per article, not one per feed
        var feedFetch = Assert.Single(finished, span => span.DisplayName == "fetch-feed process");

        foreach (var article in articles)
        {
            var trace = finished.Where(span => span.TraceId == article.TraceId).ToList();
            string Describe() => string.Join("\n", trace.Select(span => $"{span.Source.Name} {span.Kind} {span.DisplayName} {span.SpanId} ← {span.ParentSpanId}"));
            Assert.True(article.ParentSpanId == default, $"the article's span is its trace's root:\n{Describe()}");
            Assert.Contains(article.Links, link => link.Context.SpanId == feedFetch.SpanId);
            // Connected: every span's parent is in the trace.
            var ids = trace.Select(span => span.SpanId).ToHashSet();
            Assert.All(trace.Where(span => span != article), span => Assert.True(ids.Contains(span.ParentSpanId), $"{span.DisplayName} hangs from a span outside the trace:\n{Describe()}"));
            // And it reaches every stage: the page fetch and each service's consumer.
            Assert.Contains(trace, span => span.Kind == ActivityKind.Client && span.DisplayName.StartsWith("GET", StringComparison.Ordinal));
            foreach (var (service, endpoint) in new[]
            {
                ("parser", "article-fetched"), ("classifier", "article-parsed"), ("indexer", "article-classified-batch"), ("alerts", "article-indexed"),
            })
            {
                Assert.True(trace.Any(span => span.Kind == ActivityKind.Consumer && span.DisplayName == endpoint + " process"),
                    $"the {service}'s consumer ({endpoint}) is not in the trace:\n{Describe()}");
            }
            // The indexer writes articles in batches: what it does for this one is in this one's trace, linked to the batch.
            Assert.Contains(trace, span => span.OperationName == "index article" && span.Links.Any());
            Assert.Contains(trace, span => span.DisplayName == "Marsad.Contracts:ArticleMatched send");
        }
    }
}
