using System.Collections.Concurrent;
using Marsad.Search;

namespace Marsad.Classifier.Entities;

/// <summary>
/// The key (<see cref="EntityAliases.Key"/>: normalised, lower-cased) of a word of running text and the forms the
/// gazetteer looks it up in, remembered for the words seen most: the extractor keys every word of an article twice
/// (for the gazetteer and for the tagger), and making a key costs four strings. News repeats its words, so most are
/// looked up as they stand in the text, without a string made for them.
/// </summary>
internal static class WordKeys
{
    /// <summary>
    /// How many words are remembered (about 15 MB): the first ones met, which in news are mostly its commonest; a
    /// word met once it is full is keyed anew each time, as before there was a cache.
    /// </summary>
    private const int Capacity = 100_000;

    /// <summary>A word's key, and the key as written and without each joined prefix (<see cref="EntityExtractor.WithoutPrefixes"/>).</summary>
    public sealed record Forms(string Key, string[] Unprefixed);

    private static readonly ConcurrentDictionary<string, Forms> Known = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, Forms>.AlternateLookup<ReadOnlySpan<char>> ByText = Known.GetAlternateLookup<ReadOnlySpan<char>>();
    // Counted apart: the dictionary's own Count takes every one of its locks.
    private static int _count;

    /// <summary>The key of one word (no spaces in it).</summary>
    public static string Of(ReadOnlySpan<char> word) => FormsOf(word).Key;

    /// <summary>The key and unprefixed forms of one word (no spaces in it).</summary>
    public static Forms FormsOf(ReadOnlySpan<char> word)
    {
        if (ByText.TryGetValue(word, out var forms))
        {
            return forms;
        }
        var text = word.ToString();
        var key = EntityAliases.Key(text);
        forms = new Forms(key, [.. EntityExtractor.WithoutPrefixes(key)]);
        if (Volatile.Read(ref _count) < Capacity && Known.TryAdd(text, forms))
        {
            Interlocked.Increment(ref _count);
        }
        return forms;
    }
}
