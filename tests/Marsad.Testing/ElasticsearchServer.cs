namespace Marsad.Testing;

/// <summary>
/// The real Elasticsearch server the tests use: MARSAD_TEST_ELASTICSEARCH_URL if set, else the one that
/// scripts/elasticsearch.sh started (./test.sh starts it). A test that finds none fails and says how to get one.
/// </summary>
public static class ElasticsearchServer
{
    private static readonly Lazy<Uri> Address = new(Find);

    public static Uri Url => Address.Value;

    /// <summary>The major version the script's server reports (8 for the tarball it installs).</summary>
    public static int MajorVersion => int.TryParse(Environment.GetEnvironmentVariable("MARSAD_TEST_ELASTICSEARCH_MAJOR"), out var major) ? major : 8;

    /// <summary>The server, if one answers (for tools that can do without one, like the benchmarks).</summary>
    public static Uri? TryFind()
    {
        var url = ConfiguredUrl();
        return url is not null && Answers(new Uri(url)) ? new Uri(url) : null;
    }

    private static Uri Find() =>
        TryFind() ?? throw new InvalidOperationException(
            "These tests need a real Elasticsearch server and none answers" + (ConfiguredUrl() is { } url ? $" at {url}" : "") +
            ". Run ./test.sh (it starts one with scripts/elasticsearch.sh), or set MARSAD_TEST_ELASTICSEARCH_URL.");

    private static string? ConfiguredUrl()
    {
        var configured = Environment.GetEnvironmentVariable("MARSAD_TEST_ELASTICSEARCH_URL");
        return !string.IsNullOrWhiteSpace(configured) ? configured : ScriptUrl();
    }

    private static string? ScriptUrl()
    {
        var portFile = Path.Combine(Environment.GetEnvironmentVariable("MARSAD_ES_STATE") ?? "/tmp/marsad-elasticsearch", "port");
        return File.Exists(portFile) ? $"http://127.0.0.1:{File.ReadAllText(portFile).Trim()}" : null;
    }

    private static bool Answers(Uri url)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            return http.GetAsync(new Uri(url, "_cluster/health")).GetAwaiter().GetResult().IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>Deletes a test's indices and template, so runs leave nothing behind.</summary>
    public static Task DeleteAsync(string indexPrefix) => DeleteAsync(Url, indexPrefix);

    public static async Task DeleteAsync(Uri server, string indexPrefix)
    {
        using var http = new HttpClient { BaseAddress = server };
        await http.DeleteAsync($"{indexPrefix}-*?ignore_unavailable=true&allow_no_indices=true");
        await http.DeleteAsync($"_index_template/{indexPrefix}");
    }
}
