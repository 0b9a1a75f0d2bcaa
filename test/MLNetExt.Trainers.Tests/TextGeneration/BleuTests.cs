using System.Text.Json;
using MLNetExt.Trainers.TextGeneration;

namespace MLNetExt.Trainers.Tests.TextGeneration;

public sealed class BleuTests
{
    private static string[] Words(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static IReadOnlyList<IReadOnlyList<string>> References(params string[] texts) => [.. texts.Select(Words)];

    [Fact]
    public void ClippedUnigramPrecisionOfTheCourseExampleIsTwoSevenths()
    {
        // COURSE-NOTES: "the" occurs at most twice in one reference, so seven of them earn two matches.
        var score = Bleu.Sentence(Words("the the the the the the the"), References("the cat is on the mat", "there is a cat on the mat"));

        score.Matches[0].Should().Be(2);
        score.Totals[0].Should().Be(7);
        score.Precisions[0].Should().BeApproximately(2.0 / 7, 1e-15);
    }

    [Fact]
    public void BigramPrecisionOfTheCourseExampleIsFourSixths()
    {
        // "the cat" twice (clipped to the once a reference holds it), "cat the" never, "cat on", "on the", "the mat" once each.
        var score = Bleu.Sentence(Words("the cat the cat on the mat"), References("the cat is on the mat", "there is a cat on the mat"));

        score.Matches[1].Should().Be(4);
        score.Totals[1].Should().Be(6);
    }

    [Fact]
    public void BleuTwoOfTheCourseExampleIs0_3033()
    {
        var tokenizer = new GenerationTokenizer(LowerCase: true);
        var score = Bleu.Sentence(tokenizer.Tokenize("The ball is blue"), [tokenizer.Tokenize("The ball has a blue color")], new BleuOptions { MaxOrder = 2 });

        score.Precisions.Should().Equal([3.0 / 4, 1.0 / 3], (a, b) => Math.Abs(a - b) < 1e-15);
        score.BrevityPenalty.Should().BeApproximately(Math.Exp(-0.5), 1e-15);
        score.Score.Should().BeApproximately(0.3033, 5e-5);
        score.Score.Should().BeApproximately(Math.Exp(-0.5) * Math.Sqrt(0.25), 1e-15);
    }

    [Fact]
    public void CorpusAndSentenceBleuAgreeWithNltkOnGeneratedCorpora()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(ReferenceJson.PathOf("TextGeneration", "text_metrics")));
        int checkedCases = 0;
        foreach (var testCase in document.RootElement.GetProperty("cases").EnumerateArray())
        {
            var hypotheses = testCase.GetProperty("hypotheses").EnumerateArray().Select(Tokens).ToList();
            var references = testCase.GetProperty("references").EnumerateArray()
                .Select(set => (IReadOnlyList<IReadOnlyList<string>>)[.. set.EnumerateArray().Select(Tokens)]).ToList();
            var options = new BleuOptions
            {
                MaxOrder = testCase.GetProperty("max_order").GetInt32(),
                Smoothing = testCase.GetProperty("smoothing").GetString() switch
                {
                    "none" => BleuSmoothing.None,
                    "floor" => BleuSmoothing.Floor,
                    "addk" => BleuSmoothing.AddK,
                    "exponential" => BleuSmoothing.Exponential,
                    var other => throw new InvalidDataException($"Unknown smoothing '{other}'."),
                },
            };

            Bleu.Corpus(hypotheses, references, options).Score.Should().BeApproximately(testCase.GetProperty("corpus_bleu").GetDouble(), 1e-9,
                $"corpus BLEU-{options.MaxOrder}, smoothing {options.Smoothing}, case {checkedCases}");
            var sentences = testCase.GetProperty("sentence_bleu").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            for (int i = 0; i < hypotheses.Count; i++)
                Bleu.Sentence(hypotheses[i], references[i], options).Score.Should().BeApproximately(sentences[i], 1e-9, $"sentence {i} of case {checkedCases}");
            checkedCases++;
        }
        checkedCases.Should().Be(24);
    }

    private static IReadOnlyList<string> Tokens(JsonElement tokens) => [.. tokens.EnumerateArray().Select(t => t.GetString()!)];

    [Fact]
    public void CorpusBleuPoolsTheCountsRatherThanAveragingSentences()
    {
        // Sentence 1 matches everything (4 of 4 at each order it has); sentence 2 nothing beyond unigrams.
        string[][] hypotheses = [Words("a b c d"), Words("x y z w")];
        IReadOnlyList<IReadOnlyList<string>>[] references = [References("a b c d"), References("x q z q")];

        var score = Bleu.Corpus(hypotheses, references, new BleuOptions { MaxOrder = 2 });

        score.Matches.Should().Equal(4 + 2, 3 + 0);
        score.Totals.Should().Equal(4 + 4, 3 + 3);
        score.BrevityPenalty.Should().Be(1);
        score.Score.Should().BeApproximately(Math.Sqrt(6.0 / 8 * 3.0 / 6), 1e-15);
        Bleu.Sentence(hypotheses[1], references[1], new BleuOptions { MaxOrder = 2 }).Score.Should().Be(0, "alone, the second sentence has no bigram match");
    }

    [Fact]
    public void EachHypothesisTakesTheClosestReferenceLengthAndTheShorterOnATie()
    {
        // Hypothesis of 4 tokens; references of 2 and 6 tokens are equally close: r = 2, so no penalty. With 3 and 5: r = 3.
        BleuStatistics.ClosestReferenceLength(4, References("a b", "a b c d e f")).Should().Be(2);
        BleuStatistics.ClosestReferenceLength(4, References("a b c d e", "a b c")).Should().Be(3);
        BleuStatistics.ClosestReferenceLength(4, References("a b c d e f g", "a b c d e")).Should().Be(5);

        var score = Bleu.Sentence(Words("a b c d"), References("a b c d e f g h"), new BleuOptions { MaxOrder = 1 });
        score.ReferenceLength.Should().Be(8);
        score.BrevityPenalty.Should().BeApproximately(Math.Exp(1 - 8.0 / 4), 1e-15);
        score.Score.Should().BeApproximately(Math.Exp(-1), 1e-15);
    }

    [Fact]
    public void SmoothingFillsOnlyTheOrdersWithoutAMatch()
    {
        // "a b c x y": 3 of 5 unigrams, 2 of 4 bigrams, 1 of 3 trigrams and 0 of 2 four-grams match "a b c d".
        var hypothesis = Words("a b c x y");
        var references = References("a b c d");
        double[] matched = [3.0 / 5, 2.0 / 4, 1.0 / 3];

        Bleu.Sentence(hypothesis, references).Score.Should().Be(0);
        Bleu.Sentence(hypothesis, references, new BleuOptions { Smoothing = BleuSmoothing.Floor }).Precisions.Should().Equal([.. matched, 0.1 / 2]);
        Bleu.Sentence(hypothesis, references, new BleuOptions { Smoothing = BleuSmoothing.Exponential }).Precisions.Should().Equal([.. matched, 1 / (2.0 * 2)]);
        var addK = Bleu.Sentence(hypothesis, references, new BleuOptions { Smoothing = BleuSmoothing.AddK, AddK = 1 });
        addK.Precisions.Should().Equal(3.0 / 5, 3.0 / 5, 2.0 / 4, 1.0 / 3);
        addK.Score.Should().BeApproximately(Math.Pow(3.0 / 5 * 3.0 / 5 * 2.0 / 4 * 1.0 / 3, 0.25), 1e-15, "c = 5 > r = 4, so no brevity penalty");
    }

    [Fact]
    public void ExponentialSmoothingHalvesAgainForEachFurtherUnmatchedOrder()
    {
        // Unigrams match, no higher order does: p2 = 1/(2·3), p3 = 1/(4·2), p4 = 1/(8·1).
        var score = Bleu.Sentence(Words("a c b d"), References("a b c d"), new BleuOptions { Smoothing = BleuSmoothing.Exponential });

        score.Precisions.Should().Equal(1.0, 1 / 6.0, 1 / 8.0, 1 / 8.0);
    }

    [Fact]
    public void ShortHypothesesAddNoNGramsOfTheOrdersTheyLack()
    {
        // Two tokens have no trigram or four-gram: those precisions are undefined, and BLEU-4 is 0 whatever the smoothing.
        var score = Bleu.Sentence(Words("a b"), References("a b c"), new BleuOptions { Smoothing = BleuSmoothing.Floor });

        score.Totals.Should().Equal(2, 1, 0, 0);
        score.Matches.Should().Equal(2, 1, 0, 0);
        score.Score.Should().Be(0);
        Bleu.Sentence(Words("a b"), References("a b c"), new BleuOptions { MaxOrder = 2 }).Score.Should().BeApproximately(Math.Exp(1 - 3.0 / 2), 1e-15);
    }

    [Fact]
    public void EmptyOrUnmatchedHypothesesScoreZero()
    {
        Bleu.Sentence([], References("a b c")).Score.Should().Be(0);
        Bleu.Sentence([], References("a b c")).BrevityPenalty.Should().Be(0);
        Bleu.Corpus([], [], new BleuOptions()).Score.Should().Be(0);
        Bleu.Sentence(Words("x y z w"), References("a b c d"), new BleuOptions { Smoothing = BleuSmoothing.Floor }).Score.Should().Be(0, "no unigram matches");
        Bleu.Sentence(Words("a b c d"), References("a b c d")).Score.Should().Be(1);
    }

    [Fact]
    public void StatisticsGatheredApartAddUpToTheCorpus()
    {
        var first = new BleuStatistics();
        var second = new BleuStatistics();
        first.Add(Words("a b c d e"), References("a b c d f"));
        second.Add(Words("b c d e f g"), References("b c d e g", "a b c d e f g"));
        var whole = new BleuStatistics();
        whole.Add(Words("a b c d e"), References("a b c d f"));
        whole.Add(Words("b c d e f g"), References("b c d e g", "a b c d e f g"));

        first.Add(second);

        first.Score().Should().BeEquivalentTo(whole.Score());
        first.Sentences.Should().Be(2);
    }

    [Fact]
    public void BadArgumentsAreRefusedByName()
    {
        var noReference = () => Bleu.Sentence(Words("a"), []);
        noReference.Should().Throw<ArgumentException>().WithMessage("*at least one reference*");
        var mismatched = () => Bleu.Corpus([Words("a")], [], null);
        mismatched.Should().Throw<ArgumentException>().WithMessage("There are 1 hypotheses but 0 reference sets*");
        var order = () => new BleuStatistics(0);
        order.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("maxOrder");
        var epsilon = () => Bleu.Sentence(Words("a"), References("a"), new BleuOptions { Smoothing = BleuSmoothing.Floor, FloorEpsilon = 0 });
        epsilon.Should().Throw<ArgumentOutOfRangeException>().WithMessage("FloorEpsilon must be in (0, 1]*");
        var otherOrder = () => new BleuStatistics(4).Score(new BleuOptions { MaxOrder = 2 });
        otherOrder.Should().Throw<ArgumentException>().WithMessage("*BLEU-2*orders 1..4*");
        var nullToken = () => Bleu.Sentence(["a", null!], References("a"));
        nullToken.Should().Throw<ArgumentException>().WithMessage("Token 1 is null*");
    }
}
