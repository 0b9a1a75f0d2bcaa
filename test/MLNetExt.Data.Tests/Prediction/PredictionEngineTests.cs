using FluentAssertions;
using MLNetExt.Data.Tests.Pipeline;

namespace MLNetExt.Data.Tests.Prediction;

public class PredictionEngineTests
{
    public sealed class Input
    {
        [VectorType(3)]
        public float[] Features = [];

        public string Text = "";
    }

    public sealed class Output
    {
        public float[] Scaled = [];

        public float Total;

        public string Text = "";
    }

    public sealed class OutputWithExtra
    {
        public float Total;

        public float NotAnOutput;
    }

    private static readonly Input[] s_examples =
    [
        new() { Features = [1, -4, 2], Text = "a" },
        new() { Features = [0, 2, 3], Text = "b" },
        new() { Features = [8, 0, -1], Text = "c" },
    ];

    private static (MLContext Ml, CountingTransformer Model) Fitted()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(s_examples);
        var chain = new MaxAbsScalingEstimator("Features", "Scaled").Append(new SumEstimator("Scaled", "Total")).Fit(data);
        return (ml, new CountingTransformer(chain));
    }

    [Fact]
    public void Predictions_match_the_batch_transform()
    {
        var (ml, model) = Fitted();
        var batch = ml.Data.CreateEnumerable<Output>(model.Transform(ml.Data.LoadFromEnumerable(s_examples)), reuseRowObject: false).ToList();
        using var engine = ml.Model.CreatePredictionEngine<Input, Output>(model);

        var predictions = s_examples.Select(engine.Predict).ToList();

        predictions.Should().BeEquivalentTo(batch, o => o.WithStrictOrdering());
        predictions[0].Scaled.Should().Equal(0.125f, -0.5f, 0.25f);
        engine.OutputSchema.Select(c => c.Name).Should().Equal("Features", "Text", "Scaled", "Total");
    }

    [Fact]
    public void Repeated_predictions_do_no_schema_work_and_reuse_the_output_object()
    {
        var (ml, model) = Fitted();
        using var engine = ml.Model.CreatePredictionEngine<Input, Output>(model);
        int schemaCalls = model.OutputSchemaCalls, transformCalls = model.TransformCalls, cursors = model.CursorsOpened;

        var prediction = new Output();
        engine.Predict(s_examples[0], ref prediction);
        var scaled = prediction.Scaled;
        for (int i = 0; i < 100; i++)
            engine.Predict(s_examples[i % 3], ref prediction);
        engine.Predict(s_examples[1], ref prediction);

        model.OutputSchemaCalls.Should().Be(schemaCalls);
        model.TransformCalls.Should().Be(transformCalls);
        model.CursorsOpened.Should().Be(cursors);
        prediction.Scaled.Should().BeSameAs(scaled, "the array member is refilled in place");
        prediction.Scaled.Should().Equal(0f, 0.25f, 0.375f);
        prediction.Total.Should().BeApproximately(0.625f, 1e-6f);
        prediction.Text.Should().Be("b");
    }

    [Fact]
    public void Missing_output_columns_fail_only_when_asked_to()
    {
        var (ml, model) = Fitted();
        using (var lenient = ml.Model.CreatePredictionEngine<Input, OutputWithExtra>(model))
        {
            var prediction = lenient.Predict(s_examples[2]);
            prediction.NotAnOutput.Should().Be(0);
            prediction.Total.Should().BeApproximately(0.875f, 1e-6f);
        }
        FluentActions.Invoking(() => ml.Model.CreatePredictionEngine<Input, OutputWithExtra>(model, ignoreMissingColumns: false))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'NotAnOutput'*");
    }

    [Fact]
    public void A_transformer_that_is_not_row_to_row_cannot_score_single_rows()
    {
        var (ml, model) = Fitted();
        model.RowToRow = false;
        FluentActions.Invoking(() => ml.Model.CreatePredictionEngine<Input, Output>(model))
            .Should().Throw<InvalidOperationException>().WithMessage("*CountingTransformer*one to one*");
    }

    [Fact]
    public void Row_to_row_mapper_follows_its_input_row()
    {
        var (ml, model) = Fitted();
        var data = ml.Data.LoadFromEnumerable(s_examples);
        var mapper = ((ITransformer)model).GetRowToRowMapper(data.Schema);
        mapper.InputSchema.Should().BeSameAs(data.Schema);
        mapper.GetDependencies([mapper.OutputSchema["Total"]]).Should().HaveCount(data.Schema.Count);

        using var cursor = data.GetRowCursor(data.Schema);
        using var row = mapper.GetRow(cursor, [mapper.OutputSchema["Total"]]);
        var total = row.GetGetter<float>(mapper.OutputSchema["Total"]);
        var totals = new List<float>();
        while (cursor.MoveNext())
        {
            float value = 0;
            total(ref value);
            total(ref value);
            totals.Add(value);
        }
        totals.Should().Equal([-0.125f, 0.625f, 0.875f], (a, b) => Math.Abs(a - b) < 1e-6f);
    }

    /// <summary>Wraps a transformer and counts the schema work done through it.</summary>
    private sealed class CountingTransformer(ITransformer inner) : ITransformer
    {
        public int OutputSchemaCalls { get; private set; }

        public int TransformCalls { get; private set; }

        public int CursorsOpened { get; private set; }

        public bool RowToRow { get; set; } = true;

        public bool IsRowToRowMapper => RowToRow;

        public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
        {
            OutputSchemaCalls++;
            return inner.GetOutputSchema(inputSchema);
        }

        public IDataView Transform(IDataView input)
        {
            TransformCalls++;
            return new CountingView(this, inner.Transform(input));
        }

        private sealed class CountingView(CountingTransformer owner, IDataView inner) : IDataView
        {
            public bool CanShuffle => inner.CanShuffle;

            public DataViewSchema Schema => inner.Schema;

            public long? GetRowCount() => inner.GetRowCount();

            public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
            {
                owner.CursorsOpened++;
                return inner.GetRowCursor(columnsNeeded, rand);
            }

            public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
            {
                owner.CursorsOpened++;
                return inner.GetRowCursorSet(columnsNeeded, n, rand);
            }
        }
    }
}
