using System.Text.Json;
using Marsad.Feeds;

namespace Marsad.Fetcher;

public static partial class FeedParser
{
    private static bool IsJson(byte[] content)
    {
        var start = content is [0xEF, 0xBB, 0xBF, ..] ? 3 : 0;
        while (start < content.Length && content[start] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            start++;
        }
        return start < content.Length && content[start] == (byte)'{';
    }

    /// <summary>
    /// JSON Feed 1.0 and 1.1 (jsonfeed.org): the feed's title, and per item its url (else external_url), id, title,
    /// content (HTML, else text, else summary), author(s), date_published and image (else banner_image, else an
    /// image attachment).
    /// </summary>
    private static ParsedFeed ParseJsonFeed(byte[] content, Uri feedAddress)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(content, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new FeedFormatException($"Not a readable JSON Feed: {e.Message}", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || Text(root, "version") is not { } version || !version.StartsWith("https://jsonfeed.org/version/", StringComparison.Ordinal))
            {
                throw new FeedFormatException("Not a readable JSON Feed: no \"version\": \"https://jsonfeed.org/version/1…\".");
            }
            var items = root.TryGetProperty("items", out var list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().Where(item => item.ValueKind == JsonValueKind.Object).Select(item => new ParsedFeedItem(
                    ResolveLink(Text(item, "url"), feedAddress) ?? ResolveLink(Text(item, "external_url"), feedAddress),
                    Text(item, "id"),
                    Text(item, "title")?.Trim(),
                    Text(item, "content_html") ?? Text(item, "content_text") ?? Text(item, "summary"),
                    AuthorOf(item),
                    DateTimeOffset.TryParse(Text(item, "date_published"), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var published) ? published : null,
                    new[] { Text(item, "image"), Text(item, "banner_image"), ImageAttachment(item) }
                        .Select(image => ResolveLink(image, feedAddress)).FirstOrDefault(image => image is { Scheme: "http" or "https" }))).ToList()
                : [];
            return new ParsedFeed(Text(root, "title")?.Trim(), items, "utf-8");
        }
    }

    // 1.1 has "authors", 1.0 "author"; "id" may be a number in the wild.
    private static string? AuthorOf(JsonElement item)
    {
        if (item.TryGetProperty("authors", out var authors) && authors.ValueKind == JsonValueKind.Array)
        {
            var names = authors.EnumerateArray().Select(author => author.ValueKind == JsonValueKind.Object ? Text(author, "name") : null).OfType<string>().ToList();
            return names.Count > 0 ? string.Join(", ", names) : null;
        }
        return item.TryGetProperty("author", out var author) && author.ValueKind == JsonValueKind.Object ? Text(author, "name") : null;
    }

    private static string? ImageAttachment(JsonElement item) =>
        item.TryGetProperty("attachments", out var attachments) && attachments.ValueKind == JsonValueKind.Array
            ? attachments.EnumerateArray()
                .Where(attachment => attachment.ValueKind == JsonValueKind.Object && Text(attachment, "mime_type")?.StartsWith("image/", StringComparison.OrdinalIgnoreCase) == true)
                .Select(attachment => Text(attachment, "url")).FirstOrDefault()
            : null;

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => NullIfBlank(value.GetString()),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        } : null;
}
