using System.CommandLine;
using Marsad.Hosting;
using Microsoft.Extensions.Hosting;
using System.Text;

namespace Marsad.Cli;

/// <summary>
/// <c>./marsad</c>: the verbs of docs/contract.md. Exit codes: 0 success, 2 bad usage (one line on standard
/// error), 1 any other failure.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        Console.OutputEncoding = Encoding.UTF8;
        Marsad.Hosting.DataFolder.RestrictNewFilesToOwner();
        var root = new RootCommand("Marsad (مرصد): news monitoring with Arabic full-text search and alerts.")
        {
            RunCommand.Create(),
            SearchCommand.Create(),
            ExtractCommand.Create(),
            ClassifyCommand.Create(),
            TrainCommand.Create(),
            AlertsCommand.Create(),
            FeedsCommand.Create(),
            ErrorsCommand.Create(),
            ElasticsearchCommand.Create(),
            KibanaCommand.Create(),
            HealthCommand.Create(),
            KeysCommand.Create(),
        };

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            return CliErrors.Usage(parsed.Errors[0].Message);
        }
        try
        {
            // Our own handlers below decide the exit code; the library's default would print a stack trace.
            return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (UsageException e)
        {
            return CliErrors.Usage(e.Message);
        }
        catch (OperationCanceledException)
        {
            return CliErrors.Fail("stopped");
        }
        catch (Exception e) when (e is Microsoft.Extensions.Options.OptionsValidationException or InvalidOperationException or IOException)
        {
            return CliErrors.Fail(e.Message);
        }
    }
}

/// <summary>The user asked for something that cannot be done as asked (exit code 2).</summary>
public sealed class UsageException(string message) : Exception(message);

public static class CliErrors
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int BadUsage = 2;

    public static int Usage(string message)
    {
        // One line, as scripts expect: the parser's own messages sometimes list choices on several lines.
        var oneLine = string.Join(' ', message.Split((char[])['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Console.Error.WriteLine($"marsad: {oneLine} (see --help)");
        return BadUsage;
    }

    public static int Fail(string message)
    {
        Console.Error.WriteLine($"marsad: {message}");
        return Failure;
    }
}

/// <summary>Options several verbs share, declared once.</summary>
public static class CommonOptions
{
    public const string DefaultDataDir = "marsad-data";

    public static Option<string> Data() => new("--data")
    {
        Description = "The data folder: embedded index, feed list and state",
        DefaultValueFactory = _ => DefaultDataDir,
    };

    public static Option<bool> Json() => new("--json") { Description = "Print JSON instead of text" };

    /// <summary>Flags become configuration, overriding appsettings.json and MARSAD__ variables.</summary>
    public static Dictionary<string, string?> Settings(string dataDir) => new() { ["DataDir"] = dataDir };
}

/// <summary>
/// The host a verb that reads or writes the pipeline's state builds: the data folder, then configuration and
/// <c>MARSAD__</c> variables as every service reads them, so <c>search</c>, <c>alerts</c>, <c>feeds</c> and
/// <c>errors</c> use the store, the transport and the aliases the services use, in either mode.
/// </summary>
public static class CliHost
{
    public static IHost Build(string dataDir, Action<IHostApplicationBuilder> register)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.AddMarsadDefaults("cli", CommonOptions.Settings(dataDir));
        register(builder);
        return builder.Build();
    }
}
