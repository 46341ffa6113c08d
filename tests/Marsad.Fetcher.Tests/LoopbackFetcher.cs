using System.Collections.Concurrent;
using Marsad.Contracts;
using Marsad.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Marsad.Fetcher.Tests;

/// <summary>The fetcher wired exactly as the service wires it (no poller), for tests against a server on loopback.</summary>
public static class LoopbackFetcher
{
    /// <param name="settings">Settings over the defaults (loopback allowed, a 10 s request timeout).</param>
    /// <param name="configure">Further registrations, made after the fetcher's.</param>
    public static IHost Build(string dataDir, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder();
        var all = new Dictionary<string, string?>
        {
            ["DataDir"] = dataDir,
            ["Fetcher:AllowLoopback"] = "true",
            ["Fetcher:RequestTimeout"] = "00:00:10",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        builder.AddMarsadDefaults("fetcher-test", all);
        builder.AddFetcher(poll: false);
        configure?.Invoke(builder.Services);
        return builder.Build();
    }

    /// <summary>Fetches a feed once, collecting the articles the fetcher hands on.</summary>
    public static async Task<(FeedFetched Outcome, List<ArticleFetched> Articles)> FetchAsync(IHost host, Uri feed)
    {
        var articles = new ConcurrentBag<ArticleFetched>();
        var outcome = await host.Services.GetRequiredService<FeedFetcher>().FetchAsync(
            feed.AbsoluteUri, (article, _) => { articles.Add(article); return Task.CompletedTask; }, CancellationToken.None);
        return (outcome, articles.ToList());
    }
}
