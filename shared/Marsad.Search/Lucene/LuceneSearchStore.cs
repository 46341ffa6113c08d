using System.Diagnostics;
using Lucene.Net.Analysis;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.QueryParsers.Classic;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;
using Marsad.Arabic;
using LuceneDirectory = Lucene.Net.Store.Directory;
using Marsad.Search.Analysis;
using Marsad.Search.Queries;

namespace Marsad.Search.Lucene;

/// <summary>
/// The embedded store: a Lucene.NET index in one folder. Any number of processes may search it; the first call to
/// <see cref="IndexAsync"/> takes the index's write lock, so exactly one process (the indexer) writes.
/// </summary>
public sealed class LuceneSearchStore : ISearchStore, IDisposable
{

    private readonly LuceneDirectory _directory;
    private readonly Analyzer _analyzer = MarsadAnalyzers.CreateIndexAnalyzer();
    private readonly Analyzer _queryAnalyzer = MarsadAnalyzers.CreateQueryAnalyzer();
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly System.Threading.Lock _managerLock = new();
    private IndexWriter? _writer;
    private SearcherManager? _searcherManager;
    private readonly EntityAliases _aliases;

    /// <param name="indexPath">The index folder, created when missing.</param>
    /// <param name="aliases">Entity aliases applied to queries; the shipped ones when null.</param>
    /// <param name="searchTimeLimit">How long one search may collect hits; <see cref="SearchRequest.TimeLimit"/> unless given.</param>
    public LuceneSearchStore(string indexPath, EntityAliases? aliases = null, TimeSpan? searchTimeLimit = null)
    {
        _aliases = aliases ?? EntityAliases.Shipped;
        _searchTimeLimit = searchTimeLimit ?? SearchRequest.TimeLimit;
        System.IO.Directory.CreateDirectory(indexPath);
        IndexPath = Path.GetFullPath(indexPath);
        _directory = FSDirectory.Open(IndexPath);
    }

    public string IndexPath { get; }

    private readonly TimeSpan _searchTimeLimit;

