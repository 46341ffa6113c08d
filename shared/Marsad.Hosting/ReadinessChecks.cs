using System.Text.Json;
using Marsad.Hosting.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Marsad.Hosting;

/// <summary>
/// What <c>/health/ready</c> asks besides the bus: that each thing the service depends on (the article store, the
/// feed list) answers a cheap question in time. A store that is down makes the service unready, not dead: it comes
/// back by itself, and an orchestrator should stop sending it work rather than restart it.
/// </summary>
public static class ReadinessChecks
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>Adds the check <paramref name="name"/>: ready while <paramref name="probe"/> returns (its answer is the check's description).</summary>
    public static IServiceCollection AddReadinessCheck<TDependency>(this IServiceCollection services, string name, Func<TDependency, CancellationToken, Task<string>> probe)
        where TDependency : notnull
    {
        services.AddHealthChecks().Add(new HealthCheckRegistration(name,
            provider => new ProbeHealthCheck<TDependency>(provider.GetRequiredService<TDependency>(), probe),
            HealthStatus.Unhealthy, ["ready"], Timeout));
        return services;
    }

    /// <summary>
    /// Every check's status as JSON, so an operator (or <c>./marsad health</c>) sees which part is down; the
    /// descriptions (addresses, errors) only to an admin, since a probe asks anonymously.
    /// </summary>
    public static Task WriteJsonAsync(HttpContext context, HealthReport report)
    {
        var detailed = context.User.Caller()?.IsAdmin == true;
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(entry => entry.Key, entry => new
            {
                status = entry.Value.Status.ToString(),
                description = detailed ? entry.Value.Description ?? entry.Value.Exception?.Message : null,
                seconds = Math.Round(entry.Value.Duration.TotalSeconds, 3),
            }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }

    private sealed class ProbeHealthCheck<TDependency>(TDependency dependency, Func<TDependency, CancellationToken, Task<string>> probe) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
        {
            try
            {
                return HealthCheckResult.Healthy(await probe(dependency, cancellationToken));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The reason is the answer; a stack trace in the log for every probe while the store is away is not.
                return HealthCheckResult.Unhealthy(e.Message);
            }
        }
    }
}
