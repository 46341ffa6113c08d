namespace Marsad.Classifier.Entities;

/// <summary>The spans (first token, last token, kind) that IOB2 tags mark.</summary>
public static class EntitySpans
{
    public static List<(int First, int Last, string Type)> Of(IReadOnlyList<string> tags)
    {
        var spans = new List<(int, int, string)>();
        for (var i = 0; i < tags.Count; i++)
        {
            if (!tags[i].StartsWith("B-", StringComparison.Ordinal))
            {
                continue;
            }
            var type = tags[i][2..];
            var last = i;
            while (last + 1 < tags.Count && tags[last + 1] == "I-" + type)
            {
                last++;
            }
            spans.Add((i, last, type));
        }
        return spans;
    }
}
