using System.Globalization;
using Marsad.Search;

namespace Marsad.Classifier.Entities;

/// <summary>What the tagger looks at: a token's features and those joining it with the tags given before it.</summary>
public sealed partial class EntityTagger
{
    /// <summary>Each token's clusters, or those of the word without its joined prefix (وبوتين is found as بوتين).</summary>
    internal static (int Fine, int Coarse)?[] ClustersOf(string[] keys, WordClusters? clusters) =>
        clusters is null ? new (int, int)?[keys.Length] : [.. keys.Select(key => clusters.Of(key) ?? clusters.Of(Unprefixed(key)))];

    internal static bool Allowed(string previous, string label) =>
        !label.StartsWith("I-", StringComparison.Ordinal) || (previous.Length > 2 && previous[2..] == label[2..]);

    internal delegate void FeatureSink(ReadOnlySpan<char> feature);

    /// <summary>
    /// The features of token <paramref name="i"/> that do not depend on the tags before it, each handed to
    /// <paramref name="sink"/> as it is built in <paramref name="f"/>.
    /// </summary>
    internal static void TokenFeatures(
        string[] keys, (int Fine, int Coarse)?[] clusters, IReadOnlyList<string> gazetteer, IReadOnlyList<DocumentMemory.Recollection> recalled, int i, FeatureBuilder f, FeatureSink sink)
    {
        string At(int k) => k < 0 ? "<s>" : k >= keys.Length ? "</s>" : keys[k];
        string GazetteerAt(int k) => k < 0 || k >= keys.Length ? "-" : gazetteer[k];
        var word = keys[i];
        var stem = Unprefixed(word);
        var previous = At(i - 1);
        var next = At(i + 1);
        sink(f.Start("bias").Span);
        sink(f.Start("w=").Add(word).Span);
        sink(f.Start("stem=").Add(stem).Span);
        sink(f.Start("w-1=").Add(previous).Span);
        sink(f.Start("w+1=").Add(next).Span);
        sink(f.Start("w-2=").Add(At(i - 2)).Span);
        sink(f.Start("w+2=").Add(At(i + 2)).Span);
        sink(f.Start("w-1,w=").Add(previous).Add(" ").Add(word).Span);
        sink(f.Start("w,w+1=").Add(word).Add(" ").Add(next).Span);
        sink(f.Start("stem-1=").Add(Unprefixed(previous)).Span);
        sink(f.Start("stem+1=").Add(Unprefixed(next)).Span);
        sink(f.Start("stem-1,stem=").Add(Unprefixed(previous)).Add(" ").Add(stem).Span);
        sink(f.Start("stem,stem+1=").Add(stem).Add(" ").Add(Unprefixed(next)).Span);
        sink(f.Start("w-2,w-1=").Add(At(i - 2)).Add(" ").Add(previous).Span);
        for (var length = 1; length <= 4; length++)
        {
            sink(f.Start("p").Add(length).Add("=").Add(word.AsSpan(0, Math.Min(length, word.Length))).Span);
            sink(f.Start("s").Add(length).Add("=").Add(word.AsSpan(Math.Max(0, word.Length - length))).Span);
            sink(f.Start("ss").Add(length).Add("=").Add(stem[Math.Max(0, stem.Length - length)..]).Span);
        }
        sink(f.Start("shape=").Add(Shape(word)).Span);
        sink(f.Start("length=").Add(Math.Min(word.Length, 8)).Span);
        sink(f.Start("g=").Add(GazetteerAt(i)).Span);
        sink(f.Start("g-1=").Add(GazetteerAt(i - 1)).Span);
        sink(f.Start("g+1=").Add(GazetteerAt(i + 1)).Span);
        sink(f.Start("g,w=").Add(GazetteerAt(i)).Add(" ").Add(word).Span);
        if (clusters[i] is { } cluster)
        {
            sink(f.Start("c=").Add(cluster.Fine).Span);
            sink(f.Start("cc=").Add(cluster.Coarse).Span);
        }
        else
        {
            sink(f.Start("c=none").Span);
        }
        sink(f.Start("c-1=").Add(FineAt(i - 1)).Span);
        sink(f.Start("c+1=").Add(FineAt(i + 1)).Span);
        sink(f.Start("cc-1,cc=").Add(CoarseAt(i - 1)).Add(" ").Add(CoarseAt(i)).Span);
        sink(f.Start("cc,cc+1=").Add(CoarseAt(i)).Add(" ").Add(CoarseAt(i + 1)).Span);
        sink(f.Start("h=").Add(recalled[i].Mostly).Span);
        sink(f.Start("h+=").Add(recalled[i].AsName).Span);

        int FineAt(int k) => k < 0 || k >= keys.Length ? -1 : clusters[k]?.Fine ?? -2;
        int CoarseAt(int k) => k < 0 || k >= keys.Length ? -1 : clusters[k]?.Coarse ?? -2;
    }

