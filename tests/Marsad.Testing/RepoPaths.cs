namespace Marsad.Testing;

/// <summary>Where the repository and the read-only reference folder beside it (<c>../shared</c>) are.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    public static string Samples => Path.Combine(Root, "samples");

    /// <summary>A file of ../shared, or a failure that says plainly what is missing and where it was looked for.</summary>
    public static string SharedFile(params string[] parts)
    {
        var path = Path.Combine([Shared, .. parts]);
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new FileNotFoundException(
                $"This test needs the reference data at {path} (the read-only 'shared' folder beside the repository), and it is not there.");
        }
        return path;
    }

    public static string SeedArticleText => File.ReadAllText(SharedFile("seed", "nato-ukraine-ar.txt"));

    /// <summary>
    /// The CLI in its own build output, in the configuration the tests were built in (a test project that references
    /// it builds it first). Run with <c>dotnet marsad.dll</c>: copies beside the tests lack its runtimeconfig.
    /// </summary>
    public static string CliAssembly
    {
        get
        {
            // AppContext.BaseDirectory is …/bin/<Configuration>/<TargetFramework>/
            var targetDirectory = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var configuration = targetDirectory.Parent!.Name;
            var path = Path.Combine(Root, "cli", "Marsad.Cli", "bin", configuration, targetDirectory.Name, "marsad.dll");
            return File.Exists(path)
                ? path
                : throw new FileNotFoundException($"The Marsad CLI is not built at {path}; build the solution (./test.sh does).", path);
        }
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Directory.Packages.props")) && Directory.Exists(Path.Combine(directory.FullName, "services")))
            {
                return directory.FullName;
            }
        }
        throw new DirectoryNotFoundException($"No repository root above {AppContext.BaseDirectory}.");
    }
}

/// <summary>A temporary folder removed with the test.</summary>
public sealed class TemporaryDirectory : IDisposable
{
    public TemporaryDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "marsad-test-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A process that still holds a file there is ending; the OS cleans temp folders.
        }
    }
}
