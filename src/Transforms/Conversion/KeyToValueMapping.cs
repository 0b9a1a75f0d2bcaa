using MLNetExt.Data;

namespace MLNetExt.Transforms.Conversion;

/// <summary>
/// Maps keys back to the values they stand for, as ML.NET's <c>KeyToValueMappingEstimator</c>: a key (or vector of
/// keys) column annotated with <c>KeyValues</c> becomes a column of those values' type, same shape. Key 0 (missing)
/// and keys beyond the annotation map to the missing value: NaN for Single and Double, the default otherwise.
/// Made by <c>mlContext.Transforms.Conversion.MapKeyToValue</c>.
/// </summary>
public sealed class KeyToValueMappingEstimator : IEstimator<KeyToValueMappingTransformer>
{
    private readonly string _outputColumnName;
    private readonly string _inputColumnName;

    internal KeyToValueMappingEstimator(string outputColumnName, string? inputColumnName)
    {
        _outputColumnName = ColumnChecks.RequireName(outputColumnName, nameof(outputColumnName));
        _inputColumnName = inputColumnName ?? outputColumnName;
    }

    /// <summary>Nothing to learn: the values come from the input's annotation.</summary>
    /// <param name="input">The data; only its schema is checked.</param>
    public KeyToValueMappingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var transformer = new KeyToValueMappingTransformer(_outputColumnName, _inputColumnName);
        transformer.GetOutputSchema(input.Schema);
        return transformer;
    }

    /// <summary>Adds the value column; the input must be a key column with a <c>KeyValues</c> annotation.</summary>
    /// <param name="inputSchema">The input's shape.</param>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var input = ColumnChecks.Find(inputSchema, _inputColumnName);
        if (!input.IsKey)
            throw ColumnChecks.WrongType(input, "a key or a vector of keys");
        if (!input.Annotations.TryFindColumn(AnnotationUtils.Kinds.KeyValues, out var keyValues) || keyValues.Kind != SchemaShape.Column.VectorKind.Vector)
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Input column '{_inputColumnName}' doesn't contain key values annotations.");
        return new SchemaShape(inputSchema.Append(ColumnChecks.Shape(_outputColumnName, input.Kind, keyValues.ItemType, keyValues.IsKey)));
    }
}

/// <summary>The key-to-value mapping; saved as kind <c>"KeyToValueMapping"</c> (column names only: the values are read from the input's annotation).</summary>
public sealed class KeyToValueMappingTransformer : ColumnMappingTransformer
{
    internal const string Kind = "KeyToValueMapping";

    internal KeyToValueMappingTransformer(string outputColumnName, string inputColumnName)
        : base(Kind, outputColumnName, inputColumnName)
    {
    }

    internal static KeyToValueMappingTransformer Load(ModelLoadContext context)
    {
        var (output, input) = LoadNames(context);
        return new KeyToValueMappingTransformer(output, input);
    }

    private protected override AddedColumn[] Bind(DataViewSchema schema)
    {
        var input = ColumnChecks.Find(schema, InputColumnName);
        if (ColumnChecks.ItemType(input.Type) is not KeyDataViewType)
            throw ColumnChecks.WrongType(input.Name, "a key or a vector of keys", input.Type);
        if (input.Annotations.Schema.GetColumnOrNull(AnnotationUtils.Kinds.KeyValues) is not { Type: VectorDataViewType { ItemType: var valueType and not KeyDataViewType } } annotation)
            throw new ArgumentOutOfRangeException("inputSchema", $"Input column '{input.Name}' doesn't contain key values annotations.");
        return [ItemTypes.Visit(valueType, new Binder(input, annotation, OutputColumnName))];
    }

    private sealed class Binder(DataViewSchema.Column input, DataViewSchema.Column annotation, string outputName) : IItemTypeVisitor<AddedColumn>
    {
        public AddedColumn Visit<T>() where T : struct
        {
            VBuffer<T> buffer = default;
            input.Annotations.GetGetter<VBuffer<T>>(annotation)(ref buffer);
            var values = buffer.GetValues().ToArray();
            var missing = ItemTypes.Missing<T>();
            var item = ((VectorDataViewType)annotation.Type).ItemType;
            DataViewType outputType = input.Type is VectorDataViewType vector ? new VectorDataViewType(item, [.. vector.Dimensions]) : item;
            var factory = input.Type is VectorDataViewType
                ? ColumnGetterFactory.Of<VBuffer<T>>(row =>
                {
                    var getter = row.GetGetter<VBuffer<uint>>(input);
                    VBuffer<uint> keys = default;
                    return (ref VBuffer<T> value) =>
                    {
                        getter(ref keys);
                        var source = keys.GetValues();
                        var destination = VBuffer<T>.PrepareDense(ref value, source.Length);
                        for (int i = 0; i < source.Length; i++)
                            destination[i] = source[i] - 1 < (uint)values.Length ? values[source[i] - 1] : missing;
                    };
                })
                : ColumnGetterFactory.Of<T>(row =>
                {
                    var getter = row.GetGetter<uint>(input);
                    uint key = 0;
                    return (ref T value) =>
                    {
                        getter(ref key);
                        value = key - 1 < (uint)values.Length ? values[key - 1] : missing;
                    };
                });
            return new AddedColumn(new DataViewSchema.DetachedColumn(outputName, outputType), [input], factory);
        }
    }
}
