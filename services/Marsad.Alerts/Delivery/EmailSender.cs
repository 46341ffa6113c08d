using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using Marsad.Subscriptions;

namespace Marsad.Alerts.Delivery;

public sealed class SmtpOptions
{
    public const string Section = "Alerts:Smtp";

    /// <summary>The SMTP server alerts are sent through; unset, e-mail alerts fail with a message that says so.</summary>
    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 25;

    /// <summary>Auto: STARTTLS when the server offers it; None: plain (a local relay); Tls: TLS from the start (port 465).</summary>
    public string Security { get; set; } = "Auto";

    public string From { get; set; } = "Marsad <marsad@localhost>";

    public string? User { get; set; }

    public string? Password { get; set; }
}

/// <summary>
/// E-mail alerts through SMTP with MailKit: an HTML body, right-to-left for Arabic-script and Hebrew articles, with
/// the matched words highlighted, and a plain-text body with them between asterisks.
/// </summary>
public sealed partial class EmailSender(IOptions<SmtpOptions> options) : IAlertChannel
{
    public const string Channel = AlertDelivery.EmailChannel;

    string IAlertChannel.Name => Channel;

    private static readonly HashSet<string> RightToLeft = ["ar", "fa", "ur", "ps", "ug", "he", "yi"];

    public async Task<SendOutcome> SendAsync(AlertDelivery delivery, Subscription subscription, CancellationToken cancellationToken)
    {
        var smtp = options.Value;
        if (string.IsNullOrWhiteSpace(smtp.Host))
        {
            return new SendOutcome(false, false, $"no SMTP server is configured ({SmtpOptions.Section}:Host)");
        }
        var message = Message(delivery, subscription, MailboxAddress.Parse(smtp.From));
        using var client = new SmtpClient { Timeout = 30_000 };
        try
        {
            var security = smtp.Security switch
            {
                "None" => SecureSocketOptions.None,
                "Tls" => SecureSocketOptions.SslOnConnect,
                _ => SecureSocketOptions.StartTlsWhenAvailable,
            };
            await client.ConnectAsync(smtp.Host, smtp.Port, security, cancellationToken);
            if (smtp.User is { Length: > 0 } user)
            {
                await client.AuthenticateAsync(user, smtp.Password ?? "", cancellationToken);
            }
            await client.SendAsync(message, cancellationToken);
            await client.DisconnectAsync(quit: true, cancellationToken);
            return SendOutcome.Success;
        }
        catch (SmtpCommandException exception) when (exception.StatusCode is >= (SmtpStatusCode)500 and < (SmtpStatusCode)600)
        {
            // A permanent refusal (no such mailbox, relaying denied): asking again changes nothing.
            return new SendOutcome(false, false, $"SMTP {(int)exception.StatusCode}: {exception.Message}");
        }
        catch (Exception exception) when (exception is SmtpCommandException or SmtpProtocolException or SocketException or IOException or ServiceNotConnectedException or AuthenticationException or TimeoutException)
        {
            return new SendOutcome(false, true, $"SMTP: {exception.Message}");
        }
    }

