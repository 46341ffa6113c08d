using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Marsad.Bench;

/// <summary>One table of figures: printed as Markdown, kept as JSON (numbers as numbers).</summary>
public sealed class BenchTable(string title, params string[] columns)
{
    private readonly List<object?[]> _rows = [];

    public string Title { get; } = title;
    public IReadOnlyList<string> Columns { get; } = columns;
    public List<string> Notes { get; } = [];

    public BenchTable Row(params object?[] cells)
    {
        if (cells.Length != Columns.Count)
        {
            throw new ArgumentException($"{Title}: {cells.Length} cells for {Columns.Count} columns.", nameof(cells));
        }
        _rows.Add(cells);
        return this;
    }

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine($"### {Title}").AppendLine();
        text.AppendLine("| " + string.Join(" | ", Columns) + " |");
        text.AppendLine("|" + string.Concat(Columns.Select(_ => "---|")));
        foreach (var row in _rows)
        {
            text.AppendLine("| " + string.Join(" | ", row.Select(Format)) + " |");
        }
        foreach (var note in Notes)
        {
            text.AppendLine().AppendLine(note);
        }
        return text.ToString();
    }

    public JsonObject ToJson() => new()
    {
        ["title"] = Title,
        ["rows"] = new JsonArray([.. _rows.Select(row => (JsonNode)new JsonObject(Columns.Select((column, i) =>
            new KeyValuePair<string, JsonNode?>(column, Value(row[i]))).ToList()))]),
        ["notes"] = new JsonArray([.. Notes.Select(note => (JsonNode)note)]),
    };

    private static JsonNode? Value(object? cell) => cell switch
    {
        double value when double.IsNaN(value) => null,
        double value => JsonValue.Create(value),
        int value => JsonValue.Create(value),
        long value => JsonValue.Create(value),
        null => null,
        _ => JsonValue.Create(Convert.ToString(cell, CultureInfo.InvariantCulture)),
    };

    private static string Format(object? cell) => cell switch
    {
        null => "—",
        double value when double.IsNaN(value) => "—",
        double value => value >= 100 ? value.ToString("N0", CultureInfo.InvariantCulture) : value.ToString("0.##", CultureInfo.InvariantCulture),
        int or long => string.Format(CultureInfo.InvariantCulture, "{0:N0}", cell),
        _ => Convert.ToString(cell, CultureInfo.InvariantCulture) ?? "",
    };
}

/// <summary>A whole run's tables, with the machine and the date, written as results.md and results.json.</summary>
/// <param name="command">The command that made the run, for its header; the whole suite's when null.</param>
public sealed class BenchReport(bool quick, string? command = null)
{
    public List<BenchTable> Tables { get; } = [];

    public string Machine { get; } = $"{Environment.ProcessorCount} cores, {Math.Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1073741824.0)} GB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}";

    public DateTimeOffset Started { get; } = DateTimeOffset.UtcNow;

    public BenchTable Add(BenchTable table)
    {
        Tables.Add(table);
        Console.WriteLine(table.ToMarkdown());
        return table;
    }

    /// <param name="title">The run's title; the suite's when null.</param>
    /// <param name="body">Markdown written after the tables (a run whose figures are not tables of this report).</param>
    public async Task WriteAsync(string folder, string? title = null, string? body = null)
    {
        Directory.CreateDirectory(folder);
        var header = $"# {title ?? "Marsad benchmarks"}{(quick ? " (--quick: small sizes, figures only indicative)" : "")}\n\n{Machine}; {Started:yyyy-MM-dd HH:mm} UTC; `{command ?? "bench/run.sh" + (quick ? " --quick" : "")}`\n\n";
        await File.WriteAllTextAsync(Path.Combine(folder, "results.md"), header + string.Join("\n", Tables.Select(table => table.ToMarkdown())) + body);
        var json = new JsonObject
        {
            ["quick"] = quick,
            ["machine"] = Machine,
            ["started"] = Started.ToString("O", CultureInfo.InvariantCulture),
            ["tables"] = new JsonArray([.. Tables.Select(table => (JsonNode)table.ToJson())]),
        };
        await File.WriteAllTextAsync(Path.Combine(folder, "results.json"), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        Console.WriteLine($"written: {Path.Combine(folder, "results.md")}, {Path.Combine(folder, "results.json")}");
    }
}
