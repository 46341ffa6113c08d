using System.Text.Json;
using Marsad.Hosting;
using Microsoft.Extensions.Options;

namespace Marsad.Fetcher;

/// <summary>A registered feed with its health: what the last fetches did, so a failing feed is visible, never silent.</summary>
public sealed record FeedRecord
{
    public required string Id { get; init; }
    public required string Url { get; init; }
    public string? Title { get; init; }
    public DateTimeOffset AddedAt { get; init; }
    public DateTimeOffset? LastFetchAt { get; init; }
    public DateTimeOffset? LastSuccessAt { get; init; }
    public string? LastError { get; init; }
    public int ConsecutiveFailures { get; init; }
    public long ItemsSeen { get; init; }
    public long ArticlesPublished { get; init; }
    public string? ETag { get; init; }
    public string? LastModified { get; init; }
}

/// <summary>
/// The feed list of the embedded mode: <c>feeds.json</c> in the data folder, rewritten atomically on each change so
/// that the CLI and a running fetcher can share it.
/// </summary>
public sealed class FeedRegistry(IOptions<MarsadOptions> options, TimeProvider timeProvider)
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private readonly SemaphoreSlim _gate = new(1, 1);

    private string FilePath => Path.Combine(options.Value.DataDir, "feeds.json");

    public static string IdFor(string url) => ArticleIdentity.Hash(url)[..12];

    public async Task<IReadOnlyList<FeedRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await LoadAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Adds the feed if it is not registered yet; either way returns its record.</summary>
    public Task<FeedRecord> AddAsync(string url, CancellationToken cancellationToken) =>
        UpdateAsync(url, existing => existing ?? new FeedRecord { Id = IdFor(url), Url = url, AddedAt = timeProvider.GetUtcNow() }, cancellationToken);

    public async Task<bool> RemoveAsync(string idOrUrl, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var feeds = (await LoadAsync(cancellationToken)).ToList();
            var removed = feeds.RemoveAll(feed => feed.Id == idOrUrl || feed.Url == idOrUrl) > 0;
            if (removed)
            {
                await SaveAsync(feeds, cancellationToken);
            }
            return removed;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<FeedRecord> UpdateAsync(string url, Func<FeedRecord?, FeedRecord> change, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var feeds = (await LoadAsync(cancellationToken)).ToList();
            var index = feeds.FindIndex(feed => feed.Url == url);
            var updated = change(index >= 0 ? feeds[index] : null);
            if (index >= 0)
            {
                feeds[index] = updated;
            }
            else
            {
                feeds.Add(updated);
            }
            await SaveAsync(feeds, cancellationToken);
            return updated;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<IReadOnlyList<FeedRecord>> LoadAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(FilePath))
        {
            return [];
        }
        await using var stream = File.OpenRead(FilePath);
        return await JsonSerializer.DeserializeAsync<List<FeedRecord>>(stream, JsonOptions, cancellationToken) ?? [];
    }

    private async Task SaveAsync(IReadOnlyList<FeedRecord> feeds, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(options.Value.DataDir);
        var temporary = FilePath + "." + Environment.ProcessId + ".tmp";
        await using (var stream = File.Create(temporary))
        {
            await JsonSerializer.SerializeAsync(stream, feeds, JsonOptions, cancellationToken);
        }
        File.Move(temporary, FilePath, overwrite: true);
    }
}
