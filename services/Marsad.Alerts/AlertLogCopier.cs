using System.Threading.Channels;
using Marsad.Hosting;
using Marsad.Subscriptions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Marsad.Alerts;

/// <summary>
/// In the distributed mode, copies every alert and every delivery state the alerts service records into the alert
/// log in Elasticsearch, where the api reads them: no other process reads this service's data folder. At start it
/// copies what the journals hold (writes are by id, so a copy made twice changes nothing), then each record as it
/// is written, in batches. While Elasticsearch is down the records wait and are written when it is back.
/// </summary>
public sealed class AlertLogCopier(AlertHistory history, DeliveryJournal journal, AlertLog log, IOptions<MarsadOptions> options, ILogger<AlertLogCopier> logger)
    : BackgroundService
{
    private const int Batch = 500;
    // Only the distributed mode keeps the log in Elasticsearch; in the embedded mode the journals are the log.
    private readonly ElasticsearchAlertLog? _elasticsearch = log as ElasticsearchAlertLog;
    private readonly Channel<AlertLogRecord> _pending = Channel.CreateUnbounded<AlertLogRecord>(new UnboundedChannelOptions { SingleReader = true });

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (_elasticsearch is null)
        {
            return Task.CompletedTask;
        }
        // Listening before the bus starts, so no alert recorded from here on is missed; the journals' earlier lines
        // are copied first by ExecuteAsync.
        history.Recorded += alert => _pending.Writer.TryWrite(AlertLogRecord.Of(alert));
        journal.Written += delivery => _pending.Writer.TryWrite(AlertLogRecord.Of(delivery));
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var dataDir = options.Value.DataDir;
        var earlier = AlertHistory.Read(dataDir).Select(AlertLogRecord.Of).Concat(DeliveryJournal.Read(dataDir).Select(AlertLogRecord.Of)).ToList();
        foreach (var chunk in earlier.Chunk(Batch))
        {
            await WriteAsync(chunk, stoppingToken);
        }
        var batch = new List<AlertLogRecord>(Batch);
        while (await _pending.Reader.WaitToReadAsync(stoppingToken))
        {
            while (batch.Count < Batch && _pending.Reader.TryRead(out var record))
            {
                batch.Add(record);
            }
            await WriteAsync(batch, stoppingToken);
            batch.Clear();
        }
    }

    private async Task WriteAsync(IReadOnlyCollection<AlertLogRecord> records, CancellationToken stoppingToken)
    {
        for (var delay = TimeSpan.FromSeconds(1); ; delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromMinutes(1).Ticks)))
        {
            try
            {
                await _elasticsearch!.WriteAsync(records, stoppingToken);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("The alert log could not be written to Elasticsearch ({Error}); {Count} record(s) wait, tried again in {Delay}", e.Message, records.Count, delay);
                await Task.Delay(delay, stoppingToken);
            }
        }
    }
}
