namespace MLNetExt.Transforms.Tests;

public class ColumnTransformTests
{
    public sealed class FeaturesRow
    {
        public float A;

        [VectorType(3)]
        public float[] B = [];

        public float C;

        public float[] Tail = [];

        public string Text = "";
    }

    public sealed class BadRow
    {
        public float A;

        public string B = "";

        public float C;
    }

    private static IDataView Data(MLContext ml) => ml.Data.LoadFromEnumerable(new[]
    {
        new FeaturesRow { A = 1, B = [2, 3, 4], C = 5, Tail = [6], Text = "x" },
        new FeaturesRow { A = -1, B = [0, float.NaN, -0f], C = 9, Tail = [], Text = "y" },
    });

    [Fact]
    public void Concatenate_joins_scalars_and_fixed_vectors_into_a_fixed_vector()
    {
        var ml = new MLContext(1);
        var result = EstimatorWorkout.Run(ml, ml.Transforms.Concatenate("Features", "A", "B", "C"), Data(ml),
            ml.Data.LoadFromEnumerable(new[] { new BadRow { A = 1, B = "2", C = 3 } }), "B");

        result.Output.Schema["Features"].Type.Should().Be(new VectorDataViewType(NumberDataViewType.Single, 5));
        DataViewCells.Column(result.Output, "Features").Should().Equal("[1, 2, 3, 4, 5]", "[-1, 0, NaN, -0, 9]");
    }

    [Fact]
    public void Concatenate_with_a_variable_vector_gives_a_variable_vector()
    {
        var ml = new MLContext(1);
        var result = EstimatorWorkout.Run(ml, ml.Transforms.Concatenate("Features", "Tail", "A"), Data(ml));

        result.Output.Schema["Features"].Type.Should().Be(new VectorDataViewType(NumberDataViewType.Single));
        DataViewCells.Column(result.Output, "Features").Should().Equal("[6, 1]", "[-1]");
    }

    [Fact]
    public void Concatenate_rejects_a_column_of_another_item_type_by_name()
    {
        var ml = new MLContext(1);
        var estimator = ml.Transforms.Concatenate("Features", "A", "Text");
        FluentActions.Invoking(() => estimator.Fit(Data(ml))).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'Text'*");
        FluentActions.Invoking(() => estimator.GetOutputSchema(SchemaShape.Create(Data(ml).Schema)))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'Text'*");
        FluentActions.Invoking(() => ml.Transforms.Concatenate("Features")).Should().Throw<ArgumentException>().WithParameterName("inputColumnNames");
    }

    [Fact]
    public void CopyColumns_copies_values_types_and_annotations()
    {
        var ml = new MLContext(1);
        var keyed = ml.Transforms.Conversion.MapValueToKey("Key", "Text").Fit(Data(ml)).Transform(Data(ml));
        var result = EstimatorWorkout.Run(ml, ml.Transforms.CopyColumns("Copy", "Key"), keyed,
            Data(ml), "Key");

        result.Output.Schema["Copy"].Type.Should().Be(keyed.Schema["Key"].Type);
        DataViewCells.Column(result.Output, "Copy").Should().Equal("1", "2");
        var back = ml.Transforms.Conversion.MapKeyToValue("Back", "Copy").Fit(result.Output).Transform(result.Output);
        DataViewCells.Column(back, "Back").Should().Equal("x", "y");
    }
}
