using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Marsad.Testing;

/// <summary>One thing the local server answers at a path.</summary>
public sealed record ServedResource(byte[] Body, string ContentType, string? ETag = null)
{
    public static ServedResource Text(string body, string contentType, string? etag = null) =>
        new(System.Text.Encoding.UTF8.GetBytes(body), contentType, etag);
}

/// <summary>
/// A real HTTP server on 127.0.0.1 with a port of its own, standing in for a news site: it serves what a test
/// puts at a path, honours If-None-Match, and counts requests. Remote sites are the one thing tests may not reach.
/// </summary>
public sealed class LocalHttpServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ServedResource> _resources = new();
    private readonly ConcurrentDictionary<string, int> _requests = new();
    private readonly WebApplication _app;

    private LocalHttpServer(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public static async Task<LocalHttpServer> StartAsync(Func<HttpContext, Task<bool>>? custom = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new LocalHttpServer(app);
        app.Run(async context =>
        {
            var path = context.Request.Path.Value ?? "/";
            server._requests.AddOrUpdate(path, 1, (_, count) => count + 1);
            if (custom is not null && await custom(context))
            {
                return;
            }
            if (!server._resources.TryGetValue(path, out var resource))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
            if (resource.ETag is { } etag)
            {
                context.Response.Headers.ETag = etag;
                if (context.Request.Headers.IfNoneMatch.ToString() == etag)
                {
                    context.Response.StatusCode = StatusCodes.Status304NotModified;
                    return;
                }
            }
            context.Response.ContentType = resource.ContentType;
            await context.Response.Body.WriteAsync(resource.Body);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1") + "/");
        return server;
    }

    public Uri Put(string path, ServedResource resource)
    {
        _resources[path] = resource;
        return new Uri(BaseAddress, path.TrimStart('/'));
    }

    public int RequestsTo(string path) => _requests.GetValueOrDefault(path);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
