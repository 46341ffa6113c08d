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

/// <summary>The feed list of the embedded mode: <c>feeds.json</c> in the data folder, shared by the CLI and a running fetcher.</summary>
public sealed class FeedRegistry(IOptions<MarsadOptions> options, TimeProvider timeProvider)
{
    private readonly JsonListFile<FeedRecord> _file = new(Path.Combine(options.Value.DataDir, "feeds.json"));

    public static string IdFor(string url) => ArticleIdentity.Hash(url)[..12];

    public Task<IReadOnlyList<FeedRecord>> ListAsync(CancellationToken cancellationToken) => _file.ReadAsync(cancellationToken);

    /// <summary>Adds the feed if it is not registered yet; either way returns its record.</summary>
    public Task<FeedRecord> AddAsync(string url, CancellationToken cancellationToken) =>
        UpdateAsync(url, existing => existing ?? new FeedRecord { Id = IdFor(url), Url = url, AddedAt = timeProvider.GetUtcNow() }, cancellationToken);

    public Task<bool> RemoveAsync(string idOrUrl, CancellationToken cancellationToken) =>
        _file.UpdateAsync(feeds =>
        {
            var removed = feeds.RemoveAll(feed => feed.Id == idOrUrl || feed.Url == idOrUrl) > 0;
            return (removed, removed);
        }, cancellationToken);

    public Task<FeedRecord> UpdateAsync(string url, Func<FeedRecord?, FeedRecord> change, CancellationToken cancellationToken) =>
        _file.UpdateAsync(feeds =>
        {
            var index = feeds.FindIndex(feed => feed.Url == url);
            var updated = change(index >= 0 ? feeds[index] : null);
            if (index >= 0)
            {
                var unchanged = Equals(feeds[index], updated);
                feeds[index] = updated;
                return (!unchanged, updated);
            }
            feeds.Add(updated);
            return (true, updated);
        }, cancellationToken);
}
