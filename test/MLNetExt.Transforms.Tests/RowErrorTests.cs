namespace MLNetExt.Transforms.Tests;

public class RowErrorTests
{
    [Fact]
    public void A_value_that_contradicts_its_column_type_is_reported_with_the_column_and_the_row()
    {
        var ml = new MLContext(1);
        var data = new WrongLengthDataView();
        var output = ml.Transforms.Concatenate("Features", "B").Fit(data).Transform(data);

        FluentActions.Invoking(() => DataViewCells.ReadAll(output))
            .Should().Throw<InvalidOperationException>().WithMessage("Column 'B', row 1: the vector has 2 items but the column's type holds 3.");
    }
}
