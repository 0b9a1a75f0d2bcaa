using FluentAssertions;
using MLNetExt.Trainers.WordEmbeddings;

namespace MLNetExt.Trainers.Tests.WordEmbeddings;

public sealed class Word2VecInternalsTests
{
    [Fact]
    public void Huffman_codes_are_optimal_prefix_codes_and_match_word2vec_c()
    {
        long[] counts = [45, 16, 13, 12, 9, 5];
        var tree = HuffmanTree.Build(counts);
        var codes = Enumerable.Range(0, counts.Length)
            .Select(w => string.Concat(tree.Codes[tree.Offsets[w]..tree.Offsets[w + 1]].Select(b => (char)('0' + b)))).ToArray();
        // The textbook example: lengths 1,3,3,3,4,4, weighted length 224 (optimal).
        codes.Select(c => c.Length).Should().Equal(1, 3, 3, 3, 4, 4);
        codes.Select((c, w) => c.Length * counts[w]).Sum().Should().Be(224);
        for (int i = 0; i < codes.Length; i++)
            for (int j = 0; j < codes.Length; j++)
                if (i != j) codes[j].StartsWith(codes[i], StringComparison.Ordinal).Should().BeFalse();
        // word2vec.c: the root is inner node V-2 and starts every path; the last merge joins leaf 45 (smaller, branch 0)
        // with the inner node 55 (branch 1), whose children are 25 = 12 + 13 (0) and 30 = 14 + 16 (1), and 14 = 5 + 9.
        for (int w = 0; w < counts.Length; w++) tree.Points[tree.Offsets[w]].Should().Be(counts.Length - 2);
        codes.Should().Equal("0", "111", "101", "100", "1101", "1100");
        tree.Points.Should().OnlyContain(p => p >= 0 && p < counts.Length - 1);
    }

    [Fact]
    public void Noise_distribution_is_unigram_to_the_three_quarters()
    {
        long[] counts = [1000, 300, 50, 7, 1];
        var noise = new NoiseDistribution(counts, 0.75);
        double total = counts.Sum(c => Math.Pow(c, 0.75));
        for (int w = 0; w < counts.Length; w++) noise.Probability(w).Should().BeApproximately(Math.Pow(counts[w], 0.75) / total, 1e-6);

        var hits = new int[counts.Length];
        var random = new MLNetExt.Core.RandomSource(3);
        const int draws = 200_000;
        for (int i = 0; i < draws; i++) hits[noise.Sample((uint)random.NextUInt64())]++;
        for (int w = 0; w < counts.Length; w++) (hits[w] / (double)draws).Should().BeApproximately(Math.Pow(counts[w], 0.75) / total, 0.005);
    }

    [Fact]
    public void Subsampling_thresholds_follow_the_gensim_formula()
    {
        long[] counts = [50_000, 500, 50, 3];
        var keep = Word2VecTrainer.KeepThresholds(counts, 100_000, 1e-3);
        double t = 1e-3 * 100_000;
        keep[0].Should().Be((ulong)(((Math.Sqrt(50_000 / t) + 1) * t / 50_000) * uint.MaxValue));
        keep[1].Should().Be((ulong)(((Math.Sqrt(500 / t) + 1) * t / 500) * uint.MaxValue));
        keep[2].Should().Be(uint.MaxValue);
        keep[3].Should().Be(uint.MaxValue);
        Word2VecTrainer.KeepThresholds(counts, 100_000, 0).Should().OnlyContain(k => k == uint.MaxValue);
    }

    [Fact]
    public unsafe void Kernels_match_scalar_reference_for_every_length()
    {
        var random = new MLNetExt.Core.RandomSource(5);
        for (int n = 0; n <= 2 * 16 + 3; n++)
        {
            var a = new float[n]; var b = new float[n]; var dx = new float[n];
            random.FillUniform(a, -1, 1); random.FillUniform(b, -1, 1); random.FillUniform(dx, -1, 1);
            float expectedDot = 0;
            for (int k = 0; k < n; k++) expectedDot += a[k] * b[k];
            var expectedB = b.Select((x, k) => x + 0.3f * a[k]).ToArray();
            var expectedDx = dx.Select((x, k) => x + 0.3f * b[k]).ToArray();
            fixed (float* pa = a, pb = b, pd = dx)
            {
                EmbeddingKernels.Dot(pa, pb, n).Should().BeApproximately(expectedDot, 1e-5f);
                EmbeddingKernels.PairUpdate(pa, pb, pd, 0.3f, n);
            }
            b.Should().Equal(expectedB, (x, y) => Math.Abs(x - y) <= 1e-6f);
            dx.Should().Equal(expectedDx, (x, y) => Math.Abs(x - y) <= 1e-6f);
            var y = (float[])expectedDx.Clone();
            fixed (float* py = y, pa = a) EmbeddingKernels.AddScaled(py, pa, -0.7f, n);
            y.Should().Equal(expectedDx.Select((x, k) => x - 0.7f * a[k]), (p, q) => Math.Abs(p - q) <= 1e-6f);
        }
    }

    [Fact]
    public void Cooccurrences_are_weighted_by_inverse_distance_within_sentences()
    {
        string[][] corpus = [["a", "b", "oov", "c"], ["c", "a"]];
        var vocabulary = Vocabulary.FromCounts([new("a", 2), new("b", 1), new("c", 2)], minCount: 1);
        // The out-of-vocabulary token is removed before windowing, so b and c are neighbours (as in cooccur.c).
        var matrix = CooccurrenceMatrix.Compute(corpus, vocabulary, window: 2, symmetric: true);
        var x = new Dictionary<(string, string), float>();
        for (int e = 0; e < matrix.Count; e++) x[(matrix.Vocabulary.Words[matrix.Rows[e]], matrix.Vocabulary.Words[matrix.Columns[e]])] = matrix.Values[e];
        x[("a", "b")].Should().Be(1f);
        x[("b", "a")].Should().Be(1f);
        x[("a", "c")].Should().Be(0.5f + 1f);
        x[("c", "a")].Should().Be(1.5f);
        x[("b", "c")].Should().Be(1f);
        x.Should().HaveCount(6);
    }
}
