using System.Text;
using Lucene.Net.Search.Highlight;

namespace Marsad.Search.Lucene;

/// <summary>
/// Escapes only what HTML needs escaped (&amp; &lt; &gt; &quot; '). Lucene's SimpleHTMLEncoder also turns every
/// non-ASCII character into a numeric entity, which makes an Arabic snippet unreadable in JSON and in a terminal.
/// </summary>
internal sealed class MarkupOnlyEncoder : IEncoder
{
    public string EncodeText(string originalText)
    {
        if (originalText.AsSpan().IndexOfAny("&<>\"'") < 0)
        {
            return originalText;
        }
        var builder = new StringBuilder(originalText.Length + 16);
        foreach (var c in originalText)
        {
            builder.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => c.ToString(),
            });
        }
        return builder.ToString();
    }
}
