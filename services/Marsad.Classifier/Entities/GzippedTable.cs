using System.IO.Compression;
using System.Text;

namespace Marsad.Classifier.Entities;

/// <summary>The format of the entity models' files: tab-separated lines, gzipped, with <c>#</c> lines for their provenance and columns.</summary>
internal static class GzippedTable
{
    public static void Write(string path, IEnumerable<string> comments, IEnumerable<string> lines)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.SmallestSize);
        using var writer = new StreamWriter(gzip, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        foreach (var comment in comments)
        {
            writer.WriteLine("# " + comment);
        }
        foreach (var line in lines)
        {
            writer.WriteLine(line);
        }
    }

    /// <summary>Each line that is not a comment, split at its tabs, with its line number (for the error that names it).</summary>
    public static IEnumerable<(int Number, string[] Fields)> Read(string path)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (!line.StartsWith('#'))
            {
                yield return (number, line.Split('\t'));
            }
        }
    }
}
