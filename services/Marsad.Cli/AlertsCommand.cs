using System.CommandLine;
using System.Text.Json;
using Marsad.Alerts;
using Marsad.Hosting;
using Marsad.Search;
using Microsoft.Extensions.Options;

namespace Marsad.Cli;

public static class AlertsCommand
{
    public static Command Create() => new("alerts", "Keyword alert subscriptions")
    {
        Add(), List(), Remove(), History(),
    };

    private static SubscriptionStore Store(ParseResult result, Option<string> data) =>
        new(Options.Create(new MarsadOptions { DataDir = result.GetValue(data)! }), TimeProvider.System);

    private static Command Add()
    {
        var data = CommonOptions.Data();
        var name = new Option<string>("--name") { Description = "A name for the alert", Required = true };
        var query = new Option<string>("--query") { Description = "What to watch for, in the search query syntax", Required = true };
        var webhook = new Option<string?>("--webhook") { Description = "Deliver to this URL (HTTP POST)" };
        var email = new Option<string?>("--email") { Description = "Deliver to this e-mail address" };
        var digest = new Option<string?>("--digest") { Description = "Group deliveries: hourly or daily (default: instant)" };
        digest.AcceptOnlyFromAmong("hourly", "daily");
        var command = new Command("add", "Add an alert subscription") { data, name, query, webhook, email, digest };
        command.SetAction(async (result, cancellationToken) =>
        {
            if (result.GetValue(webhook) is { } url && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            {
                throw new UsageException($"--webhook must be an http(s) URL: '{url}'");
            }
            if (result.GetValue(email) is { } address && !System.Net.Mail.MailAddress.TryCreate(address, out _))
            {
                throw new UsageException($"--email is not an e-mail address: '{address}'");
            }
            var mode = result.GetValue(digest) switch
            {
                "hourly" => DigestMode.Hourly,
                "daily" => DigestMode.Daily,
                _ => DigestMode.Instant,
            };
            try
            {
                var added = await Store(result, data).AddAsync(result.GetValue(name)!, result.GetValue(query)!, result.GetValue(webhook), result.GetValue(email), mode, cancellationToken);
                Console.WriteLine($"{added.Id}  {added.Name}");
                if (added.Webhook is not null || added.Email is not null)
                {
                    Console.Error.WriteLine("marsad: note: webhook and e-mail delivery are not built yet; matches are recorded in 'marsad alerts history'.");
                }
            }
            catch (QuerySyntaxException e)
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
                Console.WriteLine(JsonSerializer.Serialize(subscriptions, SearchJson.Options));
                return CliErrors.Success;
            }
            foreach (var subscription in subscriptions)
            {
                // Delivery is not built yet: say where alerts will go, and where they are now.
                var channel = (subscription.Webhook ?? subscription.Email) is { } target ? target + ", not delivered yet" : "history only";
                Console.WriteLine($"{subscription.Id}  {subscription.Name}  [{subscription.Mode.ToString().ToLowerInvariant()} → {channel}]");
                Console.WriteLine($"    {subscription.Query}");
            }
            return CliErrors.Success;
        });
        return command;
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
        command.SetAction(result =>
        {
            var alerts = AlertHistory.Read(result.GetValue(data)!)
                .Where(alert => result.GetValue(id) is not { } only || alert.SubscriptionId == only)
                .ToList();
            if (result.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(alerts, SearchJson.Options));
                return CliErrors.Success;
            }
            foreach (var alert in alerts)
            {
                Console.WriteLine($"{alert.RaisedAt:yyyy-MM-dd HH:mm}  {alert.SubscriptionName}  {alert.Title}  {alert.Url}");
            }
            return CliErrors.Success;
        });
        return command;
    }
}
