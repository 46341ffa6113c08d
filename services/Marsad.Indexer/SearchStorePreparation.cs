using Marsad.Search;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Marsad.Indexer;

/// <summary>
/// Prepares the store when the indexer starts (for Elasticsearch: puts the index template in place if the cluster
/// has none). A cluster that is not up yet is waited for, with back-off, rather than failing the service.
/// </summary>
public sealed class SearchStorePreparation(ISearchStore store, ILogger<SearchStorePreparation> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await store.PrepareAsync(stoppingToken);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("The store is not ready yet ({Reason}); trying again in {Delay} s", e.Message, delay.TotalSeconds);
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromSeconds(Math.Min(delay.TotalSeconds * 2, 30));
            }
        }
    }
}
