using System.Text.Json;
using System.Threading.Channels;
using Marsad.Contracts;
using Marsad.Testing;
using MassTransit;
using Microsoft.AspNetCore.Http;

namespace Marsad.EndToEnd.Tests;

/// <summary>
/// SIGTERM, as an orchestrator sends it, to a fetcher in the middle of a slow fetch: it takes no new work, finishes
/// the fetch within the configured shutdown time (its article is handed on, the feed's health recorded, its claim
/// given back), and exits 0.
/// </summary>
[Trait(Needs.Trait, Needs.Processes)]
[Trait(Needs.Trait, Needs.RabbitMq)]
public sealed class GracefulShutdownTests : IAsyncLifetime
{
    private readonly TemporaryDirectory _data = new();
    private readonly Channel<ArticleFetched> _fetched = Channel.CreateUnbounded<ArticleFetched>();
    private TaskCompletionSource _feedRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private RabbitMqVirtualHost _broker = null!;
    private LocalHttpServer _site = null!;
    private IBusControl _observer = null!;

    public async Task InitializeAsync()
    {
        _broker = await RabbitMqVirtualHost.CreateAsync();
        _site = await LocalHttpServer.StartAsync(SlowFeedAsync);
        _observer = await BusObserver.StartAsync(_broker.Url, "shutdown-observer",
            endpoint => endpoint.Handler<ArticleFetched>(context => _fetched.Writer.WriteAsync(context.Message).AsTask()));
    }

    public async Task DisposeAsync()
    {
        await _observer.StopAsync();
        await _site.DisposeAsync();
        await _broker.DisposeAsync();
        _data.Dispose();
    }

    // The feed answers after four seconds: long enough to be stopped in the middle of it.
    private async Task<bool> SlowFeedAsync(HttpContext context)
    {
        if (context.Request.Path != "/slow.xml")
        {
            return false;
        }
        Volatile.Read(ref _feedRequested).TrySetResult();
        await Task.Delay(TimeSpan.FromSeconds(4));
        context.Response.ContentType = "application/rss+xml";
        await context.Response.WriteAsync("""<rss version="2.0"><channel><title>بطيء</title><item><title>خبر</title><guid>slow-1</guid></item></channel></rss>""");
        return true;
    }

    [Fact]
    public async Task Sigterm_mid_fetch_finishes_the_fetch_and_exits_0()
    {
        var feed = new Uri(_site.BaseAddress, "slow.xml").AbsoluteUri;
        var environment = new Dictionary<string, string>
        {
            ["MARSAD__Transport"] = "RabbitMq",
            ["MARSAD__RabbitMq__Url"] = _broker.Url.AbsoluteUri,
            ["MARSAD__Fetcher__AllowLoopback"] = "true",
            ["MARSAD__ShutdownTimeout"] = "00:00:20",
        };
        Assert.Equal(0, (await ProcessRunner.MarsadAsync(["feeds", "add", feed, "--data", _data.Path], environment: environment)).ExitCode);
        // 'feeds add' looked at the feed itself; what is awaited below is the fetcher's own request.
        Volatile.Write(ref _feedRequested, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        var address = new Uri($"http://127.0.0.1:{ServiceProbe.FreePort()}/");
        await using var fetcher = RunningProcess.StartMarsad("fetcher",
            ["run", "--service", "fetcher", "--data", _data.Path, "--urls", address.AbsoluteUri.TrimEnd('/')], environment);
        await ServiceProbe.WaitUntilReadyAsync(fetcher, address, TimeSpan.FromSeconds(60));

        await _feedRequested.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var exitCode = await fetcher.TerminateAsync(TimeSpan.FromSeconds(30));

        Assert.True(exitCode == 0, $"exit code {exitCode?.ToString() ?? "none: still running after 30 s"}\n{fetcher.Output}");
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        ArticleFetched article;
        try
        {
            article = await _fetched.Reader.ReadAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"the fetch under way when SIGTERM came did not hand its article on:\n{fetcher.Output}");
            throw;
        }
        Assert.Equal("خبر", article.Item.Title);
        var health = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_data.Path, "feeds.json"))).RootElement[0];
        Assert.NotEqual(JsonValueKind.Null, health.GetProperty("lastSuccessAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, health.GetProperty("claimId").ValueKind);
        // Its log lines carry the trace id of the work they were written for.
        Assert.Matches("TraceId:[0-9a-f]{32}.*Fetched feed", fetcher.Output);
    }
}
