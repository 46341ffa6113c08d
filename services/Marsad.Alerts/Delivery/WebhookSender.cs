using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Marsad.Contracts;
using Marsad.Hosting;
using Marsad.Search;
using Marsad.Subscriptions;

namespace Marsad.Alerts.Delivery;

/// <summary>What became of one try: delivered, worth trying again (and when at the earliest), or refused for good.</summary>
public sealed record SendOutcome(bool Delivered, bool Retry, string? Error, TimeSpan? RetryAfter = null)
{
    public static readonly SendOutcome Success = new(true, false, null);
}

/// <summary>
/// Webhooks as the contract says: an HTTP POST of the alert as JSON, through the outbound address guard, signed with
/// the subscription's secret twice over. <c>X-Marsad-Signature-Timestamped: sha256=&lt;hex HMAC-SHA256 of
/// "{timestamp}.{body}"&gt;</c> with <c>X-Marsad-Timestamp</c> (Unix seconds) lets a receiver refuse a replay: it
/// checks the time is recent and remembers <c>X-Marsad-Delivery</c> (also the body's <c>deliveryId</c>, so it is
/// signed) to drop a second copy. <c>X-Marsad-Signature</c> (the body alone) stays for receivers written to the first
/// contract; a captured delivery verifies against it for ever.
/// </summary>
public sealed class WebhookSender(HttpClient http, TimeProvider clock) : IAlertChannel
{
    public const string SignatureHeader = "X-Marsad-Signature";
    public const string TimestampedSignatureHeader = "X-Marsad-Signature-Timestamped";
    public const string TimestampHeader = "X-Marsad-Timestamp";
    public const string DeliveryHeader = "X-Marsad-Delivery";
    public const string Channel = AlertDelivery.WebhookChannel;

    string IAlertChannel.Name => Channel;

    public Task<SendOutcome> SendAsync(AlertDelivery delivery, Subscription subscription, CancellationToken cancellationToken) =>
        SendAsync(delivery.Target, WithDeliveryId(delivery.Body, DeliveryId(delivery)), DeliveryId(delivery), subscription.Secret ?? "", cancellationToken);

    /// <summary>The same id on every try of one delivery (so a receiver drops a retry it already took), and a different one for every other.</summary>
    public static string DeliveryId(AlertDelivery delivery) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(delivery.Key)).AsSpan(0, 16));

    /// <summary>The body with its delivery id first, so the signature covers it.</summary>
    public static string WithDeliveryId(string body, string deliveryId)
    {
        var json = JsonNode.Parse(body)!.AsObject();
        var withId = new JsonObject { ["deliveryId"] = deliveryId };
        foreach (var (name, value) in json.ToList())
        {
            json.Remove(name);
            withId[name] = value;
        }
        return withId.ToJsonString(BodyJson);
    }

    /// <summary>The alert's body, as the contract shapes it, with the other outlets that reported the same story.</summary>
    public static string Body(Subscription subscription, AlertRaised alert, IReadOnlyList<string> topics, IReadOnlyList<string> highlights, IReadOnlyList<string> otherSources) =>
        new JsonObject
        {
            ["subscriptionId"] = subscription.Id,
            ["subscriptionName"] = subscription.Name,
            ["article"] = Article(alert, otherSources, topics, highlights),
        }.ToJsonString(BodyJson);

    /// <summary>Bodies keep Arabic as written, not as \u escapes: they are read by people as much as by programs.</summary>
    public static readonly JsonSerializerOptions BodyJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>An alert's article as bodies show it: in an alert with its topics and highlights, in a digest without.</summary>
    public static JsonObject Article(AlertRaised alert, IEnumerable<string> otherSources, IReadOnlyList<string>? topics = null, IReadOnlyList<string>? highlights = null)
    {
        var article = new JsonObject
        {
            ["id"] = alert.ArticleId,
            ["url"] = alert.Url,
            ["title"] = alert.Title,
            ["source"] = alert.Source,
            ["published"] = alert.Published?.ToUniversalTime().ToString("O"),
            ["lang"] = alert.Language,
        };
        if (topics is not null)
        {
            article["topics"] = new JsonArray(topics.Select(topic => (JsonNode)topic).ToArray());
        }
        if (highlights is not null)
        {
            article["highlights"] = new JsonArray(highlights.Select(highlight => (JsonNode)highlight).ToArray());
        }
        article["otherSources"] = new JsonArray(otherSources.Select(source => (JsonNode)source).ToArray());
        return article;
    }

    public static string Signature(string body, string secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    /// <summary>The signature of <c>"{timestamp}.{body}"</c>, as a receiver recomputes it.</summary>
    public static string TimestampedSignature(long timestamp, string body, string secret) =>
        Signature(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{timestamp}.{body}"), secret);

    public async Task<SendOutcome> SendAsync(string url, string body, string deliveryId, string secret, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        // Signed when sent, not when raised: a retry an hour later carries the hour's time, within the receiver's window.
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        request.Headers.Add(SignatureHeader, Signature(body, secret));
        request.Headers.Add(TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(DeliveryHeader, deliveryId);
        request.Headers.Add(TimestampedSignatureHeader, TimestampedSignature(timestamp, body, secret));
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return SendOutcome.Success;
            }
            var status = (int)response.StatusCode;
            var error = $"HTTP {status} {response.ReasonPhrase}";
            // Too many requests, or a receiver that is down for now: try again, when it says if it says.
            if (status is 408 or 429 || status >= 500)
            {
                var retryAfter = response.Headers.RetryAfter is { } header
                    ? header.Delta ?? (header.Date is { } date ? date - DateTimeOffset.UtcNow : null)
                    : null;
                return new SendOutcome(false, true, error, retryAfter);
            }
            // Any other answer (404, 410, 401…) is the receiver's refusal: trying again would change nothing.
            return new SendOutcome(false, false, error);
        }
        catch (HttpRequestException exception) when ((exception as OutboundAddressRefusedException ?? exception.InnerException as OutboundAddressRefusedException) is { } refused)
        {
            return new SendOutcome(false, false, refused.Message);
        }
        catch (HttpRequestException exception)
        {
            return new SendOutcome(false, true, exception.Message);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new SendOutcome(false, true, $"no answer within {http.Timeout.TotalSeconds:0} s");
        }
    }
}