    /// <summary>The features of token <paramref name="i"/> that join it with the tags a tagging gave the two tokens before it.</summary>
    internal static void HistoryFeatures(string[] keys, (int Fine, int Coarse)?[] clusters, IReadOnlyList<string> gazetteer, string previous, string beforePrevious, int i, FeatureBuilder f, FeatureSink sink)
    {
        TagFeatures(previous, beforePrevious, f, sink);
        TagWordFeatures(keys, clusters, gazetteer, previous, i, f, sink);
    }

    /// <summary>The history features of the tags alone (the same for every token: the tagger finds them once).</summary>
    internal static void TagFeatures(string previous, string beforePrevious, FeatureBuilder f, FeatureSink sink)
    {
        sink(f.Start("t-1=").Add(previous).Span);
        sink(f.Start("t-2,t-1=").Add(beforePrevious).Add(" ").Add(previous).Span);
    }

    /// <summary>The history features joining the tag before with token <paramref name="i"/>.</summary>
    internal static void TagWordFeatures(string[] keys, (int Fine, int Coarse)?[] clusters, IReadOnlyList<string> gazetteer, string previous, int i, FeatureBuilder f, FeatureSink sink)
    {
        sink(f.Start("t-1,w=").Add(previous).Add(" ").Add(keys[i]).Span);
        sink(f.Start("t-1,g=").Add(previous).Add(" ").Add(gazetteer[i]).Span);
        if (clusters[i] is { } cluster)
        {
            sink(f.Start("t-1,cc=").Add(previous).Add(" ").Add(cluster.Coarse).Span);
        }
    }

    /// <summary>One feature at a time, written into a buffer that is reused for the next.</summary>
    internal sealed class FeatureBuilder
    {
        private char[] _buffer = new char[128];
        private int _length;

        public ReadOnlySpan<char> Span => _buffer.AsSpan(0, _length);

        public FeatureBuilder Start(string name)
        {
            _length = 0;
            return Add(name);
        }

        public FeatureBuilder Add(string text) => Add(text.AsSpan());

        public FeatureBuilder Add(ReadOnlySpan<char> text)
        {
            if (_length + text.Length > _buffer.Length)
            {
                Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + text.Length));
            }
            text.CopyTo(_buffer.AsSpan(_length));
            _length += text.Length;
            return this;
        }

        public FeatureBuilder Add(int number)
        {
            Span<char> digits = stackalloc char[11];
            number.TryFormat(digits, out var written, provider: CultureInfo.InvariantCulture);
            return Add(digits[..written]);
        }

        public override string ToString() => Span.ToString();
    }

    /// <summary>The word without a joined conjunction, preposition or article (والمانيا → المانيا → المانيا's stem المانيا).</summary>
    internal static ReadOnlySpan<char> Unprefixed(string word)
    {
        foreach (var prefix in Prefixes)
        {
            if (word.Length - prefix.Length >= 3 && word.StartsWith(prefix, StringComparison.Ordinal))
            {
                return word.AsSpan(prefix.Length);
            }
        }
        return word;
    }

    private static readonly string[] Prefixes = ["وال", "بال", "كال", "فال", "لل", "ال", "و", "ب", "ل"];

    private static string Shape(string word) =>
        word.All(char.IsDigit) ? "digits"
        : word.All(c => !char.IsLetterOrDigit(c)) ? "punctuation"
        : word.Any(c => c is >= 'a' and <= 'z') ? "latin"
        : word.Length <= 2 ? "short"
        : "word";
}
