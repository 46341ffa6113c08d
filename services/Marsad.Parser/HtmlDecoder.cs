using System.Text;
using AngleSharp;
using AngleSharp.Dom;
using AngleSharp.Io;

namespace Marsad.Parser;

/// <summary>
/// Turns a page's bytes into a document the way a browser does (HTML's encoding sniffing, by AngleSharp): the
/// charset from the Content-Type header, else the byte order mark, else a &lt;meta&gt; declaration. windows-1256 and
/// ISO-8859-6, still common on Arabic news sites, decode through the code-pages provider registered here.
/// </summary>
public static class HtmlDecoder
{
    static HtmlDecoder()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    public static async Task<IDocument> ParseAsync(byte[] body, string? contentType, string? url, CancellationToken cancellationToken)
    {
        var context = BrowsingContext.New(Configuration.Default);
        using var content = new MemoryStream(body, writable: false);
        return await context.OpenAsync(response =>
        {
            response.Content(content, shouldDispose: false);
            if (!string.IsNullOrWhiteSpace(contentType))
            {
                response.Header(HeaderNames.ContentType, contentType);
            }
            if (url is not null && Uri.TryCreate(url, UriKind.Absolute, out var address))
            {
                response.Address(new Url(address.AbsoluteUri));
            }
        }, cancellationToken);
    }

    /// <summary>Decoded page text, for callers that only need the HTML source as a string.</summary>
    public static async Task<(string Html, string Charset)> DecodeAsync(byte[] body, string? contentType, CancellationToken cancellationToken)
    {
        using var document = await ParseAsync(body, contentType, url: null, cancellationToken);
        return (document.Source.Text, document.CharacterSet);
    }
}
