using System.Text.Json;
using System.Threading.Channels;
using Marsad.Contracts;
using Marsad.Testing;
using MassTransit;

namespace Marsad.EndToEnd.Tests;

/// <summary>
/// <c>./marsad errors list|replay</c> against a real RabbitMQ broker and a parser service: a message that can never
/// succeed is listed with its reason; one that failed for a reason since fixed is replayed, processed once, and not
/// replayed again; replaying the hopeless one puts it back where it was, not twice.
/// </summary>
[Trait(Needs.Trait, Needs.Processes)]
[Trait(Needs.Trait, Needs.RabbitMq)]
public sealed class ErrorQueueTests : IAsyncLifetime
{
    private readonly TemporaryDirectory _data = new();
    private readonly Channel<ArticleParsed> _parsed = Channel.CreateUnbounded<ArticleParsed>();
    private RabbitMqVirtualHost _broker = null!;
    private IBusControl _bus = null!;

    public async Task InitializeAsync()
    {
        _broker = await RabbitMqVirtualHost.CreateAsync();
        _bus = await BusObserver.StartAsync(_broker.Url, "errors-observer",
            endpoint => endpoint.Handler<ArticleParsed>(context => _parsed.Writer.WriteAsync(context.Message).AsTask()));
    }

    public async Task DisposeAsync()
    {
        await _bus.StopAsync();
        await _broker.DisposeAsync();
        _data.Dispose();
    }

    private string _queueType = "Classic";

    private Dictionary<string, string> Environment() => new()
    {
        ["MARSAD__Transport"] = "RabbitMq",
        ["MARSAD__RabbitMq__Url"] = _broker.Url.AbsoluteUri,
        ["MARSAD__RabbitMq__QueueType"] = _queueType,
    };

    private async Task<JsonElement> ListAsync()
    {
        var list = await ProcessRunner.MarsadAsync(["errors", "list", "--json"], environment: Environment());
        Assert.True(list.ExitCode == 0, list.StandardError);
        return JsonDocument.Parse(list.StandardOutput).RootElement;
    }

    private async Task<string> ReplayAsync(params string[] filters)
    {
        var replay = await ProcessRunner.MarsadAsync(["errors", "replay", .. filters], environment: Environment());
        Assert.True(replay.ExitCode == 0, replay.StandardError);
        return replay.StandardOutput;
    }

    private static async Task MetricUntilAsync(Uri service, string line)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        var metrics = "";
        while (DateTime.UtcNow < deadline)
        {
            metrics = await ServiceProbe.Http.GetStringAsync(new Uri(service, "metrics"));
            if (metrics.Contains(line, StringComparison.Ordinal))
            {
                return;
            }
            await Task.Delay(500);
        }
        Assert.Fail($"/metrics never showed '{line}'; the last answer's marsad and messaging lines:\n"
            + string.Join('\n', metrics.Split('\n').Where(text => text.StartsWith("marsad_", StringComparison.Ordinal) || text.StartsWith("messaging_", StringComparison.Ordinal))));
    }

    private static ArticleFetched Article(string id, byte[]? page) => new()
    {
        ArticleId = id,
        Url = $"https://news.example/{id}.html",
        Item = new FeedItem { FeedUrl = "https://news.example/rss", Source = "news.example", Title = id == "fixable" ? "الناتو يتحد" : null },
        FetchedAt = DateTimeOffset.UtcNow,
        Body = page,
        ContentType = page is null ? null : "text/html; charset=utf-8",
    };

    /// <param name="queueType">Quorum: the parser's queue and its _error queue are quorum queues, made at its start.</param>
    [Theory]
    [InlineData("Classic")]
    [InlineData("Quorum")]
    public async Task Dead_letters_are_listed_by_reason_counted_in_the_metrics_and_replayed_once_after_a_fix(string queueType)
    {
        _queueType = queueType;
        var address = new Uri($"http://127.0.0.1:{ServiceProbe.FreePort()}/");
        await using var parser = RunningProcess.StartMarsad("parser",
            ["run", "--service", "parser", "--data", _data.Path, "--urls", address.AbsoluteUri.TrimEnd('/')], Environment());
        await ServiceProbe.WaitUntilReadyAsync(parser, address, TimeSpan.FromSeconds(60));

        // Hopeless: no page and no summary. The parser sends it straight to its error queue, with the reason.
        await _bus.Publish(Article("hopeless", page: null));
        JsonElement queues = default;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline && (queues = await ListAsync()).GetArrayLength() == 0)
        {
            await Task.Delay(500);
        }
        var queue = Assert.Single(queues.EnumerateArray());
        Assert.Equal("article-fetched", queue.GetProperty("queue").GetString());
        Assert.Equal(1, queue.GetProperty("messages").GetInt32());
        var hopelessReason = Assert.Single(queue.GetProperty("reasons").EnumerateArray()).GetProperty("reason").GetString()!;
        Assert.False(string.IsNullOrWhiteSpace(hopelessReason));
        // The service's own metrics show it too: its error queue's depth, asked of the broker every few seconds.
        await MetricUntilAsync(address, """marsad_queue_depth{otel_scope_name="Marsad",queue="article-fetched_error"} 1""");
        await MetricUntilAsync(address, """marsad_queue_consumers{otel_scope_name="Marsad",queue="article-fetched"} 1""");

        // Fixable: an article that failed while something was down, dead-lettered as MassTransit does it.
        var page = await File.ReadAllBytesAsync(Path.Combine(RepoPaths.Samples, "pages", "nato-ukraine-ar.html"));
        // Through its exchange: a send to the queue would declare it a classic one, which a quorum queue refuses.
        var errorQueue = await _bus.GetSendEndpoint(new Uri("exchange:article-fetched_error"));
        await errorQueue.Send(Article("fixable", page), send => send.Headers.Set("MT-Fault-Message", "the store was down"));
        Assert.Equal(2, (await ListAsync())[0].GetProperty("messages").GetInt32());

        Assert.Contains("replayed 1 message(s)", await ReplayAsync("--reason", "store was down"), StringComparison.Ordinal);
        using (var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            Assert.Equal("fixable", (await _parsed.Reader.ReadAsync(wait.Token)).ArticleId);
        }
        // How long it waited between being sent and being consumed: MassTransit's delivery duration, the consumer lag.
        await MetricUntilAsync(address, "messaging_masstransit_delivery_duration");

        // Replayed once: a second replay finds nothing, and nothing is parsed twice.
        Assert.Contains("replayed 0 message(s)", await ReplayAsync("--reason", "store was down"), StringComparison.Ordinal);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.False(_parsed.Reader.TryRead(out var again), $"parsed again: {again?.ArticleId}");

        // The hopeless one, replayed, fails again and is back in its error queue: one message, not two.
        Assert.Contains("replayed 1 message(s)", await ReplayAsync("--queue", "article-fetched"), StringComparison.Ordinal);
        deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline && (queues = await ListAsync()).GetArrayLength() == 0)
        {
            await Task.Delay(500);
        }
        var back = Assert.Single(queues.EnumerateArray());
        Assert.Equal(1, back.GetProperty("messages").GetInt32());
        Assert.Equal(hopelessReason, back.GetProperty("reasons")[0].GetProperty("reason").GetString());

        var wrong = await ProcessRunner.MarsadAsync(["errors", "replay", "--queue", "nope"], environment: Environment());
        Assert.Equal(2, wrong.ExitCode);
    }
}
