using System.Runtime.InteropServices;

namespace Marsad.Hosting;

/// <summary>
/// The data folder holds secrets (API key hashes, webhook secrets and addresses, SMTP-bound e-mail addresses): it is
/// the owner's alone, 0700, and what Marsad writes in it is 0600, whoever else shares the machine.
/// </summary>
public static partial class DataFolder
{
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// Files and folders this process creates from now on are its user's only (umask 077): that covers what
    /// libraries write too (the Lucene index, journals), not only Marsad's own files.
    /// </summary>
    public static void RestrictNewFilesToOwner()
    {
        if (!OperatingSystem.IsWindows())
        {
            _ = SetUmask(0b000_111_111);
        }
    }

    /// <summary>Creates the folder 0700, or narrows an existing one (made by an older Marsad) and the files in it to 0700/0600.</summary>
    public static void Secure(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }
        Directory.CreateDirectory(path, FolderMode);
        Narrow(path, FolderMode);
        foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories))
        {
            Narrow(file, FileMode);
        }
        foreach (var folder in Directory.EnumerateDirectories(path, "*", SearchOption.AllDirectories))
        {
            Narrow(folder, FolderMode);
        }
    }

    // What this user does not own (a volume mounted by another) is left as it is: only its owner could change it.
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void Narrow(string path, UnixFileMode mode)
    {
        try
        {
            if ((File.GetUnixFileMode(path) & ~mode) != 0)
            {
                File.SetUnixFileMode(path, File.GetUnixFileMode(path) & mode);
            }
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Creates a folder as <see cref="Secure"/> would, without walking what it holds.</summary>
    public static void Create(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, FolderMode);
        }
    }

    [LibraryImport("libc", EntryPoint = "umask")]
    private static partial uint SetUmask(uint mask);
}
