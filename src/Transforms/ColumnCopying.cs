using MLNetExt.Data;

namespace MLNetExt.Transforms;

/// <summary>
/// Copies a column under a new name, type and annotations included, as ML.NET's <c>ColumnCopyingEstimator</c>.
/// Made by <c>mlContext.Transforms.CopyColumns</c>.
/// </summary>
public sealed class ColumnCopyingEstimator : IEstimator<ColumnCopyingTransformer>
{
    private readonly string _outputColumnName;
    private readonly string _inputColumnName;

    internal ColumnCopyingEstimator(string outputColumnName, string inputColumnName)
    {
        _outputColumnName = ColumnChecks.RequireName(outputColumnName, nameof(outputColumnName));
        _inputColumnName = ColumnChecks.RequireName(inputColumnName, nameof(inputColumnName));
    }

    /// <summary>Nothing to learn: checks the schema and returns the transformer.</summary>
    /// <param name="input">The data; only its schema is checked.</param>
    public ColumnCopyingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var transformer = new ColumnCopyingTransformer(_outputColumnName, _inputColumnName);
        transformer.GetOutputSchema(input.Schema);
        return transformer;
    }

    /// <summary>Adds the copy, shaped exactly as the input column.</summary>
    /// <param name="inputSchema">The input's shape.</param>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var input = ColumnChecks.Find(inputSchema, _inputColumnName);
        return new SchemaShape(inputSchema.Append(ColumnChecks.Shape(_outputColumnName, input.Kind, input.ItemType, input.IsKey, input.Annotations)));
    }
}

/// <summary>The column copy; saved as kind <c>"ColumnCopying"</c>.</summary>
public sealed class ColumnCopyingTransformer : ColumnMappingTransformer
{
    internal const string Kind = "ColumnCopying";

    internal ColumnCopyingTransformer(string outputColumnName, string inputColumnName)
        : base(Kind, outputColumnName, inputColumnName)
    {
    }

    internal static ColumnCopyingTransformer Load(ModelLoadContext context)
    {
        var (output, input) = LoadNames(context);
        return new ColumnCopyingTransformer(output, input);
    }

    private protected override AddedColumn[] Bind(DataViewSchema schema)
    {
        var input = ColumnChecks.Find(schema, InputColumnName);
        var output = new DataViewSchema.DetachedColumn(OutputColumnName, input.Type, input.Annotations);
        return [new AddedColumn(output, [input], new CopyGetter(input))];
    }

    private sealed class CopyGetter(DataViewSchema.Column input) : ColumnGetterFactory
    {
        public override ValueGetter<TValue> Make<TValue>(DataViewRow row) => row.GetGetter<TValue>(input);
    }
}
