using FluentAssertions;
using MLNetExt.Trainers.WordEmbeddings;

namespace MLNetExt.Trainers.Tests.WordEmbeddings;

public sealed class KeyedVectorsTests
{
    // A gender axis (x) and a royalty axis (y), plus an unrelated word.
    private static readonly KeyedVectors s_vectors = new(
        ["man", "woman", "king", "queen", "apple", "prince"],
        [
            1f, 0f, 0.1f,
            -1f, 0f, 0.1f,
            1f, 2f, 0.1f,
            -1f, 2f, 0.1f,
            0f, -0.2f, 3f,
            0.9f, 1.8f, 0.0f,
        ],
        3);

    [Fact]
    public void Similarity_is_the_cosine()
    {
        float expected = (1f * 1 + 0 * 2 + 0.1f * 0.1f) / (MathF.Sqrt(1.01f) * MathF.Sqrt(5.01f));
        s_vectors.Similarity("man", "king").Should().BeApproximately(expected, 1e-6f);
        s_vectors.Similarity("man", "man").Should().BeApproximately(1f, 1e-6f);
    }

    [Fact]
    public void Asking_for_more_neighbours_than_there_are_words_gives_all_of_them_without_overflow()
    {
        var all = s_vectors.MostSimilar("king", topN: int.MaxValue);

        all.Should().HaveCount(s_vectors.Count - 1, "every other word, and no more");
        all.Select(s => s.Similarity).Should().BeInDescendingOrder();
        s_vectors.MostSimilar(s_vectors.GetVector(0), int.MaxValue).Should().HaveCount(s_vectors.Count);
    }

    [Fact]
    public void Most_similar_excludes_the_word_and_is_sorted()
    {
        var result = s_vectors.MostSimilar("king", topN: 3);
        result.Select(r => r.Word).Should().Equal("prince", "queen", "man");
        result.Select(r => r.Similarity).Should().BeInDescendingOrder();
        result[0].Similarity.Should().BeApproximately(s_vectors.Similarity("king", "prince"), 1e-6f);
    }

    [Theory]
    [InlineData(AnalogyMethod.CosAdd)]
    [InlineData(AnalogyMethod.CosMul)]
    public void Analogy_answers_and_excludes_the_query_words(AnalogyMethod method)
    {
        s_vectors.Analogy("man", "king", "woman", method)[0].Word.Should().Be("queen");
        // The nearest word to b − a + c here is c itself; it must not be returned.
        var answers = s_vectors.Analogy("man", "woman", "king", method, topN: 5).Select(r => r.Word);
        answers.Should().NotContain(["man", "woman", "king"]);
        answers.First().Should().Be("queen");
    }

    [Fact]
    public void CosMul_score_is_levy_goldberg()
    {
        float Cos01(string x, string y) => (s_vectors.Similarity(x, y) + 1) / 2;
        float expected = Cos01("queen", "king") * Cos01("queen", "woman") / (Cos01("queen", "man") + 0.001f);
        s_vectors.Analogy("man", "king", "woman", AnalogyMethod.CosMul)[0].Similarity.Should().BeApproximately(expected, 1e-5f);
    }

    [Fact]
    public void Doesnt_match_finds_the_outlier()
    {
        s_vectors.DoesNotMatch(["man", "king", "queen", "apple"]).Should().Be("apple");
    }

    [Fact]
    public void Evaluate_analogies_skips_unknown_words()
    {
        var result = s_vectors.EvaluateAnalogies([new("man", "king", "woman", "queen"), new("man", "king", "woman", "prince"), new("x", "king", "woman", "queen")]);
        result.Should().Be(new AnalogyEvaluation(1, 2, 1));
        result.Accuracy.Should().Be(0.5);
    }

    [Fact]
    public void Bad_input_is_rejected_clearly()
    {
        var unknown = () => s_vectors.MostSimilar("nope");
        unknown.Should().Throw<KeyNotFoundException>().WithMessage("*'nope'*");
        var sizes = () => new KeyedVectors(["a", "b"], new float[5], 3);
        sizes.Should().Throw<ArgumentException>().WithParameterName("vectors");
        var twice = () => new KeyedVectors(["a", "a"], new float[2], 1);
        twice.Should().Throw<ArgumentException>().WithMessage("*'a' appears twice*");
        var one = () => s_vectors.DoesNotMatch(["man"]);
        one.Should().Throw<ArgumentException>().WithParameterName("words");
    }
}
