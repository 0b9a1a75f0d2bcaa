using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetExt.Trainers.Sequence;

namespace MLNetExt.Cli.Data;

/// <summary>
/// A numeric series column read in file order and cut into a forecaster's rows: Features, the W values of a window
/// (Vector&lt;Single, W&gt;), and Label, the H values after it (Vector&lt;Single, H&gt;). <c>mlnetext sequence --task
/// forecast</c> trains on these rows, so a saved forecaster's input schema records W and H, and <c>evaluate</c> and
/// <c>predict</c> can cut a raw series the same way.
/// </summary>
internal static class SeriesWindows
{
    /// <summary>A forecasting row: the past window and the values after it.</summary>
    public sealed class Row
    {
        public float[] Features = [];

        public float[] Label = [];
    }

    /// <summary>A forecasting row without the values after the window (the newest window has none).</summary>
    public sealed class FeaturesRow
    {
        public float[] Features = [];
    }

    /// <summary>The values of the numeric column <paramref name="seriesName"/>, in file order.</summary>
    /// <exception cref="CliException">The column is missing or not numeric, or a value is missing or not finite.</exception>
    public static float[] Read(MLContext ml, DelimitedHeader header, string seriesName, string optionName)
    {
        int index = header.IndexOf(seriesName, optionName);
        if (!header.IsNumeric[index])
            throw new CliException($"Series column '{seriesName}' must be numeric.");
        var data = DatasetLoader.Load(ml, header, [new TextLoader.Column(seriesName, DataKind.Single, index)]);
        var column = data.Schema[seriesName];
        var values = new List<float>();
        using var cursor = data.GetRowCursor([column]);
        var getter = cursor.GetGetter<float>(column);
        float value = 0;
        while (cursor.MoveNext())
        {
            getter(ref value);
            if (!float.IsFinite(value))
                throw new CliException($"Series column '{seriesName}', row {cursor.Position}: the value is missing or not a finite number.");
            values.Add(value);
        }
        return [.. values];
    }

    /// <summary>The most values of all the windows cut from a series (windows × (window + horizon)): 2^26, 256 MiB as floats.</summary>
    public const long MaxWindowValues = 1L << 26;

    /// <summary>
    /// Checks that the windows cut from <paramref name="count"/> values stay within <see cref="MaxWindowValues"/>: every
    /// window is its own row, so a wide window over a long series multiplies the series' memory.
    /// </summary>
    public static void CheckSize(DelimitedHeader header, int count, int window, int horizon, string options)
    {
        long windows = Math.Max(0L, (long)count - window - horizon + 1);
        long values = windows * ((long)window + horizon);
        if (values > MaxWindowValues)
            throw new CliException($"Dataset file '{header.Path}': {count:N0} values cut into {windows:N0} windows of {window:N0} + {horizon:N0} make {values:N0} values, "
                + $"more than the {MaxWindowValues:N0} mlnetext holds: the series is too long for {options}.");
    }

    /// <summary>Every window of <paramref name="window"/> values followed by <paramref name="horizon"/> more, oldest first.</summary>
    public static Row[] Rows(ReadOnlySpan<float> values, int window, int horizon) =>
        [.. ForecastWindows.Create(values, window, horizon).Select(r => new Row { Features = r.Window, Label = r.Next })];

    /// <summary>The schema of <see cref="Row"/> with both vectors' sizes fixed, which a saved model's input schema keeps.</summary>
    public static SchemaDefinition Schema(int window, int horizon)
    {
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, window);
        schema[nameof(Row.Label)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, horizon);
        return schema;
    }

    /// <summary>
    /// The series cut into the windows of a saved forecaster: with <paramref name="labels"/> every window that has
    /// the model's H values after it (to evaluate); without, every window of W values, the newest included (to
    /// predict what follows each, the last row being the forecast past the end of the series).
    /// </summary>
    /// <exception cref="CliException">The model is not a forecaster with a recorded window, or the series is shorter than one row.</exception>
    public static IDataView ForModel(MLContext ml, DelimitedHeader header, string seriesName, DataViewSchema inputSchema, string modelPath, bool labels)
    {
        if (inputSchema.GetColumnOrNull(nameof(Row.Features)) is not { Type: VectorDataViewType { ItemType: var item, Size: var window } }
            || item != NumberDataViewType.Single || window < 1
            || inputSchema.GetColumnOrNull(nameof(Row.Label)) is not { } label)
            throw new CliException($"--series-col needs a forecaster saved by 'mlnetext sequence --task forecast' (it reads a Features window of a "
                + $"recorded size and predicts a Label); model '{modelPath}' is not one. Pass a file of its input columns instead.");
        int horizon = label.Type is VectorDataViewType { Size: > 0 } vector ? vector.Size : 1;
        var values = Read(ml, header, seriesName, "--series-col");
        CheckSize(header, values.Length, window, labels ? horizon : 0, $"the model's window of {window}" + (labels ? $" and horizon of {horizon}" : ""));
        int needed = labels ? window + horizon : window;
        if (values.Length < needed)
            throw new CliException($"Series column '{seriesName}' of '{header.Path}' has {values.Length} values; the model's window of {window}"
                + (labels ? $" and horizon of {horizon} need at least {needed}." : $" needs at least {needed}."));
        if (labels)
            return ml.Data.LoadFromEnumerable(Rows(values, window, horizon), Schema(window, horizon));
        var features = new FeaturesRow[values.Length - window + 1];
        for (int start = 0; start < features.Length; start++)
            features[start] = new FeaturesRow { Features = values.AsSpan(start, window).ToArray() };
        var schema = SchemaDefinition.Create(typeof(FeaturesRow));
        schema[nameof(FeaturesRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, window);
        return ml.Data.LoadFromEnumerable(features, schema);
    }
}
