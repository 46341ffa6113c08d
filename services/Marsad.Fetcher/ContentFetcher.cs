using Marsad.Hosting;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using Marsad.Feeds;

namespace Marsad.Fetcher;


public sealed record FetchedContent(byte[] Body, string? ContentType, Validators Validators, bool NotModified, Uri FinalAddress);

/// <summary>A fetch that failed for a reason worth recording on the feed (status, size cap, refused address, timeout).</summary>
/// <param name="kind">What sort of failure, for the <c>marsad.fetch.errors</c> metric: timeout, size_cap, http_4xx,
/// http_5xx, rate_limited, redirect_loop, robots, refused_address, unreachable, unsupported.</param>
public sealed class FetchFailedException(string message, string kind, Exception? inner = null) : Exception(message, inner)
{
    public string Kind { get; } = kind;
}

/// <summary>
/// Gets feeds and pages over http(s), or from disk for local feeds, with conditional requests, a size cap and the
/// address guard. Retries and timeouts come from the HttpClient's resilience pipeline.
/// </summary>
public sealed class ContentFetcher(IHttpClientFactory httpClientFactory, HostPoliteness politeness, RobotsCache robots, IOptions<FetcherOptions> options)
{
    public const string HttpClientName = "marsad-fetcher";

    public async Task<FetchedContent> FetchAsync(Uri address, Validators? validators, int maxBytes, CancellationToken cancellationToken)
    {
        if (address.IsFile)
        {
            return await ReadFileAsync(address, maxBytes, cancellationToken);
        }
        if (address.Scheme is not ("http" or "https"))
        {
            throw new FetchFailedException($"Unsupported address scheme '{address.Scheme}' in {address}.", "unsupported");
        }

        if (!await robots.AllowsAsync(address, cancellationToken))
        {
            throw new FetchFailedException($"{address} is disallowed for {robots.ProductToken} by {address.GetLeftPart(UriPartial.Authority)}/robots.txt.", "robots");
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, address);
        if (validators?.ETag is { } etag && EntityTagHeaderValue.TryParse(etag, out var parsedTag))
        {
            request.Headers.IfNoneMatch.Add(parsedTag);
        }
        if (validators?.LastModified is { } lastModified && DateTimeOffset.TryParse(lastModified, out var since))
        {
            request.Headers.IfModifiedSince = since;
        }

        var client = httpClientFactory.CreateClient(HttpClientName);
        using var turn = await politeness.EnterAsync(address, cancellationToken);
        // The whole fetch, body included, within the request timeout: a server that sends its headers at once and
        // then a byte a second is cut off as surely as one that never answers.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.Value.RequestTimeout);
        try
        {
            return await SendAsync(client, request, address, validators, maxBytes, deadline.Token);
        }
        catch (OperationCanceledException e) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new FetchFailedException($"Timed out fetching {address} after {options.Value.RequestTimeout.TotalSeconds:0} s.", "timeout", e);
        }
    }

    private async Task<FetchedContent> SendAsync(HttpClient client, HttpRequestMessage request, Uri address, Validators? validators, int maxBytes, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new FetchFailedException($"Could not fetch {address}: {e.Message}", IsRefusedAddress(e) ? "refused_address" : "unreachable", e);
        }
        catch (Polly.CircuitBreaker.BrokenCircuitException e)
        {
            throw new FetchFailedException($"{address.Authority} failed too often just now; not asked again for a while ({e.Message})", "unreachable", e);
        }
        catch (Exception e) when (e is TimeoutException or TaskCanceledException or Polly.Timeout.TimeoutRejectedException
                                  && !cancellationToken.IsCancellationRequested)
        {
            throw new FetchFailedException($"Timed out fetching {address} after {options.Value.RequestTimeout.TotalSeconds:0} s.", "timeout", e);
        }

        using (response)
        {
            var finalAddress = response.RequestMessage?.RequestUri ?? address;
            var newValidators = new Validators(
                response.Headers.ETag?.ToString() ?? validators?.ETag,
                response.Content.Headers.LastModified?.ToString("R") ?? validators?.LastModified);
            if (response.StatusCode == HttpStatusCode.NotModified)
            {
                return new FetchedContent([], null, newValidators, NotModified: true, finalAddress);
            }
            if (!response.IsSuccessStatusCode)
            {
                if (response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable && response.Headers.RetryAfter is { } retryAfter)
                {
                    var until = retryAfter.Date ?? DateTimeOffset.UtcNow + (retryAfter.Delta ?? TimeSpan.Zero);
                    politeness.PauseUntil(address, until);
                    throw new FetchFailedException($"{address} answered {(int)response.StatusCode} {response.ReasonPhrase} and asked not to be asked again before {until:u}.", "rate_limited");
                }
                if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } next)
                {
                    // The handler follows a few redirects and hands back the one after: a loop, or a chain too long.
                    throw new FetchFailedException($"{address} redirected too many times (more than {OutboundAddressGuard.MaxRedirects}; the last to {next}).", "redirect_loop");
                }
                throw new FetchFailedException($"{address} answered {(int)response.StatusCode} {response.ReasonPhrase}.", (int)response.StatusCode >= 500 ? "http_5xx" : "http_4xx");
            }
            if (response.Content.Headers.ContentLength > maxBytes)
            {
                throw new FetchFailedException($"{address} is {response.Content.Headers.ContentLength} bytes, over the {maxBytes}-byte cap.", "size_cap");
            }
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var body = await ReadCappedAsync(stream, maxBytes, address, cancellationToken);
            return new FetchedContent(body, response.Content.Headers.ContentType?.ToString(), newValidators, NotModified: false, finalAddress);
        }
    }

    private static bool IsRefusedAddress(Exception? e) =>
        e is not null && (e is OutboundAddressRefusedException || IsRefusedAddress(e.InnerException));

    private static async Task<FetchedContent> ReadFileAsync(Uri address, int maxBytes, CancellationToken cancellationToken)
    {
        var path = address.LocalPath;
        if (!File.Exists(path))
        {
            throw new FetchFailedException($"No such file: {path}", "unreachable");
        }
        await using var stream = File.OpenRead(path);
        var body = await ReadCappedAsync(stream, maxBytes, address, cancellationToken);
        var contentType = path.EndsWith(".htm", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".html", StringComparison.OrdinalIgnoreCase)
            ? "text/html" : null;
        return new FetchedContent(body, contentType, new Validators(null, null), NotModified: false, address);
    }

    private static async Task<byte[]> ReadCappedAsync(Stream stream, int maxBytes, Uri address, CancellationToken cancellationToken) =>
        await BoundedReads.ReadAtMostAsync(stream, maxBytes, cancellationToken)
        ?? throw new FetchFailedException($"{address} is larger than the {maxBytes}-byte cap.", "size_cap");
}