    public async Task<IReadOnlyList<IndexResult>> IndexAsync(IReadOnlyList<ArticleDocument> articles, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            var writer = EnsureWriter();
            var manager = _searcherManager!;
            manager.MaybeRefreshBlocking();
            var searcher = manager.Acquire();
            var outcomes = new IndexResult[articles.Count];
            var written = new HashSet<string>(StringComparer.Ordinal);
            try
            {
                for (var i = 0; i < articles.Count; i++)
                {
                    var article = articles[i];
                    var idTerm = new Term(LuceneFields.Id, article.Id);
                    if (written.Contains(article.Id) || searcher.Search(new TermQuery(idTerm), 1).TotalHits > 0)
                    {
                        outcomes[i] = IndexResult.AlreadyIndexed;
                        continue;
                    }
                    // UpdateDocument rather than AddDocument: even if two writers raced, one id stays one document.
                    writer.UpdateDocument(idTerm, ToLuceneDocument(article));
                    written.Add(article.Id);
                    outcomes[i] = IndexResult.Indexed;
                }
            }
            finally
            {
                manager.Release(searcher);
            }
            if (written.Count > 0)
            {
                // Commit before the caller acknowledges its messages: an acknowledged article is on disk. The
                // refresh waits its turn (a plain MaybeRefresh gives up if a reader is refreshing), so whoever is
                // told the article is indexed — the alerts, a live page — can read it at once.
                writer.Commit();
                manager.MaybeRefreshBlocking();
            }
            return outcomes;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public Task<SearchResponse> SearchAsync(SearchRequest request, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var query = BuildQuery(request);
        return Task.FromResult(WithFreshSearcher(searcher =>
        {
            var (page, size) = request.ServedPage();
            // Score slots for every result up to the page asked for are allocated up front: page × size is capped.
            var topCollector = TopScoreDocCollector.Create(page * size, docsScoredInOrder: false);
            var facetCollector = new FacetCountingCollector(LuceneFields.FacetDimensions);
            var limited = new TimeLimitingCollector(
                MultiCollector.Wrap(topCollector, facetCollector), TimeLimitingCollector.GlobalCounter, (long)_searchTimeLimit.TotalMilliseconds);
            try
            {
                searcher.Search(query, limited);
            }
            catch (TimeLimitingCollector.TimeExceededException)
            {
                throw new SearchTooCostlyException();
            }
            var topDocs = topCollector.GetTopDocs();
            var hits = topDocs.ScoreDocs
                .Skip((page - 1) * size)
                .Select(scoreDoc => ToHit(searcher.Doc(scoreDoc.Doc), scoreDoc.Score, query))
                .ToList();
            return new SearchResponse
            {
                Total = topDocs.TotalHits,
                TookMs = stopwatch.ElapsedMilliseconds,
                Hits = hits,
                Facets = facetCollector.Top(),
            };
        }, whenNoIndex: () => EmptyResponse(stopwatch)));
    }

    public Task<long> CountAsync(CancellationToken cancellationToken) =>
        Task.FromResult(WithFreshSearcher(searcher => (long)searcher.IndexReader.NumDocs, whenNoIndex: () => 0L));

    public Task<ArticleDocument?> GetAsync(string id, DateTimeOffset? published, CancellationToken cancellationToken) =>
        Task.FromResult(WithFreshSearcher(searcher =>
        {
            var top = searcher.Search(new TermQuery(new Term(LuceneFields.Id, id)), 1);
            return top.TotalHits == 0 ? null : ToArticle(searcher.Doc(top.ScoreDocs[0].Doc));
        }, whenNoIndex: () => (ArticleDocument?)null));

    public Task<IReadOnlyList<IReadOnlyList<StoryCandidate>>> FindStoryCandidatesAsync(IReadOnlyList<ulong> fingerprints, int limit, CancellationToken cancellationToken) =>
        Task.FromResult(WithFreshSearcher(
            searcher => StoryCandidates(searcher, fingerprints, limit),
            whenNoIndex: () => (IReadOnlyList<IReadOnlyList<StoryCandidate>>)fingerprints.Select(_ => (IReadOnlyList<StoryCandidate>)[]).ToList()));

    /// <summary>
    /// For each fingerprint, the stored articles sharing most of its bands (each shared band counts one, whatever
    /// its rarity), ties in index order as Lucene ranks them. The bands of the whole batch are looked up together, one
    /// pass over each segment's terms: a query per article opened every segment's terms again for each, and at
    /// 100,000 articles that (and the finalising of what it opened) was most of the indexer's time.
    /// </summary>
    private static IReadOnlyList<IReadOnlyList<StoryCandidate>> StoryCandidates(IndexSearcher searcher, IReadOnlyList<ulong> fingerprints, int limit)
    {
        var askedBy = new SortedDictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < fingerprints.Count; i++)
        {
            foreach (var band in StoryFingerprint.Bands(fingerprints[i]))
            {
                if (!askedBy.TryGetValue(band, out var askers))
                {
                    askedBy[band] = askers = [];
                }
                askers.Add(i);
            }
        }
        var sharedBands = fingerprints.Select(_ => new Dictionary<int, int>()).ToArray();
        foreach (var leaf in searcher.IndexReader.Leaves)
        {
            var reader = leaf.AtomicReader;
            if (reader.GetTerms(LuceneFields.StoryBand)?.GetEnumerator() is not { } terms)
            {
                continue;
            }
            DocsEnum? postings = null;
            foreach (var (band, askers) in askedBy)
            {
                if (!terms.SeekExact(new BytesRef(band)))
                {
                    continue;
                }
                postings = terms.Docs(reader.LiveDocs, postings, DocsFlags.NONE);
                for (var doc = postings.NextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = postings.NextDoc())
                {
                    foreach (var asker in askers)
                    {
                        sharedBands[asker][leaf.DocBase + doc] = sharedBands[asker].GetValueOrDefault(leaf.DocBase + doc) + 1;
                    }
                }
            }
        }
        return sharedBands
            .Select(shared => (IReadOnlyList<StoryCandidate>)shared
                .OrderByDescending(pair => pair.Value).ThenBy(pair => pair.Key)
                .Take(limit)
                .Select(pair => StoryCandidateValues.Read(searcher, pair.Key) ?? StoredCandidate(searcher.Doc(pair.Key)))
                .OfType<StoryCandidate>()
                .ToList())
            .ToList();
    }

    /// <summary>An article indexed before story candidates were kept in doc values: read from its stored fields.</summary>
    private static StoryCandidate? StoredCandidate(Document document)
    {
        var article = ToArticle(document);
        return article.StoryFingerprint is { } fingerprint ? new StoryCandidate(article.Id, article.StoryId ?? article.Id, fingerprint, article.Published) : null;
    }

