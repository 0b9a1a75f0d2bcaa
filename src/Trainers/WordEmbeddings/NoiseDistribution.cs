namespace MLNetExt.Trainers.WordEmbeddings;

/// <summary>
/// The negative-sampling noise distribution P(w) = count(w)^e / Σ count^e (e = 0.75 by default) as an alias table
/// (Walker/Vose): one random 32-bit number picks a column and, from the remainder of the same product, decides
/// between the column's word and its alias. O(1) per draw with two small arrays that stay in cache, where
/// word2vec.c's 10⁸-entry table misses the cache on every draw; the distribution is the same.
/// </summary>
internal sealed class NoiseDistribution
{
    private readonly uint[] _threshold;
    private readonly int[] _alias;

    /// <summary>Builds the table for the given counts and exponent.</summary>
    public NoiseDistribution(IReadOnlyList<long> counts, double exponent)
    {
        int v = counts.Count;
        _threshold = new uint[v];
        _alias = new int[v];
        var scaled = new double[v];
        double total = 0;
        for (int i = 0; i < v; i++) total += scaled[i] = Math.Pow(counts[i], exponent);
        var small = new Stack<int>();
        var large = new Stack<int>();
        for (int i = 0; i < v; i++)
        {
            scaled[i] *= v / total;
            (scaled[i] < 1 ? small : large).Push(i);
        }
        while (small.Count > 0 && large.Count > 0)
        {
            int s = small.Pop(), l = large.Peek();
            _threshold[s] = ToThreshold(scaled[s]);
            _alias[s] = l;
            scaled[l] -= 1 - scaled[s];
            if (scaled[l] < 1)
            {
                large.Pop();
                small.Push(l);
            }
        }
        // What remains holds probability 1 up to rounding.
        foreach (int i in large) { _threshold[i] = uint.MaxValue; _alias[i] = i; }
        foreach (int i in small) { _threshold[i] = uint.MaxValue; _alias[i] = i; }
    }

    private static uint ToThreshold(double p) => (uint)Math.Clamp(p * 4294967296.0, 0, uint.MaxValue);

    /// <summary>A word drawn from the distribution with the 32 random bits <paramref name="random"/>.</summary>
    public int Sample(uint random)
    {
        ulong product = (ulong)random * (uint)_threshold.Length;
        int column = (int)(product >> 32);
        return (uint)product < _threshold[column] ? column : _alias[column];
    }

    /// <summary>The probability this table gives word <paramref name="word"/> (for tests).</summary>
    public double Probability(int word)
    {
        double p = 0;
        int v = _threshold.Length;
        for (int c = 0; c < v; c++)
        {
            double keep = _threshold[c] == uint.MaxValue ? 1 : _threshold[c] / 4294967296.0;
            if (c == word) p += keep / v;
            if (_alias[c] == word) p += (1 - keep) / v;
        }
        return p;
    }
}
