namespace Marsad.Hosting;

/// <summary>Reading what others send (pages, feeds, uploads) without letting its size decide how much memory it takes.</summary>
public static class BoundedReads
{
    /// <summary>
    /// The stream's bytes, or null as soon as they pass <paramref name="maxBytes"/>. Content-Length can lie or be
    /// absent (chunked, compressed): the cap is enforced on what is actually read.
    /// </summary>
    public static async Task<byte[]?> ReadAtMostAsync(Stream stream, int maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
