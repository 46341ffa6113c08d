using System.Numerics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Marsad.Arabic;

/// <summary>
/// A 64-bit SimHash of an article's text over normalised word shingles (two words each, after the same Arabic
/// folding as search), for finding the copies of one story: a syndicated or lightly edited copy differs from the
/// original in a few bits, two different stories in about half of them. Same-story grouping (issue 6) builds on it.
/// </summary>
public static partial class StoryFingerprint
{
    /// <summary>
    /// Copies of one story differ in at most this many bits: between how far edited copies and different articles lie
    /// apart on the ANT corpus (docs/search-arabic.md, Same story).
    /// </summary>
    public const int SameStoryDistance = 14;

    private const int ShingleWords = 2;

    /// <summary>How long a story stays the same story: a copy published further apart than this is news again.</summary>
    public static readonly TimeSpan StoryWindow = TimeSpan.FromDays(3);

    public static ulong Of(string text)
    {
        var normalized = ArabicNormalizer.Normalize(text ?? "").ToLowerInvariant();
        // The words' places in the normalised text: shingles are hashed where they stand, no string made for them.
        var words = new List<(int Index, int Length)>();
        foreach (var word in Word().EnumerateMatches(normalized))
        {
            words.Add((word.Index, word.Length));
        }
        Span<int> weights = stackalloc int[64];
        var shingles = 0;
        for (var i = 0; i + ShingleWords <= Math.Max(words.Count, ShingleWords); i++)
        {
            var hash = Fnv1a(normalized, CollectionsMarshal.AsSpan(words)[i..Math.Min(i + ShingleWords, words.Count)]);
            for (var bit = 0; bit < 64; bit++)
            {
                weights[bit] += ((hash >> bit) & 1) == 1 ? 1 : -1;
            }
            shingles++;
        }
        ulong fingerprint = 0;
        for (var bit = 0; bit < 64; bit++)
        {
            if (weights[bit] > 0)
            {
                fingerprint |= 1UL << bit;
            }
        }
        return shingles == 0 ? 0 : fingerprint;
    }

    /// <summary>How many bands <see cref="Bands"/> cuts a fingerprint into.</summary>
    public const int BandCount = 8;

    /// <summary>
    /// The fingerprint cut into eight bands of eight bits, each a term a store can look up ("3:af" = band 3 is 0xaf):
    /// a copy of a story shares at least one band with the original unless its differing bits fall in every band.
    /// For copies 8 bits apart (the median edited copy) that misses about one in twenty-five, for 14 bits apart about
    /// one in three; two different stories share a band about once in thirty pairs, and all eight never. Candidates
    /// sharing the most bands are then compared bit by bit. (Sixteen bands of four bits would miss fewer copies but
    /// make every article a candidate of every lookup.)
    /// </summary>
    public static IReadOnlyList<string> Bands(ulong fingerprint) =>
        Enumerable.Range(0, BandCount).Select(band => $"{band}:{(fingerprint >> (band * 8)) & 0xFF:x2}").ToList();

    /// <summary>The fingerprint as stores keep it: sixteen hexadecimal digits.</summary>
    public static string ToHex(ulong fingerprint) => fingerprint.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);

    public static ulong? FromHex(string? hex) =>
        ulong.TryParse(hex, System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var fingerprint) ? fingerprint : null;

    /// <summary>How many bits two fingerprints differ in.</summary>
    public static int Distance(ulong first, ulong second) => BitOperations.PopCount(first ^ second);

    public static bool SameStory(ulong first, ulong second) => Distance(first, second) <= SameStoryDistance;

    // FNV-1a, 64-bit, over the shingle's words with a separator: stable across runs and machines (string.GetHashCode is not).
    private static ulong Fnv1a(string text, ReadOnlySpan<(int Index, int Length)> words)
    {
        var hash = 14695981039346656037UL;
        for (var w = 0; w < words.Length; w++)
        {
            if (w > 0)
            {
                hash = (hash ^ '\u0001') * 1099511628211UL;
            }
            foreach (var character in text.AsSpan(words[w].Index, words[w].Length))
            {
                hash = (hash ^ character) * 1099511628211UL;
            }
        }
        return hash;
    }

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex Word();
}
