namespace Marsad.Classifier.Entities;

/// <summary>
/// What the tagger made of each word in the last sentences of a document, for the features of the next: a name
/// tagged once in a story is mostly the same name when it comes again, where its context may say less (Ratinov &amp;
/// Roth 2009, "extended prediction history"). Words are remembered as they are and without a joined prefix, and
/// recalled as they are or else without it: وبوتين recalls بوتين, and بوتين recalls وبوتين.
/// </summary>
public sealed class DocumentMemory(int sentences = DocumentMemory.DefaultSentences)
{
    /// <summary>
    /// How many sentences (or lines) back it remembers: a news story's length or so. NewsFANE marks no story
    /// boundaries, so a longer memory carries one story's names into the next (the lengths tried and their scores:
    /// docs/models/entities.md).
    /// </summary>
    public const int DefaultSentences = 20;

    /// <summary>What a word was tagged before: the kind it was tagged most often (or O), and the name kind it was tagged most often, if any.</summary>
    public readonly record struct Recollection(string Mostly, string AsName)
    {
        public static readonly Recollection New = new("new", "new");
    }

    private static readonly string[] Kinds = [EntityTagger.Outside, EntityExtractor.Person, EntityExtractor.Place, EntityExtractor.Organisation];

    private readonly Queue<(string Word, int Kind)[]> _sentences = new();
    // Each word's counts of the kinds it was tagged, as it was written and without its joined prefix.
    private readonly Dictionary<string, int[]> _counts = new(StringComparer.Ordinal);

    /// <summary>What each of a sentence's tokens (their keys, <see cref="Marsad.Search.EntityAliases.Key"/>) was tagged before.</summary>
    public Recollection[] Recall(IReadOnlyList<string> keys)
    {
        var recalled = new Recollection[keys.Count];
        var lookup = _counts.GetAlternateLookup<ReadOnlySpan<char>>();
        for (var i = 0; i < keys.Count; i++)
        {
            recalled[i] = lookup.TryGetValue(keys[i], out var counts) || lookup.TryGetValue(EntityTagger.Unprefixed(keys[i]), out counts) ? Of(counts) : Recollection.New;
        }
        return recalled;
    }

    private static Recollection Of(int[] counts)
    {
        var name = 0;
        for (var kind = 1; kind < counts.Length; kind++)
        {
            if (counts[kind] > 0 && (name == 0 || counts[kind] > counts[name]))
            {
                name = kind;
            }
        }
        var mostly = name > 0 && counts[name] >= counts[0] ? name : 0;
        return new Recollection(Kinds[mostly], name > 0 ? Kinds[name] : "none");
    }

    /// <summary>Remembers how a sentence was tagged (IOB2 tags), forgetting the oldest sentence beyond the memory's length.</summary>
    public void Remember(IReadOnlyList<string> keys, IReadOnlyList<string> tags)
    {
        var words = new List<(string Word, int Kind)>(keys.Count);
        for (var i = 0; i < keys.Count; i++)
        {
            var kind = tags[i] == EntityTagger.Outside ? 0 : Array.IndexOf(Kinds, tags[i][2..]);
            words.Add((keys[i], kind));
            var unprefixed = EntityTagger.Unprefixed(keys[i]);
            if (unprefixed.Length < keys[i].Length)
            {
                words.Add((unprefixed.ToString(), kind));
            }
        }
        foreach (var word in words)
        {
            Count(word, +1);
        }
        _sentences.Enqueue([.. words]);
        if (_sentences.Count > sentences)
        {
            foreach (var word in _sentences.Dequeue())
            {
                Count(word, -1);
            }
        }
    }

    private void Count((string Word, int Kind) word, int change)
    {
        if (!_counts.TryGetValue(word.Word, out var counts))
        {
            _counts[word.Word] = counts = new int[Kinds.Length];
        }
        counts[word.Kind] += change;
        if (change < 0 && counts.All(count => count == 0))
        {
            _counts.Remove(word.Word);
        }
    }
}
