using Elastic.Clients.Elasticsearch;
using Elastic.Transport;

namespace Marsad.Search.Elasticsearch;

/// <summary>The client every Elasticsearch user in Marsad talks through, and how its answers are judged.</summary>
public static class ElasticsearchConnection
{
    /// <summary>A client for the cluster in <paramref name="options"/>: its address, credentials and the compatibility header its major version needs.</summary>
    public static ElasticsearchClient CreateClient(ElasticsearchOptions options)
    {
        var invoker = new HttpRequestInvoker((inner, _) => new CompatibilityHeaderHandler(inner, options.ServerMajorVersion));
        NodePool pool = options.Nodes.Length == 0
            ? new SingleNodePool(options.Url)
            : new StaticNodePool(options.Nodes.Prepend(options.Url).Distinct(), randomize: false);
        var settings = new ElasticsearchClientSettings(pool, invoker)
            .RequestTimeout(TimeSpan.FromSeconds(60));
        if (options.Username is { Length: > 0 } user)
        {
            settings = settings.Authentication(new BasicAuthentication(user, options.Password ?? ""));
        }
        return new ElasticsearchClient(settings);
    }

    /// <summary>No answer, or one that says "later": worth trying again.</summary>
    public static bool IsTransient(int? status) => status is null or 429 or 502 or 503 or 504;

    /// <exception cref="SearchStoreUnavailableException">The cluster cannot be reached or is overloaded.</exception>
    /// <exception cref="InvalidOperationException">It refused the request.</exception>
    public static void EnsureSuccess(StringResponse response)
    {
        if (response.ApiCallDetails.HasSuccessfulStatusCode)
        {
            return;
        }
        if (IsTransient(response.ApiCallDetails.HttpStatusCode))
        {
            throw new SearchStoreUnavailableException($"Elasticsearch is unavailable: {Describe(response)}");
        }
        throw new InvalidOperationException($"Elasticsearch answered {Describe(response)}");
    }

    public static string Describe(StringResponse response) =>
        response.ApiCallDetails.HttpStatusCode is { } status
            ? $"{status} {Shorten(response.Body, 500)}"
            : response.ApiCallDetails.OriginalException?.Message ?? "no answer";

    /// <summary>At most <paramref name="length"/> characters of an answer: a reason can quote a whole offending document.</summary>
    internal static string Shorten(string? text, int length) => text is null ? "" : text.Length <= length ? text : text[..length] + "…";
}
