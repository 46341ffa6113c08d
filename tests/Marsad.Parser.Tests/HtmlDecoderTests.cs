using System.Text;

namespace Marsad.Parser.Tests;

public sealed class HtmlDecoderTests
{
    private const string Arabic = "وزراء خارجية حلف الأطلسي متحدون ضد أي عمل عسكري في أوكرانيا";

    static HtmlDecoderTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static byte[] Page(string charsetMeta, Encoding encoding) =>
        encoding.GetBytes($"<html><head>{charsetMeta}<title>t</title></head><body><p>{Arabic}</p></body></html>");

    [Fact]
    public async Task Windows_1256_declared_in_meta()
    {
        var body = Page("<meta charset=\"windows-1256\">", Encoding.GetEncoding("windows-1256"));
        var (html, charset) = await HtmlDecoder.DecodeAsync(body, contentType: null, CancellationToken.None);
        Assert.Contains(Arabic, html, StringComparison.Ordinal);
        Assert.Equal("windows-1256", charset, ignoreCase: true);
    }

    [Fact]
    public async Task Windows_1256_declared_in_the_http_equiv_meta()
    {
        var body = Page("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1256\">", Encoding.GetEncoding(1256));
        var (html, _) = await HtmlDecoder.DecodeAsync(body, contentType: null, CancellationToken.None);
        Assert.Contains(Arabic, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Windows_1256_declared_only_in_the_content_type_header()
    {
        var body = Page("", Encoding.GetEncoding("windows-1256"));
        var (html, _) = await HtmlDecoder.DecodeAsync(body, "text/html; charset=windows-1256", CancellationToken.None);
        Assert.Contains(Arabic, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Iso_8859_6_declared_in_meta()
    {
        var body = Page("<meta charset=\"iso-8859-6\">", Encoding.GetEncoding("iso-8859-6"));
        var (html, _) = await HtmlDecoder.DecodeAsync(body, contentType: null, CancellationToken.None);
        Assert.Contains(Arabic, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_header_wins_over_a_wrong_meta()
    {
        // Servers are right more often than templates: HTML's sniffing order puts the header first.
        var body = Page("<meta charset=\"iso-8859-1\">", Encoding.UTF8);
        var (html, _) = await HtmlDecoder.DecodeAsync(body, "text/html; charset=utf-8", CancellationToken.None);
        Assert.Contains(Arabic, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_byte_order_mark_is_enough()
    {
        var body = Encoding.UTF8.GetPreamble().Concat(Page("", Encoding.UTF8)).ToArray();
        var (html, _) = await HtmlDecoder.DecodeAsync(body, contentType: null, CancellationToken.None);
        Assert.Contains(Arabic, html, StringComparison.Ordinal);
    }
}
