using Marsad.Hosting;
using System.Security.Cryptography;
using System.Text;
using Marsad.Contracts;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Marsad.Feeds;

namespace Marsad.Fetcher;

/// <summary>
/// WebSub (W3C, formerly PubSubHubbub) subscriptions: when a fetched feed names a hub and this Marsad has a public
/// address (<see cref="FetcherOptions.PublicUrl"/>), the fetcher subscribes at the hub with a secret of the feed's own;
/// the hub checks the request at <c>/websub/{feedId}</c> and then pushes each update there, signed. A push whose
/// signature holds goes on the bus as a fetch with its content, so it is handled like a poll (one fetcher, claims,
/// retries) within seconds of publication; polling goes on at the longest interval as a safety net.
/// </summary>
public sealed class WebSubSubscriber(
    IHttpClientFactory httpClientFactory,
    FeedRegistry registry,
    IOptions<FetcherOptions> options,
    TimeProvider timeProvider,
    ILogger<WebSubSubscriber> logger)
{
    public const string CallbackPath = "/websub";

    private static readonly TimeSpan RenewBefore = TimeSpan.FromDays(1);
    private static readonly TimeSpan AskAgainAfter = TimeSpan.FromHours(1);

    public bool Enabled => !string.IsNullOrEmpty(options.Value.PublicUrl);

    public Uri CallbackFor(string feedId) => new($"{options.Value.PublicUrl!.TrimEnd('/')}{CallbackPath}/{feedId}");

    /// <summary>After a fetch: subscribes when the feed names a hub and has no lease that lasts another day (nor asked within the hour).</summary>
    public async Task SubscribeIfDueAsync(FeedRecord feed, ParsedFeed parsed, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        if (!Enabled || parsed.Hub is not { } hub
            || (feed.WebSubHub == hub.AbsoluteUri && feed.WebSubLeaseUntil > now + RenewBefore)
            || (feed.WebSubHub == hub.AbsoluteUri && feed.WebSubRequestedAt > now - AskAgainAfter))
        {
            return;
        }
        var topic = (parsed.Self ?? new Uri(feed.Url)).AbsoluteUri;
        var secret = feed.WebSubSecret ?? Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
        // Recorded before asking: the hub may check the request before its answer to it arrives.
        await registry.UpdateAsync(feed.Url, current => current is null ? null : current with
        {
            WebSubHub = hub.AbsoluteUri,
            WebSubTopic = topic,
            WebSubSecret = secret,
            WebSubRequestedAt = now,
            WebSubError = null,
        }, cancellationToken);

        string? error = null;
        try
        {
            using var request = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["hub.mode"] = "subscribe",
                ["hub.topic"] = topic,
                ["hub.callback"] = CallbackFor(feed.Id).AbsoluteUri,
                ["hub.lease_seconds"] = ((int)options.Value.WebSubLease.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["hub.secret"] = secret,
            });
            using var response = await httpClientFactory.CreateClient(ContentFetcher.HttpClientName).PostAsync(hub, request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                error = $"{hub} refused the subscription: {(int)response.StatusCode} {response.ReasonPhrase}";
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or Polly.Timeout.TimeoutRejectedException && !cancellationToken.IsCancellationRequested)
        {
            error = $"{hub} could not be asked: {e.Message}";
        }
        if (error is not null)
        {
            logger.LogWarning("WebSub for {FeedUrl}: {Error}", feed.Url, error);
            await registry.UpdateAsync(feed.Url, current => current is null ? null : current with { WebSubError = error }, cancellationToken);
        }
        else
        {
            logger.LogInformation("WebSub: asked {Hub} to push {Topic}", hub, topic);
        }
    }

    /// <summary>
    /// The hub's check of intent: the challenge is echoed when this Marsad asked for exactly this (a subscription to
    /// the topic of a feed it has), which starts the lease; null (404) otherwise.
    /// </summary>
    public async Task<string?> VerifyAsync(string feedId, string? mode, string? topic, string? challenge, int? leaseSeconds, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(challenge))
        {
            return null;
        }
        var feed = await registry.FindAsync(feedId, cancellationToken);
        switch (mode)
        {
            case "subscribe" when feed is not null && !feed.Paused && feed.WebSubTopic == topic:
                var until = timeProvider.GetUtcNow() + TimeSpan.FromSeconds(leaseSeconds ?? (int)options.Value.WebSubLease.TotalSeconds);
                await registry.UpdateAsync(feed.Url, current => current is null ? null : current with { WebSubLeaseUntil = until, WebSubError = null }, cancellationToken);
                logger.LogInformation("WebSub: {Topic} is pushed to us until {Until:u}", topic, until);
                return challenge;
            case "unsubscribe" when feed is null || feed.Paused || feed.WebSubTopic != topic:
                return challenge; // we do not want it any more
            default:
                return null;
        }
    }

    /// <summary>The feed a push is for, if its signature (X-Hub-Signature: sha1|sha256|sha384|sha512=HEX) holds with the feed's secret.</summary>
    public async Task<FeedRecord?> AuthenticAsync(string feedId, byte[] body, string? signature, CancellationToken cancellationToken)
    {
        var feed = await registry.FindAsync(feedId, cancellationToken);
        if (feed?.WebSubSecret is not { } secret || signature?.Split('=', 2) is not [var method, var hex])
        {
            return null;
        }
        var key = Encoding.UTF8.GetBytes(secret);
        byte[]? expected = method switch
        {
            "sha1" => HMACSHA1.HashData(key, body),
            "sha256" => HMACSHA256.HashData(key, body),
            "sha384" => HMACSHA384.HashData(key, body),
            "sha512" => HMACSHA512.HashData(key, body),
            _ => null,
        };
        byte[] given;
        try
        {
            given = Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            return null;
        }
        return expected is not null && CryptographicOperations.FixedTimeEquals(expected, given) ? feed : null;
    }
}

