using Marsad.Arabic;
using Marsad.Search;

namespace Marsad.Indexer;

/// <summary>
/// Links each article to the first indexed article of its story (<see cref="ArticleDocument.StoryId"/>): a
/// syndicated or lightly edited copy, found by its story fingerprint among the articles already stored and the
/// earlier ones of the same batch, gets that article's story id; an article with no such copy starts a story of its
/// own. A re-delivered article keeps the story it was first given (the store does not write it twice).
/// The articles this process indexed last are also remembered, because a store's search sees a write only after
/// its refresh (Elasticsearch: up to a second), and copies of a story often arrive within a second of each other.
/// </summary>
public sealed class StoryLinker(ISearchStore store)
{
    /// <summary>How many of the articles this process indexed last are remembered.</summary>
    public const int Remembered = 10_000;

    /// <summary>How many stored articles sharing bands with the new one are compared bit by bit.</summary>
    public const int Candidates = 20;

    /// <summary>Fewer words than this make a fingerprint that says little; such an article is a story of its own.</summary>
    public const int MinimumWords = 8;

    private readonly Queue<StoryCandidate> _recent = new();
    private readonly Lock _gate = new();

    public async Task<IReadOnlyList<ArticleDocument>> LinkAsync(IReadOnlyList<ArticleDocument> articles, CancellationToken cancellationToken)
    {
        var fingerprints = articles.Select(Fingerprint).ToList();
        var lookups = fingerprints.OfType<ulong>().ToList();
        var stored = new Queue<IReadOnlyList<StoryCandidate>>(await store.FindStoryCandidatesAsync(lookups, Candidates, cancellationToken));
        var recent = Recent();
        var linked = new List<ArticleDocument>(articles.Count);
        for (var i = 0; i < articles.Count; i++)
        {
            var article = articles[i];
            if (fingerprints[i] is not { } fingerprint)
            {
                linked.Add(article with { StoryId = article.Id });
                continue;
            }
            var closest = new Closest(article, fingerprint);
            foreach (var earlier in linked)
            {
                if (Candidate(earlier) is { } candidate)
                {
                    closest.Consider(candidate);
                }
            }
            closest.ConsiderAll(recent);
            closest.ConsiderAll(stored.Dequeue());
            linked.Add(article with { StoryFingerprint = fingerprint, StoryId = closest.Best?.StoryId ?? article.Id });
        }
        return linked;
    }

    /// <summary>Remembers articles just written (those the store did not refuse), for the next batches.</summary>
    public void Remember(IEnumerable<ArticleDocument> written)
    {
        lock (_gate)
        {
            foreach (var candidate in written.Select(Candidate).OfType<StoryCandidate>())
            {
                _recent.Enqueue(candidate);
                if (_recent.Count > Remembered)
                {
                    _recent.Dequeue();
                }
            }
        }
    }

    private List<StoryCandidate> Recent()
    {
        lock (_gate)
        {
            return [.. _recent];
        }
    }

    private static StoryCandidate? Candidate(ArticleDocument article) =>
        article.StoryFingerprint is { } fingerprint ? new StoryCandidate(article.Id, article.StoryId ?? article.Id, fingerprint, article.Published) : null;

    /// <summary>The story fingerprint of the article's title and text, or null when they are too short to say much.</summary>
    private static ulong? Fingerprint(ArticleDocument article)
    {
        var content = article.Title + "\n" + article.Text;
        return WordCount(content) < MinimumWords ? null : StoryFingerprint.Of(content);
    }

    /// <summary>How many words (runs of characters other than spaces, tabs and line ends) a text has.</summary>
    private static int WordCount(string text)
    {
        var (words, inWord) = (0, false);
        foreach (var character in text)
        {
            var separator = character is ' ' or '\n' or '\t';
            words += !separator && !inWord ? 1 : 0;
            inWord = !separator;
        }
        return words;
    }

    /// <summary>
    /// The closest copy of an article's story among the candidates it is shown (the earliest published of equally
    /// close ones, the first shown of equally early ones), or null. A loop, not a query: every article is compared
    /// with the thousands this process indexed last.
    /// </summary>
    private struct Closest(ArticleDocument article, ulong fingerprint)
    {
        public StoryCandidate? Best { get; private set; }

        private int _distance;

        public void ConsiderAll(IEnumerable<StoryCandidate> candidates)
        {
            foreach (var candidate in candidates)
            {
                Consider(candidate);
            }
        }

        public void Consider(StoryCandidate candidate)
        {
            var distance = StoryFingerprint.Distance(candidate.Fingerprint, fingerprint);
            if (distance > StoryFingerprint.SameStoryDistance || candidate.Id == article.Id
                || (candidate.Published is { } published && article.Published is { } own && (published - own).Duration() > StoryFingerprint.StoryWindow))
            {
                return;
            }
            if (Best is null || distance < _distance
                || (distance == _distance && (candidate.Published ?? DateTimeOffset.MaxValue) < (Best.Published ?? DateTimeOffset.MaxValue)))
            {
                (Best, _distance) = (candidate, distance);
            }
        }
    }
}
