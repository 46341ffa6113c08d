using System.Text.Json;

namespace Marsad.Hosting;

/// <summary>
/// A small list kept as one JSON file in the data folder (the feed registry, the alert subscriptions). Each change
/// rewrites the file atomically (write beside, then rename), so a CLI command and a running service can share it.
/// </summary>
public sealed class JsonListFile<T>(string path)
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private readonly SemaphoreSlim _gate = new(1, 1);

    public string Path { get; } = path;

    public async Task<IReadOnlyList<T>> ReadAsync(CancellationToken cancellationToken)
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

    /// <summary>Reads the list, lets <paramref name="change"/> edit it, and saves it if it says it changed something.</summary>
    public async Task<TResult> UpdateAsync<TResult>(Func<List<T>, (bool Changed, TResult Result)> change, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var items = await LoadAsync(cancellationToken);
            var (changed, result) = change(items);
            if (changed)
            {
                await SaveAsync(items, cancellationToken);
            }
            return result;
        }
        finally
        {
            _gate.Release();
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
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);
        var temporary = Path + "." + Environment.ProcessId + ".tmp";
        await using (var stream = File.Create(temporary))
        {
            await JsonSerializer.SerializeAsync(stream, items, JsonOptions, cancellationToken);
        }
        File.Move(temporary, Path, overwrite: true);
    }
}
