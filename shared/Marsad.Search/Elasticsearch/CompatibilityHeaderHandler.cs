namespace Marsad.Search.Elasticsearch;

/// <summary>
/// Rewrites the client's "compatible-with=9" media-type parameter to the server's major version. The 9.x client
/// is the only one our registry serves, and an 8.x server answers its default headers with HTTP 400.
/// </summary>
internal sealed class CompatibilityHeaderHandler(HttpMessageHandler inner, int serverMajorVersion) : DelegatingHandler(inner)
{
    private readonly string _wanted = "compatible-with=" + serverMajorVersion;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (serverMajorVersion != 9)
        {
            Rewrite(request.Headers, "Accept");
            if (request.Content is not null)
            {
                Rewrite(request.Content.Headers, "Content-Type");
            }
        }
        return base.SendAsync(request, cancellationToken);
    }

    private void Rewrite(System.Net.Http.Headers.HttpHeaders headers, string name)
    {
        if (!headers.TryGetValues(name, out var values))
        {
            return;
        }
        var rewritten = values.Select(value => value.Replace("compatible-with=9", _wanted, StringComparison.Ordinal)).ToList();
        headers.Remove(name);
        headers.TryAddWithoutValidation(name, rewritten);
    }
}
