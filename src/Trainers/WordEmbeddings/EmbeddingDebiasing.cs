using System.Numerics.Tensors;

namespace MLNetExt.Trainers.WordEmbeddings;

/// <summary>
/// Hard debiasing of word embeddings (Bolukbasi et al., 2016), on unit-length vectors:
/// <list type="number">
/// <item>Bias direction g: the first principal component of the differences of each definitional pair (a, b)
/// from its centre, i.e. of the rows a − μ and b − μ with μ = (a + b) / 2.</item>
/// <item>Neutralize: every word that is not definitional loses its component along g,
/// v ← v − (v·g) g, and is renormalized.</item>
/// <item>Equalize: each pair (a, b) becomes ν ± z g with ν = μ − (μ·g) g and z = √(1 − ‖ν‖²), so both words are unit
/// vectors equidistant from every neutralized word.</item>
/// </list>
/// </summary>
public static class EmbeddingDebiasing
{
    private const int MaxIterations = 10_000;
    private const double Tolerance = 1e-10;

    /// <summary>
    /// The bias direction: the unit first principal component of the centred definitional pairs, found by power
    /// iteration on the D×D scatter matrix. Its sign is chosen so that it points from the second word of the first
    /// pair towards the first (e.g. from "he" to "she" for the pair ("she", "he")).
    /// </summary>
    /// <exception cref="ArgumentException">No pair is given, or the pairs do not differ.</exception>
    /// <exception cref="KeyNotFoundException">A word is unknown.</exception>
    public static float[] BiasDirection(KeyedVectors vectors, IEnumerable<(string First, string Second)> definitionalPairs)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(definitionalPairs);
        int d = vectors.VectorSize;
        var unit = vectors.GetNormalizedVectors();
        var scatter = new double[d * d];
        var difference = new double[d];
        double[]? start = null;
        int pairs = 0;
        foreach (var (first, second) in definitionalPairs)
        {
            var a = unit.AsSpan(Row(vectors, first, nameof(definitionalPairs)) * d, d);
            var b = unit.AsSpan(Row(vectors, second, nameof(definitionalPairs)) * d, d);
            // a − μ = (a − b)/2 and b − μ = −(a − b)/2 contribute the same outer product, twice.
            for (int k = 0; k < d; k++) difference[k] = (a[k] - b[k]) / 2.0;
            for (int r = 0; r < d; r++)
                for (int c = 0; c < d; c++)
                    scatter[r * d + c] += 2 * difference[r] * difference[c];
            start ??= (double[])difference.Clone();
            pairs++;
        }
        if (pairs == 0) throw new ArgumentException("Give at least one definitional pair.", nameof(definitionalPairs));
        var direction = PowerIteration(scatter, d, start!);
        if (direction is null) throw new ArgumentException("The definitional pairs do not differ: every pair has equal vectors.", nameof(definitionalPairs));
        double orientation = 0;
        for (int k = 0; k < d; k++) orientation += direction[k] * start![k];
        var result = new float[d];
        for (int k = 0; k < d; k++) result[k] = (float)(orientation < 0 ? -direction[k] : direction[k]);
        return result;
    }

    /// <summary>Removes the component of <paramref name="vector"/> along <paramref name="direction"/>: v ← v − (v·g / g·g) g.</summary>
    /// <exception cref="ArgumentException">The lengths differ or the direction is zero.</exception>
    public static void Neutralize(Span<float> vector, ReadOnlySpan<float> direction)
    {
        CheckDirection(vector.Length, direction);
        float scale = TensorPrimitives.Dot(vector, direction) / TensorPrimitives.Dot(direction, direction);
        TensorPrimitives.MultiplyAdd(direction, -scale, vector, vector);
    }

    /// <summary>
    /// Equalizes the unit vectors <paramref name="first"/> and <paramref name="second"/> about <paramref name="direction"/>:
    /// both become ν ± z ĝ (ĝ the unit direction, ν their mean without its ĝ component, z = √(1 − ‖ν‖²), the sign
    /// keeping each word on its side), unit vectors that differ only along ĝ.
    /// </summary>
    /// <exception cref="ArgumentException">The lengths differ or the direction is zero.</exception>
    public static void Equalize(Span<float> first, Span<float> second, ReadOnlySpan<float> direction)
    {
        CheckDirection(first.Length, direction);
        if (second.Length != first.Length) throw new ArgumentException($"Expected {first.Length} floats, got {second.Length}.", nameof(second));
        var g = direction.ToArray();
        TensorPrimitives.Divide(g, TensorPrimitives.Norm(g), g);
        var nu = new float[first.Length];
        TensorPrimitives.Add(first, second, nu);
        TensorPrimitives.Multiply(nu, 0.5f, nu);
        TensorPrimitives.MultiplyAdd(g, -TensorPrimitives.Dot(nu, g), nu, nu);
        float z = MathF.Sqrt(MathF.Max(0, 1 - TensorPrimitives.Dot(nu, nu)));
        float side = TensorPrimitives.Dot(first, g) - TensorPrimitives.Dot(second, g);
        if (side < 0) z = -z;
        TensorPrimitives.MultiplyAdd(g, z, nu, first);
        TensorPrimitives.MultiplyAdd(g, -z, nu, second);
    }

    /// <summary>
    /// The full procedure on a unit-normalized copy of <paramref name="vectors"/>: direction from
    /// <paramref name="definitionalPairs"/>, neutralize every word except <paramref name="specificWords"/> and the
    /// words of both pair lists, then equalize <paramref name="equalizePairs"/>.
    /// </summary>
    /// <returns>New vectors, all of unit length; the input is unchanged.</returns>
    /// <exception cref="KeyNotFoundException">A word of a pair is unknown.</exception>
    public static KeyedVectors Debias(KeyedVectors vectors, IReadOnlyList<(string First, string Second)> definitionalPairs,
        IReadOnlyList<(string First, string Second)> equalizePairs, IEnumerable<string> specificWords)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(definitionalPairs);
        ArgumentNullException.ThrowIfNull(equalizePairs);
        ArgumentNullException.ThrowIfNull(specificWords);
        var direction = BiasDirection(vectors, definitionalPairs);
        int d = vectors.VectorSize;
        var unit = vectors.GetNormalizedVectors();
        var keep = new HashSet<string>(specificWords, StringComparer.Ordinal);
        foreach (var (a, b) in definitionalPairs.Concat(equalizePairs)) { keep.Add(a); keep.Add(b); }
        for (int row = 0; row < vectors.Count; row++)
        {
            if (keep.Contains(vectors.Words[row])) continue;
            var v = unit.AsSpan(row * d, d);
            Neutralize(v, direction);
            float norm = TensorPrimitives.Norm(v);
            if (norm > 0) TensorPrimitives.Divide(v, norm, v);
        }
        foreach (var (a, b) in equalizePairs)
        {
            int ra = Row(vectors, a, nameof(equalizePairs)), rb = Row(vectors, b, nameof(equalizePairs));
            Equalize(unit.AsSpan(ra * d, d), unit.AsSpan(rb * d, d), direction);
        }
        return new KeyedVectors(vectors.Words, unit, d);
    }

    /// <summary>The unit eigenvector of the largest eigenvalue of the symmetric PSD matrix <paramref name="m"/> (n×n), or null when m is zero.</summary>
    internal static double[]? PowerIteration(double[] m, int n, double[] start)
    {
        var v = (double[])start.Clone();
        if (!NormalizeInPlace(v)) return null;
        var next = new double[n];
        for (int iteration = 0; iteration < MaxIterations; iteration++)
        {
            for (int r = 0; r < n; r++)
            {
                double s = 0;
                for (int c = 0; c < n; c++) s += m[r * n + c] * v[c];
                next[r] = s;
            }
            if (!NormalizeInPlace(next)) return null;
            double change = 0;
            for (int k = 0; k < n; k++) change += (next[k] - v[k]) * (next[k] - v[k]);
            (v, next) = (next, v);
            if (change < Tolerance * Tolerance) break;
        }
        return v;
    }

    private static bool NormalizeInPlace(double[] v)
    {
        double norm = Math.Sqrt(v.Sum(x => x * x));
        if (norm == 0) return false;
        for (int k = 0; k < v.Length; k++) v[k] /= norm;
        return true;
    }

    private static int Row(KeyedVectors vectors, string word, string parameter)
    {
        int row = vectors.IndexOf(word);
        return row >= 0 ? row : throw new KeyNotFoundException($"The word '{word}' ({parameter}) has no vector.");
    }

    private static void CheckDirection(int length, ReadOnlySpan<float> direction)
    {
        if (direction.Length != length) throw new ArgumentException($"Expected a direction of {length} floats, got {direction.Length}.", nameof(direction));
        if (TensorPrimitives.Dot(direction, direction) == 0) throw new ArgumentException("The direction is the zero vector.", nameof(direction));
    }
}
