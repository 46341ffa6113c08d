using System.CommandLine;
using System.Text.Json;
using Marsad.Hosting;
using Marsad.Hosting.Access;
using Microsoft.Extensions.Options;

namespace Marsad.Cli;

/// <summary>
/// <c>./marsad keys add|list|revoke</c>: the API keys of the data folder's processes. A key is printed once, when it
/// is made; only its hash is kept. Once any key exists, every caller of the api must sign in.
/// </summary>
public static class KeysCommand
{
    public static Command Create() => new("keys", "API keys: who may use the api and the web page, and as what role")
    {
        Add(), List(), Revoke(),
    };

    private static ApiKeyStore Store(ParseResult result, Option<string> data) =>
        new(Options.Create(new MarsadOptions { DataDir = result.GetValue(data)! }), Options.Create(new AccessOptions()), TimeProvider.System);

    private static Command Add()
    {
        var data = CommonOptions.Data();
        var name = new Option<string>("--name") { Description = "Who the key is for (a person or a desk); their subscriptions are owned by this name", Required = true };
        var role = new Option<string>("--role") { Description = "reader (search), editor (their own alerts), admin (everything)", DefaultValueFactory = _ => "reader" };
        role.AcceptOnlyFromAmong("reader", "editor", "admin");
        var command = new Command("add", "Make a key; it is printed once and never again") { data, name, role };
        command.SetAction(async (result, cancellationToken) =>
        {
            try
            {
                var (key, secret) = await Store(result, data).AddAsync(result.GetValue(name)!, Enum.Parse<MarsadRole>(result.GetValue(role)!, ignoreCase: true), cancellationToken);
                Console.WriteLine(secret);
                Console.Error.WriteLine($"marsad: key {key.Id} for {TerminalText.Safe(key.Name)} ({key.Role.ToString().ToLowerInvariant()}); keep it now, it is not shown again. "
                    + $"Send it as 'Authorization: Bearer <key>', or paste it into the web page's sign-in.");
                return CliErrors.Success;
            }
            catch (ArgumentException e)
            {
                throw new UsageException(e.Message);
            }
        });
        return command;
    }

    private static Command List()
    {
        var data = CommonOptions.Data();
        var json = CommonOptions.Json();
        var command = new Command("list", "The keys: id, who, role, when made, whether revoked (never the key)") { data, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            var keys = (await Store(result, data).ListAsync(cancellationToken))
                .Select(key => new { key.Id, key.Name, Role = key.Role.ToString().ToLowerInvariant(), key.CreatedAt, key.RevokedAt })
                .ToList();
            if (result.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(keys, Search.SearchJson.Options));
                return CliErrors.Success;
            }
            if (keys.Count == 0)
            {
                Console.WriteLine("no keys: a process listening on loopback only serves anyone on this machine; add one to require sign-in");
            }
            foreach (var key in keys)
            {
                Console.WriteLine($"{key.Id}  {TerminalText.Safe(key.Name)}  {key.Role}  made {key.CreatedAt:yyyy-MM-dd HH:mm}{(key.RevokedAt is { } revoked ? $"  revoked {revoked:yyyy-MM-dd HH:mm}" : "")}");
            }
            return CliErrors.Success;
        });
        return command;
    }

    private static Command Revoke()
    {
        var data = CommonOptions.Data();
        var id = new Argument<string>("id") { Description = "The key's id, as 'keys list' shows it" };
        var command = new Command("revoke", "Revoke a key: it is refused from now on, by every process on this data folder") { data, id };
        command.SetAction(async (result, cancellationToken) =>
            await Store(result, data).RevokeAsync(result.GetValue(id)!, cancellationToken)
                ? CliErrors.Success
                : CliErrors.Fail($"no active key with id {result.GetValue(id)}"));
        return command;
    }
}
