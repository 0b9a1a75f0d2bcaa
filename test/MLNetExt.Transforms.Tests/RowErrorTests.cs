namespace MLNetExt.Transforms.Tests;

public class RowErrorTests
{
    public sealed class Row
    {
        public bool Label;

        [VectorType(3)]
        public float[] B = [];
    }

    [Fact]
    public void A_value_that_contradicts_its_column_type_is_reported_with_the_column_and_the_row()
    {
        var ml = new MLContext(1);
        var rows = Enumerable.Range(0, 8).Select(i => new Row { Label = i % 2 == 0, B = [i, -i, 1] }).ToArray();
        var model = ml.BinaryClassification.Trainers.Mlp(featureColumnName: "B", hiddenLayers: [2], numberOfEpochs: 1).Fit(ml.Data.LoadFromEnumerable(rows));
        var output = model.Transform(new WrongLengthDataView());

        FluentActions.Invoking(() => DataViewCells.ReadAll(output))
            .Should().Throw<InvalidOperationException>().WithMessage("Column 'B', row 1: the vector has 2 values, expected 3.");
    }
}
