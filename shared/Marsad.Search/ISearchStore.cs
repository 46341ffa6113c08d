namespace Marsad.Search;

/// <summary>Where articles are kept and searched: the embedded Lucene.NET index, or Elasticsearch in production.</summary>
public interface ISearchStore
{
    /// <summary>
    /// Writes the articles durably before returning, one result per article in order: an id already in the store is
    /// reported, not written twice; a document the store refuses for good is reported with the reason.
    /// </summary>
    Task<IReadOnlyList<IndexResult>> IndexAsync(IReadOnlyList<ArticleDocument> articles, CancellationToken cancellationToken);

    /// <exception cref="QuerySyntaxException">The query is malformed or uses a field that is not public.</exception>
    Task<SearchResponse> SearchAsync(SearchRequest request, CancellationToken cancellationToken);

    Task<long> CountAsync(CancellationToken cancellationToken);

    /// <summary>Prepares the store for writing (Elasticsearch: the index template); safe to call more than once.</summary>
    Task PrepareAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The stored article with this id, or null; as soon as <see cref="IndexAsync"/> has returned, whatever the
    /// store's search refresh. <paramref name="published"/> is the article's publication date when known (a store
    /// that partitions by date finds the article directly).
    /// </summary>
    Task<ArticleDocument?> GetAsync(string id, DateTimeOffset? published, CancellationToken cancellationToken);

    /// <summary>
    /// For each fingerprint, up to <paramref name="limit"/> stored articles that share a band of it
    /// (<c>StoryFingerprint.Bands</c>), those sharing most first; articles stored without a fingerprint are never
    /// candidates. Sees what search sees (Elasticsearch: after its refresh, within a second of writing).
    /// </summary>
    Task<IReadOnlyList<IReadOnlyList<StoryCandidate>>> FindStoryCandidatesAsync(IReadOnlyList<ulong> fingerprints, int limit, CancellationToken cancellationToken);
}
