namespace Marsad.Hosting;

/// <summary>
/// A file that only grows, one line per record, flushed as each is written: the memory of what a service has
/// already done (articles handed on, alerts raised), which must survive a restart and may be read while written.
/// </summary>
public sealed class AppendOnlyFile(string path) : IDisposable
{
    private readonly Lock _appendLock = new();
    private StreamWriter? _writer;

    public string Path { get; } = path;

    /// <summary>Every record written so far (none if the file does not exist yet).</summary>
    public IEnumerable<string> ReadLines() =>
        File.Exists(Path) ? File.ReadLines(Path).Where(line => line.Length > 0) : [];

    public void Append(string line)
    {
        lock (_appendLock)
        {
            if (_writer is null)
            {
                DataFolder.Create(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);
                var append = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.Read };
                if (!OperatingSystem.IsWindows())
                {
                    append.UnixCreateMode = DataFolder.FileMode;
                }
                _writer = new StreamWriter(new FileStream(Path, append));
            }
            _writer.WriteLine(line);
            _writer.Flush();
        }
    }

    public void Dispose()
    {
        lock (_appendLock)
        {
            _writer?.Dispose();
            _writer = null;
        }
    }
}
