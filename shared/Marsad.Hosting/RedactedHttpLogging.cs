using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Logging;
using Microsoft.Extensions.Logging;

namespace Marsad.Hosting;

/// <summary>
/// What outgoing HTTP requests leave in logs and traces: scheme and host only. A webhook's path is often its
/// credential (Slack's and Teams' incoming webhooks are <c>/services/T…/B…/token</c>), and a private feed's query can
/// hold a token; HttpClient's own logging printed the whole URL at every request, on the console and over OTLP.
/// </summary>
public static class RedactedHttpLogging
{
    /// <summary><c>https://hooks.example.org/…</c>: where a request went, not what it carried.</summary>
    public static string Redact(Uri? url) =>
        url is null ? "" : url.IsAbsoluteUri ? $"{url.Scheme}://{url.Authority}{(url.PathAndQuery is "/" or "" ? "" : "/…")}" : "…";

    /// <summary>Every HttpClient of the process logs through <see cref="RedactedHttpClientLogger"/> instead of its default loggers.</summary>
    public static IServiceCollection AddRedactedHttpLogging(this IServiceCollection services)
    {
        services.AddSingleton<RedactedHttpClientLogger>();
        services.ConfigureHttpClientDefaults(http => http.RemoveAllLoggers().AddLogger<RedactedHttpClientLogger>());
        return services;
    }

    /// <summary>The HttpClient span's full URL, redacted as the logs are.</summary>
    public static void RedactUrl(Activity activity, HttpRequestMessage request) =>
        activity.SetTag("url.full", Redact(request.RequestUri));
}

public sealed class RedactedHttpClientLogger(ILogger<RedactedHttpClientLogger> logger) : IHttpClientLogger
{
    public object? LogRequestStart(HttpRequestMessage request) => null;

    public void LogRequestStop(object? context, HttpRequestMessage request, HttpResponseMessage response, TimeSpan elapsed) =>
        logger.LogDebug("HTTP {Method} {Url} answered {Status} in {ElapsedMs:0} ms",
            request.Method, RedactedHttpLogging.Redact(request.RequestUri), (int)response.StatusCode, elapsed.TotalMilliseconds);

    public void LogRequestFailed(object? context, HttpRequestMessage request, HttpResponseMessage? response, Exception exception, TimeSpan elapsed) =>
        logger.LogDebug("HTTP {Method} {Url} failed after {ElapsedMs:0} ms: {Error}",
            request.Method, RedactedHttpLogging.Redact(request.RequestUri), elapsed.TotalMilliseconds, exception.GetType().Name);
}
