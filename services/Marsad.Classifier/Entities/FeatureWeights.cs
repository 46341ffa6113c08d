using System.IO.Hashing;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Marsad.Classifier.Entities;

/// <summary>
/// The tagger's weights, one row of <see cref="EntityTagger.Labels"/> weights a feature, found by a 64-bit hash of the
/// feature's text in one open-addressed table whose slots hold the row itself. A dictionary of feature strings to
/// weight arrays cost four cache misses a lookup (bucket, entry, key string, row) at ~65 lookups a token, and twice
/// the memory; here a lookup hashes the feature and reads one slot. Two of the ~283,000 features sharing a 64-bit
/// hash, or a feature the model lacks taking one's weights, is a chance of about one in 10^13 a lookup.
/// </summary>
internal sealed class FeatureWeights
{
    private const int Labels = 7;

    /// <summary>A feature's hash (0: the slot is empty) and its row.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Slot
    {
        public ulong Key;
        public Row Weights;
    }

    [InlineArray(Labels)]
    private struct Row
    {
        private float _weight;
    }

    private readonly Slot[] _slots;
    private readonly int _mask;

    static FeatureWeights()
    {
        if (EntityTagger.Labels.Length != Labels)
        {
            throw new InvalidOperationException($"a row holds {Labels} weights; the tagger has {EntityTagger.Labels.Length} labels");
        }
    }

    public FeatureWeights(IReadOnlyCollection<KeyValuePair<string, float[]>> rows)
    {
        // At most about half full: probes stay short.
        _slots = new Slot[(int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, rows.Count * 2))];
        _mask = _slots.Length - 1;
        foreach (var (feature, weights) in rows)
        {
            ref var slot = ref _slots[Find(Hash(feature))];
            slot.Key = Hash(feature);
            weights.AsSpan(0, Labels).CopyTo(slot.Weights);
        }
        Count = rows.Count;
    }

    public int Count { get; }

    /// <summary>The slot of a feature's row, or -1 when the model has none.</summary>
    public int SlotOf(ReadOnlySpan<char> feature)
    {
        var slot = Find(Hash(feature));
        return _slots[slot].Key == 0 ? -1 : slot;
    }

    /// <summary>Adds the weights of the feature (if the model has it) to <paramref name="scores"/>.</summary>
    public void Add(ReadOnlySpan<char> feature, double[] scores) => AddSlot(SlotOf(feature), scores);

    /// <summary>Adds a row found before by <see cref="SlotOf"/> (-1: none).</summary>
    public void AddSlot(int slot, double[] scores)
    {
        if (slot < 0)
        {
            return;
        }
        ReadOnlySpan<float> row = _slots[slot].Weights;
        for (var label = 0; label < Labels; label++)
        {
            scores[label] += row[label];
        }
    }

    /// <summary>The slot holding <paramref name="key"/>, or the empty slot where it would go.</summary>
    private int Find(ulong key)
    {
        var slot = (int)key & _mask;
        while (_slots[slot].Key != 0 && _slots[slot].Key != key)
        {
            slot = (slot + 1) & _mask;
        }
        return slot;
    }

    private static ulong Hash(ReadOnlySpan<char> feature)
    {
        var hash = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(feature));
        return hash == 0 ? 1 : hash;
    }

    private static ulong Hash(string feature) => Hash(feature.AsSpan());
}
