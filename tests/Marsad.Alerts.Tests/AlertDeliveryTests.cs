using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Marsad.Alerts.Delivery;
using Marsad.Hosting;
using Marsad.Search;
using Marsad.Search.Lucene;
using Marsad.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Marsad.Subscriptions;

namespace Marsad.Alerts.Tests;

/// <summary>
/// Alert delivery end to end on this machine: a real embedded index, the matcher, the delivery journal on disk, a
/// real HTTP receiver on loopback (allowed explicitly, as the address guard refuses loopback by default) and a real
/// SMTP server (aiosmtpd).
/// </summary>
[Trait(Needs.Trait, Needs.Processes)]
[Trait(Needs.Trait, Needs.SharedData)]
public sealed class AlertDeliveryTests : IAsyncLifetime
{
    private readonly TemporaryDirectory _data = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2022, 1, 7, 10, 0, 0, TimeSpan.Zero));
    private readonly ConcurrentQueue<(string Body, string Signature)> _received = new();
    private readonly ConcurrentQueue<IHeaderDictionary> _receivedHeaders = new();
    private readonly AlertDeliveryOptions _delivery = new() { FirstRetryDelay = TimeSpan.FromSeconds(30), RetryFor = TimeSpan.FromHours(1) };
    private LuceneSearchStore _store = null!;
    private SubscriptionStore _subscriptions = null!;
    private LocalHttpServer _receiver = null!;
    private DigestBuilder _digests = null!;

    /// <summary>What the receiver answers next; 200 when the queue is empty.</summary>
    private readonly ConcurrentQueue<int> _answers = new();

    public async Task InitializeAsync()
    {
        _store = new LuceneSearchStore(Path.Combine(_data.Path, "index"));
        _subscriptions = new FileSubscriptionStore(Options(), _clock);
        _receiver = await LocalHttpServer.StartAsync(async context =>
        {
            if (context.Request.Path == "/redirect")
            {
                context.Response.Redirect("http://127.0.0.2:9/elsewhere");
                return true;
            }
            using var reader = new StreamReader(context.Request.Body);
            _received.Enqueue((await reader.ReadToEndAsync(), context.Request.Headers[WebhookSender.SignatureHeader].ToString()));
            _receivedHeaders.Enqueue(new HeaderDictionary(context.Request.Headers.ToDictionary(header => header.Key, header => header.Value)));
            context.Response.StatusCode = _answers.TryDequeue(out var status) ? status : StatusCodes.Status200OK;
            return true;
        });
        await _store.IndexAsync(
        [
            Article("nato", "الناتو يتحد ضد أي عمل عسكري روسي", RepoPaths.SeedArticleText),
            Article("oil", "أسعار النفط", "ارتفعت أسعار النفط اليوم في الأسواق العالمية بعد قرار خفض الإنتاج"),
        ], CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        _store.Dispose();
        _data.Dispose();
    }

    private IOptions<MarsadOptions> Options() => Microsoft.Extensions.Options.Options.Create(new MarsadOptions { DataDir = _data.Path });

    private static ArticleDocument Article(string id, string title, string text) => new()
    {
        Id = id, Url = "https://news.example/" + id, Title = title, Text = text, Source = "وكالة", Language = "ar", Topics = ["internationalNews"],
    };

    /// <summary>The alerts service's parts, as a new process would make them from the data folder.</summary>
    private (SubscriptionMatcher Matcher, AlertDeliveryService Sender, IDisposable Files) Service(params string[] allowedNetworks) =>
        Service(new SmtpOptions(), allowedNetworks);

    private (SubscriptionMatcher Matcher, AlertDeliveryService Sender, IDisposable Files) Service(SmtpOptions smtp, params string[] allowedNetworks)
    {
        var history = new AlertHistory(Options());
        var journal = new DeliveryJournal(Options());
        var http = new HttpClient(OutboundAddressGuard.CreateHandler(allowedNetworks.Select(network => IPNetwork.Parse(network)).ToList())) { Timeout = TimeSpan.FromSeconds(10) };
        var matcher = new SubscriptionMatcher(_subscriptions, history, journal, _store, EntityAliases.Shipped, _clock, NullLogger<SubscriptionMatcher>.Instance);
        var digests = new DigestBuilder(_subscriptions, journal, _store, Options(), Microsoft.Extensions.Options.Options.Create(_delivery));
        var sender = new AlertDeliveryService(
            journal, _subscriptions, [new WebhookSender(http, _clock), new EmailSender(Microsoft.Extensions.Options.Options.Create(smtp))], digests,
            Microsoft.Extensions.Options.Options.Create(_delivery), _clock, NullLogger<AlertDeliveryService>.Instance);
        _digests = digests;
        return (matcher, sender, new Files(history, journal, http));
    }

    private sealed class Files(params IDisposable[] parts) : IDisposable
    {
        public void Dispose()
        {
            foreach (var part in parts)
            {
                part.Dispose();
            }
        }
    }

    /// <summary>The seed article, an unrelated one, and the seed again (a re-delivery, which must send nothing more); then two sends.</summary>
    private static async Task MatchTheSeedTheOilStoryAndTheSeedAgainThenSendAsync(SubscriptionMatcher matcher, AlertDeliveryService sender)
    {
        await matcher.MatchAsync("nato", null, CancellationToken.None);
        await matcher.MatchAsync("oil", null, CancellationToken.None);
        await matcher.MatchAsync("nato", null, CancellationToken.None);
        await sender.SendDueAsync(CancellationToken.None);
        await sender.SendDueAsync(CancellationToken.None);
    }

    private Task<Subscription> SubscribeAsync(string path = "/hook") =>
        _subscriptions.AddAsync("NATO and Ukraine", "أوكرانيا AND الناتو", new Uri(_receiver.BaseAddress, path.TrimStart('/')).ToString(), null, DigestMode.Instant, null, CancellationToken.None);

    private DeliveryReport OnlyDelivery() => Assert.Single(Assert.Single(AlertHistoryEntry.Read(_data.Path)).Deliveries);

    [Fact]
    public async Task A_receiver_verifies_the_timestamped_signature_and_refuses_a_replay_outside_the_window_or_a_second_copy()
    {
        var subscription = await SubscribeAsync();
        var (matcher, sender, files) = Service("127.0.0.0/8");
        using (files)
        {
            await matcher.MatchAsync("nato", null, CancellationToken.None);
            await sender.SendDueAsync(CancellationToken.None);
        }

        var (body, _) = Assert.Single(_received);
        var headers = Assert.Single(_receivedHeaders);
        var timestamp = headers[WebhookSender.TimestampHeader].ToString();
        var deliveryId = headers[WebhookSender.DeliveryHeader].ToString();
        var signature = headers[WebhookSender.TimestampedSignatureHeader].ToString();
        Assert.Equal(_clock.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), timestamp);
        // The delivery id is in the signed body too, so it cannot be swapped to slip a copy past the receiver.
        using (var json = JsonDocument.Parse(body))
        {
            Assert.Equal(deliveryId, json.RootElement.GetProperty("deliveryId").GetString());
        }

        var receiverClock = new FakeTimeProvider(_clock.GetUtcNow().AddMinutes(2));
        var receiver = new WebhookVerifier(subscription.Secret!, receiverClock);
        Assert.Null(receiver.Refusal(body, timestamp, deliveryId, signature));
        Assert.Equal("already taken", receiver.Refusal(body, timestamp, deliveryId, signature));
        Assert.Equal("bad signature", new WebhookVerifier(subscription.Secret!, receiverClock).Refusal(body.Replace("nato", "fake", StringComparison.Ordinal), timestamp, deliveryId, signature));
        Assert.Equal("bad signature", new WebhookVerifier("another secret", receiverClock).Refusal(body, timestamp, deliveryId, signature));
        // The same capture replayed an hour later, or with its timestamp moved: refused.
        receiverClock.Advance(TimeSpan.FromHours(1));
        Assert.Equal("outside the window", new WebhookVerifier(subscription.Secret!, receiverClock).Refusal(body, timestamp, deliveryId, signature));
        var moved = receiverClock.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal("bad signature", new WebhookVerifier(subscription.Secret!, receiverClock).Refusal(body, moved, deliveryId, signature));
    }

    [Fact]
    public async Task A_delivery_that_throws_is_failed_with_its_reason_and_the_next_alert_still_goes_out()
    {
        await _subscriptions.AddAsync("Poisoned", "الناتو", null, "desk@example.org", DigestMode.Instant, null, CancellationToken.None);
        // An address the rules now refuse, as a file written by hand or by an older Marsad may still hold: MimeKit's
        // parser throws on it when the e-mail is built.
        var path = Path.Combine(_data.Path, "subscriptions.json");
        var stored = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!.AsArray();
        stored[0]!["email"] = "not an address\r\nBcc: spy@example.org";
        File.WriteAllText(path, stored.ToJsonString());
        var webhook = await SubscribeAsync();

        var (matcher, sender, files) = Service(new SmtpOptions { Host = "127.0.0.1", Port = 9 }, "127.0.0.0/8");
        using (files)
        {
            await matcher.MatchAsync("nato", null, CancellationToken.None);
            await sender.SendDueAsync(CancellationToken.None);
        }

        var deliveries = AlertHistoryEntry.Read(_data.Path).SelectMany(entry => entry.Deliveries).ToList();
        var email = Assert.Single(deliveries, delivery => delivery.Channel == EmailSender.Channel);
        Assert.Equal(DeliveryStatus.Failed, email.Status);
        Assert.Contains("ParseException", email.LastError, StringComparison.Ordinal);
        Assert.Equal(DeliveryStatus.Delivered, Assert.Single(deliveries, delivery => delivery.Channel == WebhookSender.Channel).Status);
        Assert.Single(_received);
        Assert.NotNull(webhook.Secret);
    }

    [Fact]
    public async Task The_matching_article_is_posted_once_signed_with_the_subscription_s_secret_and_the_other_not_at_all()
    {
        var subscription = await SubscribeAsync();
        var (matcher, sender, files) = Service("127.0.0.0/8");
        using (files)
        {
            await MatchTheSeedTheOilStoryAndTheSeedAgainThenSendAsync(matcher, sender);
        }

        var (body, signature) = Assert.Single(_received);
        Assert.Equal(WebhookSender.Signature(body, subscription.Secret!), signature);
        Assert.StartsWith("sha256=", signature, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(body);
        Assert.Equal(subscription.Id, json.RootElement.GetProperty("subscriptionId").GetString());
        Assert.Equal("NATO and Ukraine", json.RootElement.GetProperty("subscriptionName").GetString());
        var article = json.RootElement.GetProperty("article");
        Assert.Equal("nato", article.GetProperty("id").GetString());
        Assert.Equal("ar", article.GetProperty("lang").GetString());
        Assert.Equal(["internationalNews"], article.GetProperty("topics").EnumerateArray().Select(topic => topic.GetString()));
        Assert.Contains(article.GetProperty("highlights").EnumerateArray(), highlight => highlight.GetString()!.Contains("<em>", StringComparison.Ordinal));

        var delivery = OnlyDelivery();
        Assert.Equal(DeliveryStatus.Delivered, delivery.Status);
        Assert.Equal(1, delivery.Attempts);
    }

    [Fact]
    public async Task A_receiver_that_fails_and_recovers_gets_its_alert_late_not_never_even_across_a_restart()
    {
        await SubscribeAsync();
        _answers.Enqueue(503);
        _answers.Enqueue(500);
        var (matcher, sender, files) = Service("127.0.0.0/8");
        using (files)
        {
            await matcher.MatchAsync("nato", null, CancellationToken.None);
            await sender.SendDueAsync(CancellationToken.None);
            Assert.Equal(DeliveryStatus.Pending, OnlyDelivery().Status);
            Assert.Contains("503", OnlyDelivery().LastError, StringComparison.Ordinal);

            // Not yet due: nothing is sent before the back-off has passed.
            _clock.Advance(TimeSpan.FromSeconds(29));
            await sender.SendDueAsync(CancellationToken.None);
            Assert.Single(_received);
            _clock.Advance(TimeSpan.FromSeconds(1));
            await sender.SendDueAsync(CancellationToken.None);
            Assert.Equal(2, _received.Count);
        }

        // The service restarts; the delivery is still pending on disk, and the next wait is twice as long.
        var (_, restarted, reopened) = Service("127.0.0.0/8");
        using (reopened)
        {
            _clock.Advance(TimeSpan.FromSeconds(59));
            await restarted.SendDueAsync(CancellationToken.None);
            Assert.Equal(2, _received.Count);
            _clock.Advance(TimeSpan.FromSeconds(1));
            await restarted.SendDueAsync(CancellationToken.None);
        }
        Assert.Equal(3, _received.Count);
        var delivery = OnlyDelivery();
        Assert.Equal(DeliveryStatus.Delivered, delivery.Status);
        Assert.Equal(3, delivery.Attempts);
        Assert.Single(_received.Select(received => received.Body).Distinct());
    }

    [Fact]
    public async Task A_receiver_that_never_recovers_has_the_alert_failed_after_the_retry_period_with_the_last_error()
    {
        await SubscribeAsync();
        for (var i = 0; i < 20; i++)
        {
            _answers.Enqueue(503);
        }
        var (matcher, sender, files) = Service("127.0.0.0/8");
        using (files)
        {
            await matcher.MatchAsync("nato", null, CancellationToken.None);
            await sender.SendDueAsync(CancellationToken.None);
            for (var i = 0; i < 10 && OnlyDelivery() is { Status: DeliveryStatus.Pending, NextAttemptAt: { } next }; i++)
            {
                _clock.SetUtcNow(next);
                await sender.SendDueAsync(CancellationToken.None);
            }
        }
        var delivery = OnlyDelivery();
        Assert.Equal(DeliveryStatus.Failed, delivery.Status);
        Assert.Contains("503", delivery.LastError, StringComparison.Ordinal);
        // 30 s, 1, 2, 4, 8, 16 and 32 min fit in the hour; the next would not.
        Assert.Equal(7, delivery.Attempts);
    }

    [Fact]
    public async Task A_receiver_that_refuses_the_alert_is_not_asked_again()
    {
        await SubscribeAsync();
        _answers.Enqueue(410);
        var (matcher, sender, files) = Service("127.0.0.0/8");
        using (files)
        {
            await matcher.MatchAsync("nato", null, CancellationToken.None);
            await sender.SendDueAsync(CancellationToken.None);
            _clock.Advance(TimeSpan.FromHours(1));
            await sender.SendDueAsync(CancellationToken.None);
        }
        Assert.Single(_received);
        Assert.Equal(DeliveryStatus.Failed, OnlyDelivery().Status);
        Assert.Contains("410", OnlyDelivery().LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Loopback_targets_are_refused_unless_allowed_and_so_are_redirects_to_addresses_not_allowed()
    {
        await SubscribeAsync();
        var (matcher, sender, files) = Service();
        using (files)
        {
            await matcher.MatchAsync("nato", null, CancellationToken.None);
            await sender.SendDueAsync(CancellationToken.None);
        }
        Assert.Empty(_received);
        var refused = OnlyDelivery();
        Assert.Equal(DeliveryStatus.Failed, refused.Status);
        Assert.Contains("127.0.0.1", refused.LastError, StringComparison.Ordinal);
        Assert.Contains("AllowedNetworks", refused.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_redirect_to_an_address_not_allowed_is_not_followed()
    {
        var subscription = await SubscribeAsync("/redirect");
        var (matcher, sender, files) = Service("127.0.0.1/32");
        using (files)
        {
            await matcher.MatchAsync("nato", null, CancellationToken.None);
            await sender.SendDueAsync(CancellationToken.None);
        }
        Assert.Equal(1, _receiver.RequestsTo("/redirect"));
        var refused = OnlyDelivery();
        Assert.Equal(DeliveryStatus.Failed, refused.Status);
        Assert.Contains("127.0.0.2", refused.LastError, StringComparison.Ordinal);
        Assert.NotNull(subscription.Secret);
    }

    [Fact]
    public async Task The_matching_article_is_mailed_once_right_to_left_with_the_matched_words_highlighted()
    {
        await using var sink = await SmtpSink.StartAsync();
        await _subscriptions.AddAsync("NATO and Ukraine", "أوكرانيا AND الناتو", null, "desk@newsroom.example", DigestMode.Instant, null, CancellationToken.None);
        var (matcher, sender, files) = Service(new SmtpOptions { Host = "127.0.0.1", Port = sink.Port, From = "Marsad <alerts@marsad.example>" });
        using (files)
        {
            await MatchTheSeedTheOilStoryAndTheSeedAgainThenSendAsync(matcher, sender);
        }

        var message = Assert.Single(sink.Messages());
        Assert.Equal("desk@newsroom.example", Assert.Single(message.To.Mailboxes).Address);
        Assert.Equal("alerts@marsad.example", Assert.Single(message.From.Mailboxes).Address);
        Assert.Equal("[Marsad] NATO and Ukraine: الناتو يتحد ضد أي عمل عسكري روسي", message.Subject);
        Assert.Contains("dir=\"rtl\"", message.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("lang=\"ar\"", message.HtmlBody, StringComparison.Ordinal);
        Assert.Matches("<strong[^>]*>(الناتو|أوكرانيا)[^<]*</strong>", message.HtmlBody);
        Assert.Matches(@"\*(الناتو|أوكرانيا)[^*]*\*", message.TextBody);
        Assert.Contains("https://news.example/nato", message.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("Also reported by", message.TextBody, StringComparison.Ordinal);
        Assert.Equal(DeliveryStatus.Delivered, OnlyDelivery().Status);
    }

    [Fact]
    public async Task The_alert_lists_the_other_outlets_that_reported_the_story()
    {
        var seed = (await _store.GetAsync("nato", null, CancellationToken.None))!;
        await _store.IndexAsync(
        [
            seed with { Id = "nato-first", Source = "وكالة الأنباء الأولى", StoryId = "nato-first" },
            seed with { Id = "nato-copy", Source = "الصحيفة اليومية", StoryId = "nato-first" },
        ], CancellationToken.None);
        await SubscribeAsync();
        var (matcher, sender, files) = Service("127.0.0.0/8");
        using (files)
        {
            await matcher.MatchAsync("nato-copy", null, CancellationToken.None);
            await sender.SendDueAsync(CancellationToken.None);
        }
        using var json = JsonDocument.Parse(Assert.Single(_received).Body);
        Assert.Equal(["وكالة الأنباء الأولى"], json.RootElement.GetProperty("article").GetProperty("otherSources").EnumerateArray().Select(source => source.GetString()));
    }

    [Fact]
    public async Task An_hourly_digest_goes_out_once_when_the_hour_ends_with_each_story_once_by_webhook_and_e_mail()
    {
        await using var sink = await SmtpSink.StartAsync();
        var other = AntCorpus.Sample(every: 10).First(article => article.Text.Contains("الناتو", StringComparison.Ordinal));
        await _store.IndexAsync(
        [
            Article("other-story", other.Title, other.Text),
            Article("nato-copy", "الحلفاء يتوحدون في وجه موسكو", RepoPaths.SeedArticleText) with { Source = "الصحيفة اليومية" },
        ], CancellationToken.None);
        await _subscriptions.AddAsync("NATO", "الناتو", new Uri(_receiver.BaseAddress, "hook").ToString(), "desk@newsroom.example", DigestMode.Hourly, null, CancellationToken.None);
        var (matcher, sender, files) = Service(new SmtpOptions { Host = "127.0.0.1", Port = sink.Port }, "127.0.0.0/8");
        using (files)
        {
            _clock.SetUtcNow(new DateTimeOffset(2022, 1, 7, 10, 5, 0, TimeSpan.Zero));
            await matcher.MatchAsync("nato", null, CancellationToken.None);
            _clock.Advance(TimeSpan.FromMinutes(10));
            await matcher.MatchAsync("other-story", null, CancellationToken.None);
            // Another outlet's copy of the first story: no alert of its own.
            await matcher.MatchAsync("nato-copy", null, CancellationToken.None);
            await matcher.MatchAsync("oil", null, CancellationToken.None);

            // The hour is not over: nothing goes out (the digest of 9–10 has no alerts, and sends nothing).
            await _digests.EnqueueDueAsync(_clock.GetUtcNow(), CancellationToken.None);
            await sender.SendDueAsync(CancellationToken.None);
            Assert.Empty(_received);
            Assert.Empty(sink.Messages());

            _clock.SetUtcNow(new DateTimeOffset(2022, 1, 7, 11, 0, 5, TimeSpan.Zero));
            for (var i = 0; i < 3; i++)
            {
                await _digests.EnqueueDueAsync(_clock.GetUtcNow(), CancellationToken.None);
                await sender.SendDueAsync(CancellationToken.None);
            }
        }

        var (body, _) = Assert.Single(_received);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("hourly", json.RootElement.GetProperty("digest").GetProperty("mode").GetString());
        Assert.Equal(["nato", "other-story"], json.RootElement.GetProperty("stories").EnumerateArray().Select(story => story.GetProperty("id").GetString()).Order());
        var mail = Assert.Single(sink.Messages());
        Assert.Contains("2 stories", mail.Subject, StringComparison.Ordinal);
        Assert.Contains(other.Title, mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("dir=\"rtl\"", mail.HtmlBody, StringComparison.Ordinal);
        var history = AlertHistoryEntry.Read(_data.Path);
        Assert.Equal(2, history.Count);
        Assert.All(history, entry => Assert.Equal(2, entry.Deliveries.Count(delivery => delivery.Status == DeliveryStatus.Delivered)));
    }

    [Fact]
    public void Digest_periods_end_on_the_hour_and_at_the_daily_time()
    {
        var now = new DateTimeOffset(2022, 1, 7, 5, 30, 0, TimeSpan.Zero);
        Assert.Equal((now.AddMinutes(-90), now.AddMinutes(-30)), DigestBuilder.LastPeriod(DigestMode.Hourly, now, TimeSpan.FromHours(6)));
        var sixYesterday = new DateTimeOffset(2022, 1, 6, 6, 0, 0, TimeSpan.Zero);
        Assert.Equal((sixYesterday.AddDays(-1), sixYesterday), DigestBuilder.LastPeriod(DigestMode.Daily, now, TimeSpan.FromHours(6)));
        Assert.Equal((sixYesterday, sixYesterday.AddDays(1)), DigestBuilder.LastPeriod(DigestMode.Daily, now.AddHours(1), TimeSpan.FromHours(6)));
    }

    [Fact]
    public async Task Without_an_smtp_server_configured_an_e_mail_alert_fails_and_says_why()
    {
        await _subscriptions.AddAsync("NATO", "الناتو", null, "desk@newsroom.example", DigestMode.Instant, null, CancellationToken.None);
        var (matcher, sender, files) = Service();
        using (files)
        {
            await matcher.MatchAsync("nato", null, CancellationToken.None);
            await sender.SendDueAsync(CancellationToken.None);
        }
        var delivery = OnlyDelivery();
        Assert.Equal(DeliveryStatus.Failed, delivery.Status);
        Assert.Contains("Alerts:Smtp:Host", delivery.LastError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("8.8.8.8", true)]
    [InlineData("2001:4860:4860::8888", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("10.1.2.3", false)]
    [InlineData("172.20.0.1", false)]
    [InlineData("192.168.1.1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("::1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("fd00::1", false)]
    [InlineData("::ffff:127.0.0.1", false)]
    public void Only_public_addresses_are_public(string address, bool expected) =>
        Assert.Equal(expected, OutboundAddressGuard.IsPublic(IPAddress.Parse(address)));

    [Fact]
    public void A_journal_grown_by_retries_is_compacted_to_each_delivery_s_latest_state_when_next_read()
    {
        var raised = _clock.GetUtcNow();
        using (var journal = new DeliveryJournal(Options()))
        {
            for (var article = 0; article < 10; article++)
            {
                var delivery = new AlertDelivery
                {
                    SubscriptionId = "sub", ArticleId = $"a{article}", Channel = WebhookSender.Channel, Target = "https://hooks.example.org/x",
                    Body = "{}", RaisedAt = raised, NextAttemptAt = raised,
                };
                journal.Add(delivery);
                for (var attempt = 1; attempt <= 150; attempt++)
                {
                    journal.Update(delivery with { Attempts = attempt, LastError = $"HTTP 503 ({attempt})", NextAttemptAt = raised.AddMinutes(attempt) });
                }
            }
        }
        var path = Path.Combine(_data.Path, "alerts", "deliveries.jsonl");
        Assert.Equal(1510, File.ReadLines(path).Count());
        var before = DeliveryJournal.Read(_data.Path);

        using (var reopened = new DeliveryJournal(Options()))
        {
            Assert.Equal(raised.AddMinutes(150), reopened.NextDue());
        }

        Assert.Equal(10, File.ReadLines(path).Count());
        Assert.Equal(before, DeliveryJournal.Read(_data.Path));
        Assert.All(DeliveryJournal.Read(_data.Path, "sub"), delivery => Assert.Equal(150, delivery.Attempts));
        Assert.Empty(DeliveryJournal.Read(_data.Path, "another"));
    }

    [Fact]
    public async Task At_start_the_journals_lose_what_removed_subscriptions_left_and_keep_the_once_only_memory_of_the_others()
    {
        var kept = await SubscribeAsync("/kept");
        var removed = await SubscribeAsync("/removed");
        var (matcher, sender, files) = Service("127.0.0.0/8");
        using (files)
        {
            await matcher.MatchAsync("nato", null, CancellationToken.None);
            await sender.SendDueAsync(CancellationToken.None);
        }
        Assert.Equal(2, _received.Count);
        Assert.True(await _subscriptions.RemoveAsync(removed.Id, CancellationToken.None));

        using (var history = new AlertHistory(Options()))
        using (var journal = new DeliveryJournal(Options()))
        {
            await new AlertJournalCompaction(_subscriptions, history, journal, NullLogger<AlertJournalCompaction>.Instance).StartAsync(CancellationToken.None);
        }

        var alerts = File.ReadAllLines(Path.Combine(_data.Path, "alerts", "history.jsonl"));
        Assert.Contains(kept.Id, Assert.Single(alerts), StringComparison.Ordinal);
        var deliveries = File.ReadAllLines(Path.Combine(_data.Path, "alerts", "deliveries.jsonl"));
        Assert.NotEmpty(deliveries);
        Assert.All(deliveries, line => Assert.Contains(kept.Id, line, StringComparison.Ordinal));
        // The kept subscription still alerts once only: the same article again raises nothing.
        var (again, againSender, againFiles) = Service("127.0.0.0/8");
        using (againFiles)
        {
            await again.MatchAsync("nato", null, CancellationToken.None);
            await againSender.SendDueAsync(CancellationToken.None);
        }
        Assert.Equal(2, _received.Count);
    }
}
