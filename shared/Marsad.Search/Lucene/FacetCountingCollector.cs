using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace Marsad.Search.Lucene;

/// <summary>
/// Counts the values of keyword fields (kept as sorted-set doc values) over every matching document, for the
/// search response's facets. It runs beside the top-hits collector, so facets cost one pass over the matches.
/// </summary>
internal sealed class FacetCountingCollector(IReadOnlyList<string> dimensions) : ICollector
{
    private readonly Dictionary<string, Dictionary<string, long>> _totals =
        dimensions.ToDictionary(dimension => dimension, _ => new Dictionary<string, long>());
    private readonly SortedSetDocValues?[] _segmentValues = new SortedSetDocValues?[dimensions.Count];
    private readonly int[]?[] _segmentCounts = new int[]?[dimensions.Count];

    public static string DocValuesField(string dimension) => "facet." + dimension;

    public bool AcceptsDocsOutOfOrder => true;

    public void SetScorer(Scorer scorer)
    {
    }

    public void SetNextReader(AtomicReaderContext context)
    {
        FlushSegment();
        for (var i = 0; i < dimensions.Count; i++)
        {
            var values = context.AtomicReader.GetSortedSetDocValues(DocValuesField(dimensions[i]));
            _segmentValues[i] = values;
            _segmentCounts[i] = values is null ? null : new int[checked((int)values.ValueCount)];
        }
    }

    public void Collect(int doc)
    {
        for (var i = 0; i < _segmentValues.Length; i++)
        {
            if (_segmentValues[i] is not { } values)
            {
                continue;
            }
            values.SetDocument(doc);
            long ord;
            while ((ord = values.NextOrd()) != SortedSetDocValues.NO_MORE_ORDS)
            {
                _segmentCounts[i]![ord]++;
            }
        }
    }

    /// <summary>The most frequent values of each keyword dimension, highest count first; the most recent days of the date one.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> Top()
    {
        FlushSegment();
        return _totals.ToDictionary(
            pair => pair.Key,
            IReadOnlyDictionary<string, long> (pair) => (pair.Key == SearchFacets.Date
                    ? pair.Value.OrderByDescending(count => count.Key, StringComparer.Ordinal).Take(SearchFacets.Days).OrderBy(count => count.Key, StringComparer.Ordinal)
                    : pair.Value.OrderByDescending(count => count.Value).ThenBy(count => count.Key, StringComparer.Ordinal).Take(SearchFacets.Values))
                .ToDictionary(count => count.Key, count => count.Value));
    }

    // Ordinals are per segment: resolve them to labels when the collector leaves a segment.
    private void FlushSegment()
    {
        var term = new BytesRef();
        for (var i = 0; i < _segmentValues.Length; i++)
        {
            if (_segmentValues[i] is not { } values || _segmentCounts[i] is not { } counts)
            {
                continue;
            }
            var totals = _totals[dimensions[i]];
            for (var ord = 0; ord < counts.Length; ord++)
            {
                if (counts[ord] == 0)
                {
                    continue;
                }
                values.LookupOrd(ord, term);
                var label = term.Utf8ToString();
                totals[label] = totals.GetValueOrDefault(label) + counts[ord];
            }
            _segmentValues[i] = null;
            _segmentCounts[i] = null;
        }
    }
}
