using MLNetExt.Estimators.TextGeneration;
using MLNetExt.Trainers.TextGeneration;

namespace MLNetExt.Estimators.Tests.TextGeneration;

public sealed class TextGenerationEvaluatorTests
{
    private sealed class Row
    {
        public string Label { get; set; } = "";
        public string PredictedText { get; set; } = "";
        public string Other { get; set; } = "";
        public float Number { get; set; }
    }

    private static readonly Row[] Rows =
    [
        new() { Label = "the cat is on the mat", PredictedText = "the cat is on the mat", Other = "a cat is on the mat" },
        new() { Label = "the ball has a blue color", PredictedText = "the ball is blue", Other = "the ball is blue" },
        new() { Label = "there is a dog in the garden", PredictedText = "a dog is in the garden", Other = "a dog sits in the garden" },
        new() { Label = "it rains", PredictedText = "", Other = "rain" },
    ];

    private static string[] Words(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void MetricsAreCorpusBleuAndMeanRougeOverTheRows()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(Rows);

        var metrics = ml.Transforms.Text.EvaluateTextGeneration(data);

        var hypotheses = Rows.Select(r => (IReadOnlyList<string>)Words(r.PredictedText)).ToList();
        var references = Rows.Select(r => (IReadOnlyList<IReadOnlyList<string>>)[Words(r.Label)]).ToList();
        metrics.Bleu.Should().Be(Bleu.Corpus(hypotheses, references).Score);
        metrics.Bleu.Should().BeGreaterThan(0).And.BeLessThan(1);
        metrics.BleuDetails.HypothesisLength.Should().Be(6 + 4 + 6 + 0);
        metrics.RougeL.F1.Should().BeApproximately(Enumerable.Range(0, Rows.Length).Average(i => Rouge.L(hypotheses[i], references[i]).F1), 1e-12);
        metrics.Rouge1.Recall.Should().BeApproximately(Enumerable.Range(0, Rows.Length).Average(i => Rouge.N(hypotheses[i], references[i], 1).Recall), 1e-12);
        metrics.Rouge2.Precision.Should().BeApproximately(Enumerable.Range(0, Rows.Length).Average(i => Rouge.N(hypotheses[i], references[i], 2).Precision), 1e-12);
        metrics.ExactMatch.Should().Be(0.25);
        metrics.RowCount.Should().Be(4);
    }

    [Fact]
    public void TokenColumnsFromMLNetsTokenizerGiveTheSameMetricsAsText()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(Rows);
        var tokenized = ml.Transforms.Text.TokenizeIntoWords("LabelTokens", "Label")
            .Append(ml.Transforms.Text.TokenizeIntoWords("PredictedTokens", "PredictedText"))
            .Fit(data).Transform(data);

        var fromTokens = ml.Transforms.Text.EvaluateTextGeneration(tokenized, "LabelTokens", "PredictedTokens");
        var fromText = ml.Transforms.Text.EvaluateTextGeneration(data);

        fromTokens.Should().BeEquivalentTo(fromText);
    }

    [Fact]
    public void FurtherReferenceColumnsAreUsedAndTheBestReferenceCounts()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(Rows);

        var one = ml.Transforms.Text.EvaluateTextGeneration(data);
        var two = ml.Transforms.Text.EvaluateTextGeneration(data, options: new TextGenerationEvaluator.Options { AdditionalReferenceColumnNames = ["Other"] });

        two.ExactMatch.Should().Be(0.5, "row 2's prediction equals its second reference");
        two.Bleu.Should().BeGreaterThan(one.Bleu);
        two.Rouge1.F1.Should().BeGreaterThan(one.Rouge1.F1);
    }

    [Fact]
    public void CharactersAndLowerCaseAreOptions()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(new[] { new Row { Label = "2024-01-05", PredictedText = "2024-01-06" }, new Row { Label = "ABC", PredictedText = "abc" } });

        var metrics = ml.Transforms.Text.EvaluateTextGeneration(data, options: new TextGenerationEvaluator.Options
        {
            Tokenization = GenerationTokenization.Characters,
            LowerCase = true,
            Bleu = new BleuOptions { MaxOrder = 2 },
        });

        metrics.ExactMatch.Should().Be(0.5);
        metrics.BleuDetails.Matches.Should().Equal(9 + 3, 8 + 2);
        metrics.BleuDetails.Totals.Should().Equal(10 + 3, 9 + 2);
    }

    [Fact]
    public void NoRowsGiveZeroMetrics()
    {
        var ml = new MLContext(1);
        var metrics = ml.Transforms.Text.EvaluateTextGeneration(ml.Data.LoadFromEnumerable(Array.Empty<Row>()));

        metrics.RowCount.Should().Be(0);
        metrics.Bleu.Should().Be(0);
        metrics.RougeL.Should().Be(default(RougeScore));
    }

    [Fact]
    public void AMissingOrNonTextColumnIsRefusedByName()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(Rows);

        var missing = () => ml.Transforms.Text.EvaluateTextGeneration(data, predictedColumnName: "Translation");
        missing.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Could not find column 'Translation'*Label, PredictedText, Other, Number*");
        var number = () => ml.Transforms.Text.EvaluateTextGeneration(data, labelColumnName: "Number");
        number.Should().Throw<ArgumentException>().WithMessage("Column 'Number' has type Single; the text-generation evaluator reads Text or a vector of Text*");
        var badOrder = () => ml.Transforms.Text.EvaluateTextGeneration(data, options: new TextGenerationEvaluator.Options { Bleu = new BleuOptions { MaxOrder = 0 } });
        badOrder.Should().Throw<ArgumentOutOfRangeException>().WithMessage("MaxOrder must be in [1, 16]*");
    }
}
