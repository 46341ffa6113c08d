using Marsad.Search;

namespace Marsad.Alerts;

public static class StorySources
{
    /// <summary>The outlets whose copies of a story are in the index (for "also reported by").</summary>
    public static async Task<IReadOnlySet<string>> StorySourcesAsync(this ISearchStore store, string storyId, CancellationToken cancellationToken)
    {
        var copies = await store.SearchAsync(new SearchRequest { Query = $"story:\"{storyId}\"", Size = 50 }, cancellationToken);
        return copies.Hits.Select(hit => hit.Source).ToHashSet(StringComparer.Ordinal);
    }
}
