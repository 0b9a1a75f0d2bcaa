using MLNetExt.Transforms;

namespace MLNetExt.Transforms.Tests;

public class SequencePaddingTests
{
    public sealed class SequenceRow
    {
        public float[] Sequence = [];

        public int[] Ids = [];

        public string Word = "";
    }

    public sealed class TextRow
    {
        public string Sequence = "";
    }

    private static IDataView Data(MLContext ml) => ml.Data.LoadFromEnumerable(new[]
    {
        new SequenceRow { Sequence = [1, 2, 3, 4, 5], Ids = [7, 8, 9, 10, 11], Word = "a b c d e" },
        new SequenceRow { Sequence = [1, 2], Ids = [7], Word = "a" },
        new SequenceRow { Sequence = [], Ids = [], Word = "" },
    });

    private static IDataView Invalid(MLContext ml) => ml.Data.LoadFromEnumerable(new[] { new TextRow { Sequence = "1 2" } });

    [Theory]
    [InlineData(SequencePaddingEstimator.PaddingSide.Right, SequencePaddingEstimator.TruncationSide.Right, "[1, 2, 3]", "[1, 2, -1]", "[1, 1, 1]", "[1, 1, 0]")]
    [InlineData(SequencePaddingEstimator.PaddingSide.Left, SequencePaddingEstimator.TruncationSide.Right, "[1, 2, 3]", "[-1, 1, 2]", "[1, 1, 1]", "[0, 1, 1]")]
    [InlineData(SequencePaddingEstimator.PaddingSide.Right, SequencePaddingEstimator.TruncationSide.Left, "[3, 4, 5]", "[1, 2, -1]", "[1, 1, 1]", "[1, 1, 0]")]
    [InlineData(SequencePaddingEstimator.PaddingSide.Left, SequencePaddingEstimator.TruncationSide.Left, "[3, 4, 5]", "[-1, 1, 2]", "[1, 1, 1]", "[0, 1, 1]")]
    public void Pads_and_truncates_on_the_chosen_sides_with_length_and_mask(SequencePaddingEstimator.PaddingSide padding,
        SequencePaddingEstimator.TruncationSide truncation, string longRow, string shortRow, string longMask, string shortMask)
    {
        var ml = new MLContext(1);
        var estimator = ml.Transforms.PadSequence("Padded", "Sequence", 3, padValue: -1, padding, truncation, "Length", "Mask");
        var result = EstimatorWorkout.Run(ml, estimator, Data(ml), Invalid(ml), "Sequence");

        result.Output.Schema["Padded"].Type.Should().Be(new VectorDataViewType(NumberDataViewType.Single, 3));
        result.Output.Schema["Length"].Type.Should().Be(NumberDataViewType.Int32);
        result.Output.Schema["Mask"].Type.Should().Be(new VectorDataViewType(NumberDataViewType.Single, 3));
        DataViewCells.Column(result.Output, "Padded").Should().Equal(longRow, shortRow, "[-1, -1, -1]");
        DataViewCells.Column(result.Output, "Length").Should().Equal("3", "2", "0");
        DataViewCells.Column(result.Output, "Mask").Should().Equal(longMask, shortMask, "[0, 0, 0]");
    }

    [Fact]
    public void Int32_sequences_keep_their_type_and_need_a_whole_pad_value()
    {
        var ml = new MLContext(1);
        var result = EstimatorWorkout.Run(ml, ml.Transforms.PadSequence("Padded", "Ids", 2), Data(ml));
        result.Output.Schema["Padded"].Type.Should().Be(new VectorDataViewType(NumberDataViewType.Int32, 2));
        DataViewCells.Column(result.Output, "Padded").Should().Equal("[7, 8]", "[7, 0]", "[0, 0]");

        FluentActions.Invoking(() => ml.Transforms.PadSequence("Padded", "Ids", 2, padValue: 1.5f).Fit(Data(ml)))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'Ids'*").And.ParamName.Should().Be("padValue");
    }

    [Fact]
    public void Key_sequences_keep_their_key_type_and_values_so_they_map_back()
    {
        var ml = new MLContext(1);
        var pipeline = ml.Transforms.Text.TokenizeIntoWords("Tokens", "Word")
            .Append(ml.Transforms.Conversion.MapValueToKey("Keys", "Tokens"))
            .Append(ml.Transforms.PadSequence("Padded", "Keys", 4, paddingSide: SequencePaddingEstimator.PaddingSide.Left, maskColumnName: "Mask"))
            .Append(ml.Transforms.Conversion.MapKeyToValue("Back", "Padded"));
        var result = EstimatorWorkout.Run(ml, pipeline, Data(ml));

        result.Output.Schema["Padded"].Type.Should().Be(new VectorDataViewType(new KeyDataViewType(typeof(uint), 5), 4));
        DataViewCells.Column(result.Output, "Padded").Should().Equal("[1, 2, 3, 4]", "[0, 0, 0, 1]", "[0, 0, 0, 0]");
        DataViewCells.Column(result.Output, "Back").Should().Equal("[a, b, c, d]", "[, , , a]", "[, , , ]");

        FluentActions.Invoking(() => ml.Transforms.Conversion.MapValueToKey("Keys", "Word")
                .Append(ml.Transforms.PadSequence("Padded", "Keys", 4, padValue: 9)).Fit(Data(ml)))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'Keys'*");
    }

    [Fact]
    public void Options_are_validated_when_the_estimator_is_made()
    {
        var ml = new MLContext(1);
        FluentActions.Invoking(() => ml.Transforms.PadSequence("P", "Sequence", 0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("MaximumLength");
        FluentActions.Invoking(() => ml.Transforms.PadSequence("P", "Sequence", 2, float.NaN)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("PadValue");
        FluentActions.Invoking(() => ml.Transforms.PadSequence("P", "Sequence", 2, lengthColumnName: "P")).Should().Throw<ArgumentException>();
    }
}