    /// <summary>The e-mail for a delivery, rendered from the same JSON body a webhook receives.</summary>
    public static MimeMessage Message(AlertDelivery delivery, Subscription subscription, MailboxAddress from)
    {
        using var json = JsonDocument.Parse(delivery.Body);
        if (json.RootElement.TryGetProperty("digest", out var digest))
        {
            return DigestMessage(delivery, subscription, from, digest, json.RootElement.GetProperty("stories"));
        }
        var article = json.RootElement.GetProperty("article");
        var title = article.GetProperty("title").GetString() ?? "";
        var url = article.GetProperty("url").GetString() ?? "";
        var source = article.GetProperty("source").GetString() ?? "";
        var language = article.GetProperty("lang").GetString() ?? "";
        var highlights = article.GetProperty("highlights").EnumerateArray().Select(highlight => highlight.GetString() ?? "").ToList();
        var otherSources = article.TryGetProperty("otherSources", out var others) ? others.EnumerateArray().Select(other => other.GetString() ?? "").ToList() : [];
        var alsoReported = otherSources.Count == 0 ? "" : "Also reported by: " + string.Join(", ", otherSources);
        var direction = RightToLeft.Contains(language) ? "rtl" : "ltr";

        var message = new MimeMessage { Subject = $"[Marsad] {subscription.Name}: {title}" };
        message.From.Add(from);
        message.To.Add(MailboxAddress.Parse(delivery.Target));
        // The same alert sent twice (a retry after a lost answer) keeps one Message-Id, so mail clients show it once.
        message.MessageId = $"{delivery.SubscriptionId}.{delivery.ArticleId}@marsad";

        // Highlights are already HTML: the article's words escaped, <em> around the matches.
        var html = $"""
            <!doctype html>
            <html lang="{WebUtility.HtmlEncode(language)}" dir="{direction}">
            <body style="font-family: sans-serif; direction: {direction}; text-align: {(direction == "rtl" ? "right" : "left")}">
            <p style="color:#555">{WebUtility.HtmlEncode(subscription.Name)} · {WebUtility.HtmlEncode(source)}</p>
            <h2 dir="auto"><a href="{WebUtility.HtmlEncode(url)}">{WebUtility.HtmlEncode(title)}</a></h2>
            {string.Concat(highlights.Select(highlight => $"<p dir=\"auto\">… {Emphasis().Replace(highlight, "<strong style=\"background:#fff3a0\">$1</strong>")} …</p>\n"))}
            {(alsoReported.Length == 0 ? "" : $"<p dir=\"auto\">{WebUtility.HtmlEncode(alsoReported)}</p>")}
            <p style="color:#555; font-size: small">Marsad alert «{WebUtility.HtmlEncode(subscription.Query)}»</p>
            </body>
            </html>
            """;
        var text = $"{subscription.Name} · {source}\n\n{title}\n{url}\n\n"
            + string.Concat(highlights.Select(highlight => "… " + WebUtility.HtmlDecode(Tag().Replace(Emphasis().Replace(highlight, "*$1*"), "")) + " …\n\n"))
            + (alsoReported.Length == 0 ? "" : alsoReported + "\n\n")
            + $"Marsad alert «{subscription.Query}»\n";
        message.Body = new BodyBuilder { HtmlBody = html, TextBody = text }.ToMessageBody();
        return message;
    }

    /// <summary>A digest: one line per story, with the outlets that reported it; right to left when most stories are.</summary>
    private static MimeMessage DigestMessage(AlertDelivery delivery, Subscription subscription, MailboxAddress from, JsonElement digest, JsonElement stories)
    {
        var items = stories.EnumerateArray().Select(story => (
            Title: story.GetProperty("title").GetString() ?? "",
            Url: story.GetProperty("url").GetString() ?? "",
            Source: story.GetProperty("source").GetString() ?? "",
            Language: story.GetProperty("lang").GetString() ?? "",
            Others: story.GetProperty("otherSources").EnumerateArray().Select(other => other.GetString() ?? "").ToList())).ToList();
        var direction = items.Count(item => RightToLeft.Contains(item.Language)) * 2 > items.Count ? "rtl" : "ltr";
        var period = $"{digest.GetProperty("mode").GetString()} digest, {digest.GetProperty("from").GetDateTimeOffset():yyyy-MM-dd HH:mm} – {digest.GetProperty("to").GetDateTimeOffset():HH:mm} UTC";
        var message = new MimeMessage { Subject = $"[Marsad] {subscription.Name}: {items.Count} {(items.Count == 1 ? "story" : "stories")} ({period})" };
        message.From.Add(from);
        message.To.Add(MailboxAddress.Parse(delivery.Target));
        message.MessageId = $"{delivery.SubscriptionId}.{delivery.ArticleId}@marsad";
        static string Sources(string source, List<string> others) => others.Count == 0 ? source : $"{source} (also {string.Join(", ", others)})";
        var html = $"""
            <!doctype html>
            <html dir="{direction}">
            <body style="font-family: sans-serif; direction: {direction}; text-align: {(direction == "rtl" ? "right" : "left")}">
            <p style="color:#555">{WebUtility.HtmlEncode(subscription.Name)} · {WebUtility.HtmlEncode(period)}</p>
            <ol>
            {string.Concat(items.Select(item => $"<li dir=\"auto\" lang=\"{WebUtility.HtmlEncode(item.Language)}\"><a href=\"{WebUtility.HtmlEncode(item.Url)}\">{WebUtility.HtmlEncode(item.Title)}</a> · {WebUtility.HtmlEncode(Sources(item.Source, item.Others))}</li>\n"))}
            </ol>
            <p style="color:#555; font-size: small">Marsad alert «{WebUtility.HtmlEncode(subscription.Query)}»</p>
            </body>
            </html>
            """;
        var text = $"{subscription.Name} · {period}\n\n"
            + string.Concat(items.Select((item, index) => $"{index + 1}. {item.Title}\n   {Sources(item.Source, item.Others)}\n   {item.Url}\n\n"))
            + $"Marsad alert «{subscription.Query}»\n";
        message.Body = new BodyBuilder { HtmlBody = html, TextBody = text }.ToMessageBody();
        return message;
    }

    [GeneratedRegex("<em>(.*?)</em>")]
    private static partial Regex Emphasis();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tag();
}
