using System.Numerics.Tensors;
using FluentAssertions;
using MLNetExt.Core;
using MLNetExt.Trainers.WordEmbeddings;

namespace MLNetExt.Trainers.Tests.WordEmbeddings;

public sealed class EmbeddingDebiasingTests
{
    private const int D = 10;
    private static readonly float[] s_axis = Unit(Enumerable.Range(0, D).Select(k => k == 0 ? 1f : k == 1 ? 0.5f : 0f).ToArray());

    private static float[] Unit(float[] v)
    {
        TensorPrimitives.Divide(v, TensorPrimitives.Norm(v), v);
        return v;
    }

    /// <summary>Pairs that differ along a planted axis (plus a little noise), and neutral words that lean on it.</summary>
    private static KeyedVectors Planted()
    {
        var random = new RandomSource(11);
        var words = new List<string>();
        var values = new List<float>();
        void Add(string word, float[] v) { words.Add(word); values.AddRange(v); }
        float[] Random() { var v = new float[D]; random.FillGaussian(v, 0, 1); return v; }
        foreach (var (a, b) in new[] { ("she", "he"), ("her", "his"), ("woman", "man"), ("girl", "boy"), ("grandmother", "grandfather") })
        {
            var common = Random();
            var noise = Random();
            var va = new float[D];
            var vb = new float[D];
            for (int k = 0; k < D; k++)
            {
                va[k] = common[k] + 1.5f * s_axis[k] + 0.05f * noise[k];
                vb[k] = common[k] - 1.5f * s_axis[k] - 0.05f * noise[k];
            }
            Add(a, va);
            Add(b, vb);
        }
        foreach (string neutral in new[] { "doctor", "nurse", "babysitter", "engineer" })
        {
            var v = Random();
            TensorPrimitives.MultiplyAdd(s_axis, neutral is "nurse" or "babysitter" ? 1.2f : -1.2f, v, v);
            Add(neutral, v);
        }
        return new KeyedVectors(words, values.ToArray(), D);
    }

    private static readonly (string, string)[] s_definitional = [("she", "he"), ("her", "his"), ("woman", "man"), ("girl", "boy")];

    [Fact]
    public void Bias_direction_recovers_the_planted_axis_with_its_sign()
    {
        var g = EmbeddingDebiasing.BiasDirection(Planted(), s_definitional);
        TensorPrimitives.Norm(g).Should().BeApproximately(1f, 1e-5f);
        TensorPrimitives.Dot(g, s_axis).Should().BeGreaterThan(0.97f);
    }

    [Fact]
    public void Power_iteration_finds_the_top_eigenvector()
    {
        // Symmetric matrix with eigenvalues 5, 2, 1 and known top eigenvector (1, 1, 0)/√2.
        double[] m = [3.5, 1.5, 0, 1.5, 3.5, 0, 0, 0, 1];
        var v = EmbeddingDebiasing.PowerIteration(m, 3, [1, 0, 0.3])!;
        Math.Abs(v[0]).Should().BeApproximately(Math.Sqrt(0.5), 1e-8);
        Math.Abs(v[1]).Should().BeApproximately(Math.Sqrt(0.5), 1e-8);
        v[2].Should().BeApproximately(0, 1e-8);
    }

    [Fact]
    public void Neutralize_removes_the_projection()
    {
        float[] v = [3f, -1f, 2f];
        float[] g = [0f, 2f, 0f];
        EmbeddingDebiasing.Neutralize(v, g);
        v.Should().Equal(3f, 0f, 2f);
    }

    [Fact]
    public void Debias_neutralizes_and_equalizes()
    {
        var vectors = Planted();
        var g = EmbeddingDebiasing.BiasDirection(vectors, s_definitional);
        var before = Math.Abs(TensorPrimitives.Dot(vectors.GetNormalizedVectors().AsSpan(vectors.IndexOf("nurse") * D, D), g));
        before.Should().BeGreaterThan(0.2f);

        var debiased = EmbeddingDebiasing.Debias(vectors, s_definitional, [("grandmother", "grandfather")], []);

        foreach (string neutral in new[] { "doctor", "nurse", "babysitter", "engineer" })
        {
            TensorPrimitives.Dot(debiased[neutral], g).Should().BeApproximately(0f, 1e-5f);
            TensorPrimitives.Norm(debiased[neutral]).Should().BeApproximately(1f, 1e-5f);
            debiased.Similarity(neutral, "grandmother").Should().BeApproximately(debiased.Similarity(neutral, "grandfather"), 1e-5f);
        }
        TensorPrimitives.Norm(debiased["grandmother"]).Should().BeApproximately(1f, 1e-5f);
        TensorPrimitives.Dot(debiased["grandmother"], g).Should().BeGreaterThan(0);
        // Definitional words keep their (normalized) vectors; the input is untouched.
        debiased["she"].ToArray().Should().Equal(vectors.GetNormalizedVectors().AsSpan(0, D).ToArray());
        vectors["nurse"].ToArray().Should().NotEqual(debiased["nurse"].ToArray());
    }

    [Fact]
    public void Bad_input_is_rejected_clearly()
    {
        var none = () => EmbeddingDebiasing.BiasDirection(Planted(), []);
        none.Should().Throw<ArgumentException>().WithParameterName("definitionalPairs");
        var unknown = () => EmbeddingDebiasing.BiasDirection(Planted(), [("she", "it")]);
        unknown.Should().Throw<KeyNotFoundException>().WithMessage("*'it'*");
        var zero = () => EmbeddingDebiasing.Neutralize(new float[2], new float[2]);
        zero.Should().Throw<ArgumentException>().WithParameterName("direction");
    }
}
