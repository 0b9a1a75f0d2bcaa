using System.Text.Json;
using MLNetExt.Trainers.TextGeneration;

namespace MLNetExt.Trainers.Tests.TextGeneration;

public sealed class RougeTests
{
    private static string[] Words(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static IReadOnlyList<IReadOnlyList<string>> References(params string[] texts) => [.. texts.Select(Words)];

    [Fact]
    public void RougeOneTwoAndLOfAWorkedPair()
    {
        // Lin (2004)-style example: the hypothesis adds "found"; 6 of its 7 unigrams, 4 of its 6 bigrams ("the cat",
        // "cat was", "under the", "the bed") and an LCS of 6 tokens are shared with the 6-token reference.
        var hypothesis = Words("the cat was found under the bed");
        var references = References("the cat was under the bed");

        Rouge.N(hypothesis, references, 1).Should().Be(RougeScore.Of(6, 7, 6));
        Rouge.N(hypothesis, references, 2).Should().Be(RougeScore.Of(4, 6, 5));
        var l = Rouge.L(hypothesis, references);
        l.Precision.Should().BeApproximately(6.0 / 7, 1e-15);
        l.Recall.Should().Be(1);
        l.F1.Should().BeApproximately(2 * (6.0 / 7) / (6.0 / 7 + 1), 1e-15);
    }

    [Fact]
    public void RougeCountsNGramsAsMultisetsAndLcsInOrder()
    {
        // "a a a" shares two "a" with "a b a"; the LCS of "a b c d" and "d c b a" is one token.
        Rouge.N(Words("a a a"), References("a b a"), 1).Should().Be(RougeScore.Of(2, 3, 3));
        Rouge.LongestCommonSubsequence([1, 2, 3, 4], [4, 3, 2, 1]).Should().Be(1);
        Rouge.LongestCommonSubsequence([1, 2, 3, 4, 5], [2, 9, 4, 5, 1]).Should().Be(3);
        Rouge.LongestCommonSubsequence([], [1, 2]).Should().Be(0);
    }

    [Fact]
    public void TheBestReferenceByF1Counts()
    {
        var score = Rouge.N(Words("a b c"), References("x y z", "a b c d", "a b"), 1);

        score.Should().Be(RougeScore.Of(3, 3, 4), "F1 6/7 beats 4/5 and 0");
    }

    [Fact]
    public void AnEmptySideScoresZero()
    {
        Rouge.N([], References("a b"), 1).Should().Be(new RougeScore(0, 0, 0));
        Rouge.L(Words("a b"), References("")).Should().Be(new RougeScore(0, 0, 0));
        Rouge.N(Words("a"), References("a"), 2).Should().Be(new RougeScore(0, 0, 0), "neither side has a bigram");
    }

    [Fact]
    public void RougeAgreesWithTheGeneratorsIndependentImplementation()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(ReferenceJson.PathOf("TextGeneration", "text_metrics")));
        int pairs = 0;
        foreach (var testCase in document.RootElement.GetProperty("cases").EnumerateArray())
        {
            var hypotheses = testCase.GetProperty("hypotheses").EnumerateArray().Select(Tokens).ToList();
            var references = testCase.GetProperty("references").EnumerateArray()
                .Select(set => (IReadOnlyList<IReadOnlyList<string>>)[.. set.EnumerateArray().Select(Tokens)]).ToList();
            for (int i = 0; i < hypotheses.Count; i++)
            {
                Check(Rouge.N(hypotheses[i], references[i], 1), testCase.GetProperty("rouge1")[i]);
                Check(Rouge.N(hypotheses[i], references[i], 2), testCase.GetProperty("rouge2")[i]);
                Check(Rouge.L(hypotheses[i], references[i]), testCase.GetProperty("rougeL")[i]);
                pairs++;
            }
        }
        pairs.Should().BeGreaterThan(100);
    }

    private static void Check(RougeScore actual, JsonElement expected)
    {
        actual.Precision.Should().BeApproximately(expected[0].GetDouble(), 1e-12);
        actual.Recall.Should().BeApproximately(expected[1].GetDouble(), 1e-12);
        actual.F1.Should().BeApproximately(expected[2].GetDouble(), 1e-12);
    }

    private static IReadOnlyList<string> Tokens(JsonElement tokens) => [.. tokens.EnumerateArray().Select(t => t.GetString()!)];

    [Fact]
    public void BadArgumentsAreRefused()
    {
        var noReference = () => Rouge.L(Words("a"), []);
        noReference.Should().Throw<ArgumentException>().WithMessage("*at least one reference*");
        var order = () => Rouge.N(Words("a"), References("a"), 0);
        order.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("order");
        var tooLong = () => Rouge.L(Enumerable.Repeat("a", Rouge.MaximumLcsTokens + 1).ToArray(), References("a"));
        tooLong.Should().Throw<ArgumentException>().WithMessage("ROUGE-L compares sequences of at most 10,000 tokens; got 10,001 and 1.");
    }
}
