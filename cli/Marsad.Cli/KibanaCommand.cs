using System.CommandLine;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Marsad.Cli;

/// <summary><c>./marsad kibana import --url URL</c>: posts Marsad's saved objects to Kibana's import API.</summary>
public static class KibanaCommand
{
    public static Command Create()
    {
        var url = new Option<string>("--url") { Description = "Kibana's address, e.g. http://localhost:5601", Required = true };
        var file = new Option<FileInfo?>("--file") { Description = "Saved objects to import (default: Marsad's own, deploy/kibana/marsad.ndjson)" };
        var username = new Option<string?>("--username") { Description = "When Kibana's security is on" };
        var password = new Option<string?>("--password") { Description = "When Kibana's security is on (or MARSAD__Kibana__Password)" };
        var import = new Command("import", "Import Marsad's data view, saved search and dashboard into Kibana (overwrites earlier copies)")
        {
            url, file, username, password,
        };
        import.SetAction(async (result, cancellationToken) =>
        {
            if (!Uri.TryCreate(result.GetValue(url), UriKind.Absolute, out var kibana) || kibana.Scheme is not ("http" or "https"))
            {
                throw new UsageException($"--url must be an http(s) address: '{result.GetValue(url)}'");
            }
            byte[] objects;
            if (result.GetValue(file) is { } chosen)
            {
                objects = chosen.Exists ? await File.ReadAllBytesAsync(chosen.FullName, cancellationToken) : throw new UsageException($"no such file: {chosen.FullName}");
            }
            else
            {
                objects = await ReadEmbeddedObjectsAsync(cancellationToken);
            }
            return await ImportAsync(kibana, objects, result.GetValue(username),
                result.GetValue(password) ?? Environment.GetEnvironmentVariable("MARSAD__Kibana__Password"), cancellationToken);
        });
        return new Command("kibana", "Kibana set-up") { import };
    }

    private static async Task<byte[]> ReadEmbeddedObjectsAsync(CancellationToken cancellationToken)
    {
        await using var stream = typeof(KibanaCommand).Assembly.GetManifestResourceStream("kibana-saved-objects.ndjson")
            ?? throw new InvalidOperationException("The CLI was built without its Kibana saved objects.");
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    private static async Task<int> ImportAsync(Uri kibana, byte[] objects, string? username, string? password, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(kibana, "api/saved_objects/_import?overwrite=true"));
        // Kibana refuses API writes without this header (its cross-site request forgery guard).
        request.Headers.Add("kbn-xsrf", "marsad");
        if (username is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));
        }
        var file = new ByteArrayContent(objects);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/ndjson");
        request.Content = new MultipartFormDataContent { { file, "file", "marsad.ndjson" } };

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            return CliErrors.Fail($"could not reach Kibana at {kibana}: {e.Message}");
        }
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var answer = TryParse(body);
            if (response.IsSuccessStatusCode && answer?["success"]?.GetValue<bool>() == true)
            {
                Console.WriteLine($"imported {answer["successCount"]} saved objects into {kibana}");
                return CliErrors.Success;
            }
            var errors = answer?["errors"]?.AsArray().Select(error => $"{error?["type"]} {error?["id"]}: {error?["error"]?["type"]}") ?? [];
            return CliErrors.Fail($"Kibana refused the import ({(int)response.StatusCode}): {string.Join("; ", errors.DefaultIfEmpty(answer?["message"]?.ToString() ?? body))}");
        }
    }

    private static JsonNode? TryParse(string body)
    {
        try
        {
            return JsonNode.Parse(body);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
