using MLNetExt.Core;

namespace MLNetExt.Trainers.WordEmbeddings;

/// <summary>Draws ranks 0..n-1 with P(r) ∝ 1 / (r + 1), Zipf's law with exponent 1, by binary search of the cumulative distribution.</summary>
public sealed class ZipfSampler
{
    private readonly double[] _cumulative;

    /// <summary>A sampler over <paramref name="n"/> ranks (at least 1).</summary>
    public ZipfSampler(int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1, nameof(n));
        _cumulative = new double[n];
        double sum = 0;
        for (int r = 0; r < n; r++) _cumulative[r] = sum += 1.0 / (r + 1);
        for (int r = 0; r < n; r++) _cumulative[r] /= sum;
    }

    /// <summary>One rank drawn with <paramref name="random"/>.</summary>
    public int Sample(RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        int at = Array.BinarySearch(_cumulative, random.NextDouble());
        return Math.Min(at < 0 ? ~at : at, _cumulative.Length - 1);
    }
}
