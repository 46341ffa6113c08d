using System.CommandLine;
using System.Text.Json;
using Marsad.Alerts;
using Marsad.Alerts.Delivery;
using Marsad.Hosting;
using Marsad.Search;
using Marsad.Subscriptions;

namespace Marsad.Cli;

public static class AlertsCommand
{
    public static Command Create() => new("alerts", "Keyword alert subscriptions")
    {
        Add(), List(), Edit(), Pause(enabled: false), Pause(enabled: true), Remove(), History(),
    };

    // Where the services keep the subscriptions: the data folder, or Elasticsearch when MARSAD__Store says so.
    private static SubscriptionStore Store(ParseResult result, Option<string> data) => Services(result, data).GetRequiredService<SubscriptionStore>();

    private static IServiceProvider Services(ParseResult result, Option<string> data) =>
        CliHost.Build(result.GetValue(data)!, builder =>
        {
            builder.Services.AddMarsadSearchStore();
            builder.Services.AddSubscriptionStore();
        }).Services;

    private static Command Add()
    {
        var data = CommonOptions.Data();
        var name = new Option<string>("--name") { Description = "A name for the alert", Required = true };
        var query = new Option<string>("--query") { Description = "What to watch for, in the search query syntax", Required = true };
        var webhook = new Option<string?>("--webhook") { Description = "Deliver to this URL (HTTP POST)" };
        var email = new Option<string?>("--email") { Description = "Deliver to this e-mail address" };
        var digest = new Option<string?>("--digest") { Description = "Group deliveries: hourly or daily (default: instant)" };
        digest.AcceptOnlyFromAmong("hourly", "daily");
        var owner = new Option<string?>("--owner") { Description = "Who the alert is for (a user or a desk)" };
        var command = new Command("add", "Add an alert subscription") { data, name, query, webhook, email, digest, owner };
        command.SetAction(async (result, cancellationToken) =>
        {
            var mode = result.GetValue(digest) switch
            {
                "hourly" => DigestMode.Hourly,
                "daily" => DigestMode.Daily,
                _ => DigestMode.Instant,
            };
            try
            {
                var added = await Store(result, data).AddAsync(result.GetValue(name)!, result.GetValue(query)!, result.GetValue(webhook), result.GetValue(email), mode, result.GetValue(owner), cancellationToken);
                Console.WriteLine($"{added.Id}  {TerminalText.Safe(added.Name)}");
                if (added.Webhook is not null)
                {
                    Console.WriteLine($"webhook secret: {added.Secret}");
                    Console.Error.WriteLine($"marsad: note: the receiver checks each POST's {WebhookSender.TimestampedSignatureHeader} header (sha256=HMAC-SHA256 of \"{{{WebhookSender.TimestampHeader}}}.{{body}}\") with this secret, and refuses old timestamps and repeated {WebhookSender.DeliveryHeader} ids.");
                }
            }
            catch (QuerySyntaxException e)
            {
                throw new UsageException(e.Message);
            }
            catch (ArgumentException e)
            {
                throw new UsageException(e.Message);
            }
            return CliErrors.Success;
        });
        return command;
    }

