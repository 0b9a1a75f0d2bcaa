using MLNetExt.Transforms.Text;

namespace MLNetExt.Transforms.Tests;

public class TextTransformTests
{
    public sealed class TextRow
    {
        public string Text = "";
    }

    public sealed class TextsRow
    {
        public string[] Texts = [];
    }

    public sealed class NumberRow
    {
        public float Text;
    }

    private static IDataView Texts(MLContext ml, params string[] texts) =>
        ml.Data.LoadFromEnumerable(texts.Select(t => new TextRow { Text = t }).ToArray());

    private static IDataView Invalid(MLContext ml) => ml.Data.LoadFromEnumerable(new[] { new NumberRow { Text = 1 } });

    [Fact]
    public void Tokenizer_splits_at_spaces_and_drops_empty_words()
    {
        var ml = new MLContext(1);
        var result = EstimatorWorkout.Run(ml, ml.Transforms.Text.TokenizeIntoWords("Words", "Text"),
            Texts(ml, "the quick  brown fox", "", " lone "), Invalid(ml), "Text");

        result.Output.Schema["Words"].Type.Should().Be(new VectorDataViewType(TextDataViewType.Instance));
        DataViewCells.Column(result.Output, "Words").Should().Equal("[the, quick, brown, fox]", "[]", "[lone]");
    }

    [Fact]
    public void Tokenizer_uses_the_given_separators_on_each_item_of_a_text_vector()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(new[]
        {
            new TextsRow { Texts = ["a,b;c", "d e"] },
            new TextsRow { Texts = [";;", "f"] },
        });
        var result = EstimatorWorkout.Run(ml, ml.Transforms.Text.TokenizeIntoWords("Words", "Texts", [',', ';']), data);

        DataViewCells.Column(result.Output, "Words").Should().Equal("[a, b, c, d e]", "[f]");
    }

    [Fact]
    public void Tokenizer_rejects_an_empty_separator_list()
    {
        var ml = new MLContext(1);
        FluentActions.Invoking(() => ml.Transforms.Text.TokenizeIntoWords("Words", "Text", []))
            .Should().Throw<ArgumentException>().WithParameterName("separators");
    }

    [Theory]
    [InlineData(TextNormalizingEstimator.CaseMode.Lower, false, true, true, "creme brulee, ångström → angstrom 42!", "creme brulee, angstrom → angstrom 42!")]
    [InlineData(TextNormalizingEstimator.CaseMode.Upper, true, true, true, "Crème Brûlée 42!", "CRÈME BRÛLÉE 42!")]
    [InlineData(TextNormalizingEstimator.CaseMode.None, true, false, true, "Hello, World! (ok)", "Hello World ok")]
    [InlineData(TextNormalizingEstimator.CaseMode.None, true, true, false, "R2-D2 & C-3PO", "R-D & C-PO")]
    [InlineData(TextNormalizingEstimator.CaseMode.Lower, false, false, false, "Ça Coûte 3,50 €!", "ca coute  €")]
    public void Normalizer_applies_case_diacritic_punctuation_and_digit_settings(TextNormalizingEstimator.CaseMode caseMode,
        bool keepDiacritics, bool keepPunctuations, bool keepNumbers, string input, string expected)
    {
        var ml = new MLContext(1);
        var estimator = ml.Transforms.Text.NormalizeText("Normalized", "Text", caseMode, keepDiacritics, keepPunctuations, keepNumbers);
        var result = EstimatorWorkout.Run(ml, estimator, Texts(ml, input), Invalid(ml), "Text");

        DataViewCells.Column(result.Output, "Normalized").Should().Equal(expected);
    }

    [Fact]
    public void Normalizer_drops_combining_marks_and_keeps_the_vector_shape()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(new[] { new TextsRow { Texts = ["Cafe\u0301", "ŁÓDŹ"] } });
        var result = EstimatorWorkout.Run(ml, ml.Transforms.Text.NormalizeText("Texts"), data);

        result.Output.Schema["Texts"].Type.Should().Be(new VectorDataViewType(TextDataViewType.Instance));
        DataViewCells.Column(result.Output, "Texts").Should().Equal("[cafe, lodz]");
    }

    [Fact]
    public void Normalizer_defaults_are_lower_case_without_diacritics()
    {
        var ml = new MLContext(1);
        var model = ml.Transforms.Text.NormalizeText("Out", "Text").Fit(Texts(ml, "Ünïcödé, Text 1"));
        DataViewCells.Column(model.Transform(Texts(ml, "Ünïcödé, Text 1")), "Out").Should().Equal("unicode, text 1");
    }
}