    /// <summary>Runs <paramref name="read"/> on a searcher that sees every commit so far, and releases it after.</summary>
    private T WithFreshSearcher<T>(Func<IndexSearcher, T> read, Func<T> whenNoIndex)
    {
        var manager = AcquireSearcherManager();
        if (manager is null)
        {
            return whenNoIndex();
        }
        manager.MaybeRefresh();
        var searcher = manager.Acquire();
        try
        {
            return read(searcher);
        }
        finally
        {
            manager.Release(searcher);
        }
    }

    /// <summary>Nothing to prepare: the index folder is created with the store.</summary>
    public Task PrepareAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        _searcherManager?.Dispose();
        _writer?.Dispose();
        _directory.Dispose();
        _writeGate.Dispose();
    }

    private Query BuildQuery(SearchRequest request)
    {
        Query query;
        var text = request.Query.Trim();
        if (text.Length == 0 || text == "*")
        {
            query = new MatchAllDocsQuery();
        }
        else
        {
            query = PublicFieldQueryParser.ParseWithAliases(text, _queryAnalyzer, _aliases).Query;
            if (ProximityBonus.PhraseFor(text) is { } phrase)
            {
                query = new BooleanQuery
                {
                    { query, Occur.MUST },
                    { PublicFieldQueryParser.ParseOrExplain(phrase, _queryAnalyzer), Occur.SHOULD },
                };
            }
        }

        // Filters narrow the hits without changing their scores.
        var filters = new BooleanQuery();
        AddKeywordFilter(filters, LuceneFields.Lang, request.Language);
        AddKeywordFilter(filters, LuceneFields.Topic, request.Topic);
        AddKeywordFilter(filters, LuceneFields.Source, request.Source);
        if (request.From is not null || request.To is not null)
        {
            filters.Add(NumericRangeQuery.NewInt64Range(
                LuceneFields.Published,
                request.From?.ToUnixTimeMilliseconds(),
                request.To?.ToUnixTimeMilliseconds(),
                minInclusive: true,
                maxInclusive: true), Occur.MUST);
        }
        return filters.Clauses.Count == 0 ? query : new FilteredQuery(query, new QueryWrapperFilter(filters));
    }

    private static void AddKeywordFilter(BooleanQuery query, string field, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            query.Add(new TermQuery(new Term(field, MarsadAnalyzers.NormalizeKeyword(value))), Occur.MUST);
        }
    }

    private static ArticleDocument ToArticle(Document document)
    {
        var published = document.GetField(LuceneFields.Published)?.GetInt64Value();
        return new ArticleDocument
        {
            Id = document.Get(LuceneFields.Id),
            Url = document.Get(LuceneFields.Url),
            Title = document.Get(LuceneFields.Title) ?? "",
            Text = document.Get(LuceneFields.Text) ?? "",
            Source = document.Get(LuceneFields.Source) ?? "",
            Language = document.Get(LuceneFields.Lang) ?? "",
            Author = document.Get(LuceneFields.Author),
            Image = document.Get(LuceneFields.Image),
            Published = published is long ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null,
            Topics = document.GetValues(LuceneFields.Topic),
            Entities = document.GetValues(LuceneFields.Entity),
            StoryId = document.Get(LuceneFields.Story),
            StoryFingerprint = StoryFingerprint.FromHex(document.Get(LuceneFields.StoryFingerprint)),
        };
    }

    private SearchHit ToHit(Document document, float score, Query query)
    {
        var article = ToArticle(document);
        return SearchHit.For(article, score, ArticleHighlights.Of(query, _analyzer, article.Text));
    }

    private IndexWriter EnsureWriter()
    {
        lock (_managerLock)
        {
            if (_writer is not null)
            {
                return _writer;
            }
            var config = new IndexWriterConfig(MarsadAnalyzers.Version, _analyzer) { OpenMode = OpenMode.CREATE_OR_APPEND, Similarity = Bm25SearcherFactory.Similarity };
            try
            {
                _writer = new IndexWriter(_directory, config);
            }
            catch (LockObtainFailedException e)
            {
                throw new InvalidOperationException(
                    $"The index at {IndexPath} is being written by another process (only one indexer may write an embedded index).", e);
            }
            // From now on searches see this writer's changes as soon as they are refreshed (near-real-time).
            var previous = _searcherManager;
            _searcherManager = new SearcherManager(_writer, applyAllDeletes: true, new Bm25SearcherFactory());
            previous?.Dispose();
            return _writer;
        }
    }

    /// <summary>A read-only process opens the index once it exists; until then every search is empty.</summary>
    private SearcherManager? AcquireSearcherManager()
    {
        lock (_managerLock)
        {
            if (_searcherManager is null && DirectoryReader.IndexExists(_directory))
            {
                _searcherManager = new SearcherManager(_directory, new Bm25SearcherFactory());
            }
            return _searcherManager;
        }
    }

    private static SearchResponse EmptyResponse(Stopwatch stopwatch) => new()
    {
        Total = 0,
        TookMs = stopwatch.ElapsedMilliseconds,
        Hits = [],
        Facets = LuceneFields.FacetDimensions.ToDictionary(
            dimension => dimension, IReadOnlyDictionary<string, long> (_) => new Dictionary<string, long>()),
    };

    private static Document ToLuceneDocument(ArticleDocument article)
    {
        var document = new Document
        {
            new StringField(LuceneFields.Id, article.Id, Field.Store.YES),
            new StoredField(LuceneFields.Url, article.Url),
            new TextField(LuceneFields.Title, article.Title, Field.Store.YES),
            new TextField(LuceneFields.Text, article.Text, Field.Store.YES),
            new TextField(LuceneFields.TitleExact, article.Title, Field.Store.NO),
            new TextField(LuceneFields.TextExact, article.Text, Field.Store.NO),
            new TextField(LuceneFields.Source, article.Source, Field.Store.YES),
            new TextField(LuceneFields.Lang, article.Language, Field.Store.YES),
        };
        AddFacetValue(document, LuceneFields.Source, FacetLabel(article.Source));
        AddFacetValue(document, LuceneFields.Lang, FacetLabel(article.Language));
        if (article.Author is { Length: > 0 } author)
        {
            document.Add(new StoredField(LuceneFields.Author, author));
        }
        if (article.Image is { Length: > 0 } image)
        {
            document.Add(new StoredField(LuceneFields.Image, image));
        }
        if (article.Published is { } published)
        {
            document.Add(new Int64Field(LuceneFields.Published, published.ToUnixTimeMilliseconds(), Field.Store.YES));
            AddFacetValue(document, SearchFacets.Date, SearchFacets.Day(published));
        }
        foreach (var topic in article.Topics.Where(t => !string.IsNullOrWhiteSpace(t)).Distinct())
        {
            document.Add(new TextField(LuceneFields.Topic, topic, Field.Store.YES));
            AddFacetValue(document, LuceneFields.Topic, topic);
        }
        foreach (var entity in article.Entities.Where(e => !string.IsNullOrWhiteSpace(e)).Distinct())
        {
            document.Add(new TextField(LuceneFields.Entity, entity, Field.Store.YES));
            AddFacetValue(document, LuceneFields.Entity, entity);
        }
        if (article.StoryId is { Length: > 0 } storyId)
        {
            document.Add(new TextField(LuceneFields.Story, storyId, Field.Store.YES));
        }
        if (article.StoryFingerprint is { } fingerprint)
        {
            document.Add(new StoredField(LuceneFields.StoryFingerprint, StoryFingerprint.ToHex(fingerprint)));
            document.Add(StoryCandidateValues.Of(article.Id, article.StoryId ?? article.Id, fingerprint, article.Published));
            foreach (var band in StoryFingerprint.Bands(fingerprint))
            {
                document.Add(new StringField(LuceneFields.StoryBand, band, Field.Store.NO));
            }
        }
        return document;
    }

    private static void AddFacetValue(Document document, string dimension, string value) =>
        document.Add(new SortedSetDocValuesField(FacetCountingCollector.DocValuesField(dimension), new BytesRef(value)));

    // Facet labels are never empty; an article with no known language or source is still counted.
    private static string FacetLabel(string value) => string.IsNullOrWhiteSpace(value) ? "unknown" : value;
}

/// <summary>
/// Searchers that score as Elasticsearch does by default (BM25, k1 1.2, b 0.75), not with Lucene 4.8's TF-IDF, so
/// both stores rank alike. Under TF-IDF a short text that repeats a word sharing only the stem (حرة, a free kick)
/// outranked one with the exact word (حرية, freedom). The index is written with the same similarity (its norms).
/// </summary>
internal sealed class Bm25SearcherFactory : SearcherFactory
{
    public static BM25Similarity Similarity { get; } = new(1.2f, 0.75f);

    public override IndexSearcher NewSearcher(IndexReader reader) => new(reader) { Similarity = Similarity };
}