    private static Command List()
    {
        var data = CommonOptions.Data();
        var json = CommonOptions.Json();
        var command = new Command("list", "List alert subscriptions") { data, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            var subscriptions = await Store(result, data).ListAsync(cancellationToken);
            if (result.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(subscriptions.Select(SubscriptionView.Of), SearchJson.Options));
                return CliErrors.Success;
            }
            foreach (var subscription in subscriptions)
            {
                var targets = new[] { subscription.Webhook, subscription.Email }.OfType<string>().ToList();
                var channel = targets.Count == 0 ? "history only" : string.Join(", ", targets);
                var paused = (subscription.Enabled ? "" : "  (paused)") + (subscription.Owner is { } who ? $"  owner: {who}" : "");
                Console.WriteLine($"{subscription.Id}  {TerminalText.Safe(subscription.Name)}  [{subscription.Mode.ToString().ToLowerInvariant()} → {TerminalText.Safe(channel)}]{TerminalText.Safe(paused)}");
                Console.WriteLine($"    {TerminalText.Safe(subscription.Query)}");
            }
            return CliErrors.Success;
        });
        return command;
    }

    private static Command Edit()
    {
        var data = CommonOptions.Data();
        var id = new Argument<string>("id") { Description = "The subscription's id" };
        var name = new Option<string?>("--name") { Description = "A new name" };
        var query = new Option<string?>("--query") { Description = "A new query" };
        var webhook = new Option<string?>("--webhook") { Description = "A new webhook URL (\"\" to remove it)" };
        var email = new Option<string?>("--email") { Description = "A new e-mail address (\"\" to remove it)" };
        var digest = new Option<string?>("--digest") { Description = "instant, hourly or daily" };
        digest.AcceptOnlyFromAmong("instant", "hourly", "daily");
        var owner = new Option<string?>("--owner") { Description = "A new owner (\"\" to remove it)" };
        var command = new Command("edit", "Change an alert subscription; what it already matched is not sent again") { data, id, name, query, webhook, email, digest, owner };
        command.SetAction(async (result, cancellationToken) =>
        {
            var change = new SubscriptionChange(
                result.GetValue(name), result.GetValue(query), result.GetValue(webhook), result.GetValue(email),
                result.GetValue(digest) is { } mode ? Enum.Parse<DigestMode>(mode, ignoreCase: true) : null,
                Owner: result.GetValue(owner));
            return await ChangeAsync(result, data, id, change, cancellationToken);
        });
        return command;
    }

    // alerts pause ID / alerts resume ID: a paused subscription matches nothing, and resuming sends nothing it missed.
    private static Command Pause(bool enabled)
    {
        var data = CommonOptions.Data();
        var id = new Argument<string>("id") { Description = "The subscription's id" };
        var command = enabled
            ? new Command("resume", "Resume a paused subscription (articles indexed while it was paused are not sent)") { data, id }
            : new Command("pause", "Pause a subscription: it matches nothing until resumed") { data, id };
        command.SetAction((result, cancellationToken) => ChangeAsync(result, data, id, new SubscriptionChange(Enabled: enabled), cancellationToken));
        return command;
    }

    private static async Task<int> ChangeAsync(ParseResult result, Option<string> data, Argument<string> id, SubscriptionChange change, CancellationToken cancellationToken)
    {
        try
        {
            var store = Store(result, data);
            var before = (await store.ListAsync(cancellationToken)).FirstOrDefault(subscription => subscription.Id == result.GetValue(id));
            var changed = await store.UpdateAsync(result.GetValue(id)!, change, cancellationToken);
            if (changed is null)
            {
                return CliErrors.Fail($"no alert subscription with id {result.GetValue(id)}");
            }
            Console.WriteLine($"{changed.Id}  {TerminalText.Safe(changed.Name)}{(changed.Enabled ? "" : "  (paused)")}");
            if (changed.Webhook is not null && changed.Secret != before?.Secret)
            {
                // A new receiver, a new secret: whoever held the old one cannot sign for this address.
                Console.WriteLine($"webhook secret: {changed.Secret}");
            }
            return CliErrors.Success;
        }
        catch (QuerySyntaxException e)
        {
            throw new UsageException(e.Message);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
    }

    private static Command Remove()
    {
        var data = CommonOptions.Data();
        var id = new Argument<string>("id") { Description = "The subscription's id" };
        var command = new Command("remove", "Remove an alert subscription") { data, id };
        command.SetAction(async (result, cancellationToken) =>
            await Store(result, data).RemoveAsync(result.GetValue(id)!, cancellationToken)
                ? CliErrors.Success
                : CliErrors.Fail($"no alert subscription with id {result.GetValue(id)}"));
        return command;
    }

    private static Command History()
    {
        var data = CommonOptions.Data();
        var json = CommonOptions.Json();
        var id = new Argument<string?>("id") { Description = "Only this subscription's alerts", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("history", "The alerts raised, oldest first") { data, json, id };
        command.SetAction(async (result, cancellationToken) =>
        {
            // The log the services keep: the data folder's journals, or Elasticsearch when MARSAD__Store says so.
            var entries = await Services(result, data).GetRequiredService<AlertLog>().ReadAsync(result.GetValue(id), cancellationToken);
            if (result.GetValue(json))
            {
                Console.WriteLine(new System.Text.Json.Nodes.JsonArray(entries.Select(entry => (System.Text.Json.Nodes.JsonNode)entry.ToJson(SearchJson.Options)).ToArray()).ToJsonString(SearchJson.Options));
                return CliErrors.Success;
            }
            foreach (var (alert, deliveries) in entries)
            {
                Console.WriteLine($"{alert.RaisedAt:yyyy-MM-dd HH:mm}  {TerminalText.Safe(alert.SubscriptionName)}  {TerminalText.Safe(alert.Title)}  {TerminalText.Safe(alert.Url)}");
                foreach (var delivery in deliveries)
                {
                    Console.WriteLine($"    → {TerminalText.Safe(delivery.ToString())}");
                }
            }
            return CliErrors.Success;
        });
        return command;
    }
}
