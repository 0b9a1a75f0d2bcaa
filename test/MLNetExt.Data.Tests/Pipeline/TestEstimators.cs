using MLNetExt.Data.Tests.Infrastructure;

namespace MLNetExt.Data.Tests.Pipeline;

/// <summary>Learns the largest absolute value of a Vector&lt;Single&gt; column and divides by it into a new column.</summary>
public sealed class MaxAbsScalingEstimator(string inputColumn, string outputColumn) : IEstimator<MaxAbsScalingTransformer>
{
    public int FitCount { get; private set; }

    public MaxAbsScalingTransformer Fit(IDataView input)
    {
        FitCount++;
        var column = input.Schema[inputColumn];
        float max = 0;
        using var cursor = input.GetRowCursor([column]);
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        VBuffer<float> value = default;
        while (cursor.MoveNext())
        {
            getter(ref value);
            foreach (float v in value.GetValues())
                max = Math.Max(max, Math.Abs(v));
        }
        return new MaxAbsScalingTransformer(inputColumn, outputColumn, max);
    }

    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        var input = SchemaMismatch.Require(inputSchema, "input", inputColumn, ExpectedShape(inputColumn));
        return new SchemaShape(inputSchema.Append(new SchemaShape.Column(outputColumn, input.Kind, NumberDataViewType.Single, false)));
    }

    internal static SchemaShape.Column ExpectedShape(string name) =>
        new(name, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, false);
}

public sealed class MaxAbsScalingTransformer(string inputColumn, string outputColumn, float maxAbs) : ITransformer
{
    public float MaxAbs => maxAbs;

    public bool IsRowToRowMapper => true;

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        var column = inputSchema.GetColumnOrNull(inputColumn)
            ?? throw SchemaMismatch.ColumnNotFound(nameof(inputSchema), "input", inputColumn);
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(inputSchema);
        builder.AddColumn(outputColumn, column.Type);
        return builder.ToSchema();
    }

    public IDataView Transform(IDataView input) =>
        new MappedColumnDataView<VBuffer<float>>(input, inputColumn, outputColumn, input.Schema[inputColumn].Type,
            values => new VBuffer<float>(values.Length, [.. values.Select(v => maxAbs == 0 ? 0 : v / maxAbs)]));
}

/// <summary>Sums a Vector&lt;Single&gt; column into a Single column; nothing to learn.</summary>
public sealed class SumEstimator(string inputColumn, string outputColumn) : IEstimator<SumTransformer>
{
    public SumTransformer Fit(IDataView input) => new(inputColumn, outputColumn);

    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        SchemaMismatch.Require(inputSchema, "input", inputColumn, MaxAbsScalingEstimator.ExpectedShape(inputColumn));
        return new SchemaShape(inputSchema.Append(new SchemaShape.Column(outputColumn, SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.Single, false)));
    }
}

public sealed class SumTransformer(string inputColumn, string outputColumn) : ITransformer
{
    public bool IsRowToRowMapper => true;

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        _ = inputSchema.GetColumnOrNull(inputColumn) ?? throw SchemaMismatch.ColumnNotFound(nameof(inputSchema), "input", inputColumn);
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(inputSchema);
        builder.AddColumn(outputColumn, NumberDataViewType.Single);
        return builder.ToSchema();
    }

    public IDataView Transform(IDataView input) =>
        new MappedColumnDataView<float>(input, inputColumn, outputColumn, NumberDataViewType.Single, values => values.Sum());
}
