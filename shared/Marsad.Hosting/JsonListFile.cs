using System.Text.Json;

namespace Marsad.Hosting;

/// <summary>
/// A small list kept as one JSON file in the data folder (the feed registry, the alert subscriptions). Each change
/// rewrites the file atomically (write beside, then rename) while holding a lock file, so a CLI command and running
/// services (several fetchers on one data folder) can share it: readers never see half a file, writers take turns.
/// </summary>
public sealed class JsonListFile<T>(string path)
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ((DateTime, long) Stamp, IReadOnlyList<T> Items)? _cached;

    public string Path { get; } = path;

    /// <summary>
    /// The list as the file now has it. While the file is unchanged the same list is returned, not read again, so a
    /// caller may keep what it derived from it (compiled queries) for as long as it is the same instance.
    /// </summary>
    public async Task<IReadOnlyList<T>> ReadAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await CurrentAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Reads the list, lets <paramref name="change"/> edit it, and saves it if it says it changed something.</summary>
    public async Task<TResult> UpdateAsync<TResult>(Func<List<T>, (bool Changed, TResult Result)> change, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var turn = await LockAcrossProcessesAsync(cancellationToken);
            // Unchanged since this object last read or wrote it (nobody else wrote in between): no need to parse it again.
            var items = new List<T>(await CurrentAsync(cancellationToken));
            var (changed, result) = change(items);
            if (changed)
            {
                await SaveAsync(items, cancellationToken);
                _cached = (Stamp(), items.AsReadOnly());
            }
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<IReadOnlyList<T>> CurrentAsync(CancellationToken cancellationToken)
    {
        var stamp = Stamp();
        if (_cached is { } cached && cached.Stamp == stamp)
        {
            return cached.Items;
        }
        var items = (await LoadAsync(cancellationToken)).AsReadOnly();
        _cached = (stamp, items);
        return items;
    }

    private (DateTime, long) Stamp()
    {
        var file = new FileInfo(Path);
        return file.Exists ? (file.LastWriteTimeUtc, file.Length) : default;
    }

    // An exclusive open is an flock on Unix: held by one process at a time and let go if that process dies.
    private async Task<FileStream> LockAcrossProcessesAsync(CancellationToken cancellationToken)
    {
        DataFolder.Create(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);
        while (true)
        {
            try
            {
                return new FileStream(Path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1);
            }
            catch (IOException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(5), cancellationToken);
            }
        }
    }

    private async Task<List<T>> LoadAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Path))
        {
            return [];
        }
        await using var stream = File.OpenRead(Path);
        return await JsonSerializer.DeserializeAsync<List<T>>(stream, JsonOptions, cancellationToken) ?? [];
    }

    private async Task SaveAsync(List<T> items, CancellationToken cancellationToken)
    {
        var temporary = Path + "." + Environment.ProcessId + ".tmp";
        // Made 0600 before anything is written to it: these lists hold secrets (webhook secrets, key hashes).
        var create = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            create.UnixCreateMode = DataFolder.FileMode;
        }
        await using (var stream = new FileStream(temporary, create))
        {
            await JsonSerializer.SerializeAsync(stream, items, JsonOptions, cancellationToken);
        }
        File.Move(temporary, Path, overwrite: true);
    }
}
