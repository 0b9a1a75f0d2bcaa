using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetExt.Cli.Output;

/// <summary>
/// Scored data whose Score column is checked row by row: a NaN or infinite score is an error that names the model.
/// </summary>
/// <remarks>
/// The CLI reads only finite input values (<see cref="Data.DatasetLoader"/>), so a score that is not a finite number
/// can only come from the model: a weight that is NaN or infinite, or weights large enough to overflow on this row.
/// ML.NET's loader runs a model's ONNX graph as it is and never reads MLNetExt's state (where MLNetExt's own loader
/// refuses such weights), so without this check <c>predict</c> would write NaN predictions and <c>evaluate</c> would
/// fail inside ML.NET's evaluator with a message naming neither the model nor the cause. The error is an
/// <see cref="InvalidOperationException"/>, which <see cref="Data.RowLineDataView"/> rephrases with the file's line.
/// Cursors are sequential, so that a cursor's position is the row's index.
/// </remarks>
internal sealed class FiniteScores(IDataView source, string modelPath) : Data.SequentialView(source)
{
    protected override DataViewRowCursor Wrap(DataViewRowCursor cursor) => new Cursor(cursor, modelPath);

    private sealed class Cursor(DataViewRowCursor source, string modelPath) : Data.WrappingCursor(source)
    {
        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            var getter = Source.GetGetter<TValue>(column);
            if (column.Name != ModelParts.ScoreColumn)
                return getter;
            if (getter is ValueGetter<float> scalar)
            {
                return (ValueGetter<TValue>)(Delegate)(ValueGetter<float>)((ref float value) =>
                {
                    scalar(ref value);
                    if (!float.IsFinite(value))
                        throw NotFinite(value);
                });
            }
            if (getter is ValueGetter<VBuffer<float>> vector)
            {
                return (ValueGetter<TValue>)(Delegate)(ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
                {
                    vector(ref value);
                    foreach (float item in value.GetValues())
                    {
                        if (!float.IsFinite(item))
                            throw NotFinite(item);
                    }
                });
            }
            return getter;
        }

        private InvalidOperationException NotFinite(float value) => new(
            $"model '{modelPath}' gave a score of {(float.IsNaN(value) ? "NaN" : value > 0 ? "+infinity" : "-infinity")} on row {Source.Position + 1}, whose input values are all finite: "
            + "the model's weights are not finite numbers or overflow on this row, so the model file is damaged.");
    }
}
