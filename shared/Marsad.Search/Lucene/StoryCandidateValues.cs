using System.Buffers.Binary;
using System.Text;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace Marsad.Search.Lucene;

/// <summary>
/// What story linking needs of a stored article — fingerprint, publication time, id and story id — kept together in
/// one binary doc value. Looking up an article's copies then reads a few bytes per candidate instead of loading its
/// stored document (which decompresses a whole block of title and text): that load was most of the indexer's time.
/// </summary>
internal static class StoryCandidateValues
{
    public const string Field = "story_candidate";

    private const long NoDate = long.MinValue;

    public static BinaryDocValuesField Of(string id, string storyId, ulong fingerprint, DateTimeOffset? published)
    {
        var idBytes = Encoding.UTF8.GetBytes(id);
        var storyBytes = Encoding.UTF8.GetBytes(storyId);
        var bytes = new byte[8 + 8 + 4 + idBytes.Length + storyBytes.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, fingerprint);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8), published?.ToUnixTimeMilliseconds() ?? NoDate);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(16), idBytes.Length);
        idBytes.CopyTo(bytes, 20);
        storyBytes.CopyTo(bytes, 20 + idBytes.Length);
        return new BinaryDocValuesField(Field, new BytesRef(bytes));
    }

    /// <summary>The hit's candidate from its doc value; null when the document has none (indexed before it existed).</summary>
    public static StoryCandidate? Read(IndexSearcher searcher, int doc)
    {
        var leaves = searcher.IndexReader.Leaves;
        var leaf = leaves[ReaderUtil.SubIndex(doc, leaves)];
        var reader = leaf.AtomicReader;
        var local = doc - leaf.DocBase;
        if (reader.GetBinaryDocValues(Field) is not { } values || reader.GetDocsWithField(Field) is not { } present || !present.Get(local))
        {
            return null;
        }
        var bytes = new BytesRef();
        values.Get(local, bytes);
        var span = bytes.Bytes.AsSpan(bytes.Offset, bytes.Length);
        var fingerprint = BinaryPrimitives.ReadUInt64LittleEndian(span);
        var published = BinaryPrimitives.ReadInt64LittleEndian(span[8..]);
        var idLength = BinaryPrimitives.ReadInt32LittleEndian(span[16..]);
        return new StoryCandidate(
            Encoding.UTF8.GetString(span.Slice(20, idLength)),
            Encoding.UTF8.GetString(span[(20 + idLength)..]),
            fingerprint,
            published == NoDate ? null : DateTimeOffset.FromUnixTimeMilliseconds(published));
    }
}