public static class WebSubEndpoints
{
    /// <summary>
    /// The callbacks hubs call: GET to check a subscription, POST to push an update. Hubs cannot sign in; a push is
    /// taken only with the HMAC of the subscription's own secret, and a check only for a subscription Marsad asked for.
    /// </summary>
    public static IEndpointRouteBuilder MapWebSub(this IEndpointRouteBuilder endpoints)
    {
        var callbacks = endpoints.MapGroup(WebSubSubscriber.CallbackPath).AllowAnonymous();
        callbacks.MapGet("/{feedId}", async (string feedId, HttpRequest request, WebSubSubscriber subscriber, CancellationToken cancellationToken) =>
        {
            var query = request.Query;
            var challenge = await subscriber.VerifyAsync(feedId, query["hub.mode"], query["hub.topic"], query["hub.challenge"],
                int.TryParse(query["hub.lease_seconds"], out var lease) ? lease : null, cancellationToken);
            return challenge is null ? Results.NotFound() : Results.Text(challenge, "text/plain");
        });
        callbacks.MapPost("/{feedId}", async (string feedId, HttpRequest request, WebSubSubscriber subscriber,
            IBus bus, IOptions<FetcherOptions> options, ILoggerFactory loggers, CancellationToken cancellationToken) =>
        {
            var logger = loggers.CreateLogger(typeof(WebSubSubscriber));
            request.HttpContext.AllowRequestBody(options.Value.MaxFeedBytes + 1L);
            if (await BoundedReads.ReadAtMostAsync(request.Body, options.Value.MaxFeedBytes, cancellationToken) is not { } content)
            {
                return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
            }
            var feed = await subscriber.AuthenticAsync(feedId, content, request.Headers["X-Hub-Signature"], cancellationToken);
            if (feed is null)
            {
                // The spec's answer to a bad signature: acknowledge, and ignore it.
                logger.LogWarning("WebSub: a push for feed {FeedId} without a valid signature was ignored", feedId);
                Marsad.Hosting.MarsadTelemetry.InputRejected.Add(1, new("stage", "fetch"), new("reason", "websub_bad_signature"));
                return Results.Accepted();
            }
            await bus.Publish(new FetchFeed { FeedUrl = feed.Url, PushedContent = content, PushedContentType = request.ContentType }, cancellationToken);
            return Results.Accepted();
        });
        return endpoints;
    }
}
