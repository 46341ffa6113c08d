using System.Text.Json;
using System.Text.Json.Nodes;
using Marsad.Testing;
using Microsoft.AspNetCore.Http;

namespace Marsad.EndToEnd.Tests;

/// <summary>
/// Kibana cannot be installed on this machine (no registry here serves it), so the import command is tested
/// against a real local HTTP server that answers as Kibana's import API does, and the objects are checked for
/// internal consistency. A real Kibana is the docker-compose deployment's.
/// </summary>
[Trait(Needs.Trait, Needs.Processes)]
public sealed class KibanaImportTests
{
    private static readonly string ObjectsFile = Path.Combine(RepoPaths.Root, "deploy", "kibana", "marsad.ndjson");

    [Fact]
    public void The_saved_objects_reference_only_objects_in_the_file_and_fields_the_template_maps()
    {
        var objects = File.ReadAllLines(ObjectsFile).Select(line => JsonNode.Parse(line)!).ToList();
        var ids = objects.Select(o => (o["type"]!.GetValue<string>(), o["id"]!.GetValue<string>())).ToHashSet();
        Assert.Contains(("index-pattern", "marsad-articles"), ids);
        Assert.Contains(("dashboard", "marsad-overview"), ids);
        Assert.Contains(("search", "marsad-all-articles"), ids);
        foreach (var saved in objects)
        {
            foreach (var reference in saved["references"]!.AsArray())
            {
                Assert.Contains((reference!["type"]!.GetValue<string>(), reference["id"]!.GetValue<string>()), ids);
            }
        }

        var template = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "deploy", "elasticsearch", "marsad-articles.template.json")))!;
        var mapped = template["template"]!["mappings"]!["properties"]!.AsObject()
            .SelectMany(property => new[] { property.Key }.Concat(property.Value!["fields"]?.AsObject().Select(field => $"{property.Key}.{field.Key}") ?? []))
            .ToHashSet();
        var pattern = objects.Single(o => o["type"]!.GetValue<string>() == "index-pattern");
        Assert.Contains(pattern["attributes"]!["timeFieldName"]!.GetValue<string>(), mapped);
        foreach (var visualization in objects.Where(o => o["type"]!.GetValue<string>() == "visualization"))
        {
            var state = JsonNode.Parse(visualization["attributes"]!["visState"]!.GetValue<string>())!;
            foreach (var field in state["aggs"]!.AsArray().Select(agg => agg!["params"]?["field"]?.GetValue<string>()).OfType<string>())
            {
                Assert.Contains(field, mapped);
            }
        }
    }

    [Fact]
    public async Task Import_posts_the_objects_to_kibanas_import_api_with_its_xsrf_header()
    {
        string? xsrf = null;
        string? query = null;
        string? uploaded = null;
        await using var kibana = await LocalHttpServer.StartAsync(async context =>
        {
            if (context.Request.Path != "/api/saved_objects/_import")
            {
                return false;
            }
            xsrf = context.Request.Headers["kbn-xsrf"];
            query = context.Request.QueryString.Value;
            var form = await context.Request.ReadFormAsync();
            using (var reader = new StreamReader(form.Files["file"]!.OpenReadStream()))
            {
                uploaded = await reader.ReadToEndAsync();
            }
            var count = uploaded.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
            await context.Response.WriteAsJsonAsync(new { success = true, successCount = count });
            return true;
        });

        var result = await ProcessRunner.MarsadAsync(["kibana", "import", "--url", kibana.BaseAddress.AbsoluteUri]);
        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal("marsad", xsrf);
        Assert.Equal("?overwrite=true", query);
        Assert.Equal(File.ReadAllText(ObjectsFile), uploaded);
        Assert.Contains("imported 6 saved objects", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_import_fails_with_kibanas_reasons()
    {
        await using var kibana = await LocalHttpServer.StartAsync(async context =>
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            await context.Response.WriteAsync(JsonSerializer.Serialize(new
            {
                success = false,
                successCount = 0,
                errors = new[] { new { type = "dashboard", id = "marsad-overview", error = new { type = "missing_references" } } },
            }));
            return true;
        });
        var result = await ProcessRunner.MarsadAsync(["kibana", "import", "--url", kibana.BaseAddress.AbsoluteUri]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("dashboard marsad-overview: missing_references", result.StandardError, StringComparison.Ordinal);
    }
}
