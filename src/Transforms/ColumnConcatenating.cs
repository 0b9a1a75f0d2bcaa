using MLNetExt.Data;

namespace MLNetExt.Transforms;

/// <summary>
/// Concatenates scalar and vector columns of one item type into a single vector, in the order given, as ML.NET's
/// <c>ColumnConcatenatingEstimator</c>. The result has a known size when every input has one, else a variable size.
/// Made by <c>mlContext.Transforms.Concatenate</c>.
/// </summary>
public sealed class ColumnConcatenatingEstimator : IEstimator<ColumnConcatenatingTransformer>
{
    private readonly string _outputColumnName;
    private readonly string[] _inputColumnNames;

    internal ColumnConcatenatingEstimator(string outputColumnName, string[] inputColumnNames)
    {
        _outputColumnName = ColumnChecks.RequireName(outputColumnName, nameof(outputColumnName));
        ArgumentNullException.ThrowIfNull(inputColumnNames);
        if (inputColumnNames.Length == 0)
            throw new ArgumentException("At least one input column is needed.", nameof(inputColumnNames));
        foreach (var name in inputColumnNames)
            ColumnChecks.RequireName(name, nameof(inputColumnNames));
        _inputColumnNames = [.. inputColumnNames];
    }

    /// <summary>Nothing to learn: checks the schema and returns the transformer.</summary>
    /// <param name="input">The data; only its schema is checked.</param>
    public ColumnConcatenatingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var transformer = new ColumnConcatenatingTransformer(_outputColumnName, _inputColumnNames);
        transformer.GetOutputSchema(input.Schema);
        return transformer;
    }

    /// <summary>Adds the concatenated vector; every input must have the first input's item type.</summary>
    /// <param name="inputSchema">The input's shape.</param>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var first = ColumnChecks.Find(inputSchema, _inputColumnNames[0]);
        bool variable = false;
        foreach (var name in _inputColumnNames)
        {
            var input = ColumnChecks.Find(inputSchema, name);
            if (!input.ItemType.Equals(first.ItemType) || input.IsKey != first.IsKey)
                throw ColumnChecks.WrongType(input, $"{(first.IsKey ? "Key<" + first.ItemType + ">" : first.ItemType.ToString())} or a vector of it, as column '{first.Name}'");
            variable |= input.Kind == SchemaShape.Column.VectorKind.VariableVector;
        }
        var kind = variable ? SchemaShape.Column.VectorKind.VariableVector : SchemaShape.Column.VectorKind.Vector;
        return new SchemaShape(inputSchema.Append(ColumnChecks.Shape(_outputColumnName, kind, first.ItemType, first.IsKey)));
    }
}

/// <summary>The column concatenation; saved as kind <c>"ColumnConcatenating"</c>.</summary>
public sealed class ColumnConcatenatingTransformer : ColumnAddingTransformer, ICanSaveModel
{
    internal const string Kind = "ColumnConcatenating";

    private readonly string _outputColumnName;
    private readonly string[] _inputColumnNames;

    internal ColumnConcatenatingTransformer(string outputColumnName, string[] inputColumnNames)
    {
        _outputColumnName = outputColumnName;
        _inputColumnNames = inputColumnNames;
    }

    /// <summary>The saved settings.</summary>
    internal sealed class SavedOptions
    {
        public string OutputColumnName { get; set; } = "";

        public string[] InputColumnNames { get; set; } = [];
    }

    /// <summary>Saves the column names.</summary>
    /// <param name="context">The context to write into.</param>
    public void Save(ModelSaveContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.SetKind(Kind);
        context.SetOptions(new SavedOptions { OutputColumnName = _outputColumnName, InputColumnNames = _inputColumnNames });
    }

    internal static ColumnConcatenatingTransformer Load(ModelLoadContext context)
    {
        var options = context.GetOptions<SavedOptions>();
        if (string.IsNullOrEmpty(options.OutputColumnName) || options.InputColumnNames is not { Length: > 0 } || options.InputColumnNames.Any(string.IsNullOrEmpty))
            throw context.Invalid("it needs an output column name and at least one input column name");
        return new ColumnConcatenatingTransformer(options.OutputColumnName, options.InputColumnNames);
    }

    private protected override AddedColumn[] Bind(DataViewSchema schema)
    {
        var inputs = _inputColumnNames.Select(name => ColumnChecks.Find(schema, name)).ToArray();
        var item = (PrimitiveDataViewType)ColumnChecks.ItemType(inputs[0].Type);
        long size = 0;
        bool variable = false;
        foreach (var input in inputs)
        {
            if (!ColumnChecks.ItemType(input.Type).Equals(item))
                throw ColumnChecks.WrongType(input.Name, $"{item} or a vector of {item}, as column '{inputs[0].Name}'", input.Type);
            int inputSize = input.Type is VectorDataViewType vector ? vector.Size : 1;
            variable |= inputSize == 0;
            size += inputSize;
        }
        if (size > int.MaxValue)
            throw new ArgumentOutOfRangeException("inputSchema", $"Column '{_outputColumnName}' would hold {size} items, more than a vector can.");
        var outputType = variable ? new VectorDataViewType(item) : new VectorDataViewType(item, (int)size);
        return [ItemTypes.Visit(item, new Binder(inputs, new DataViewSchema.DetachedColumn(_outputColumnName, outputType)))];
    }

    private sealed class Binder(DataViewSchema.Column[] inputs, DataViewSchema.DetachedColumn output) : IItemTypeVisitor<AddedColumn>
    {
        public AddedColumn Visit<T>() where T : struct => new(output, inputs, ColumnGetterFactory.Of<VBuffer<T>>(row =>
        {
            var parts = inputs.Select(input => Part<T>(row, input)).ToArray();
            var items = new List<T>();
            return (ref VBuffer<T> value) =>
            {
                items.Clear();
                foreach (var part in parts)
                    part(items);
                var destination = VBuffer<T>.PrepareDense(ref value, items.Count);
                items.CopyTo(destination);
            };
        }));

        private static Action<List<T>> Part<T>(DataViewRow row, DataViewSchema.Column input)
        {
            if (input.Type is VectorDataViewType vector)
            {
                var getter = row.GetGetter<VBuffer<T>>(input);
                VBuffer<T> buffer = default;
                return items =>
                {
                    getter(ref buffer);
                    if (vector.IsKnownSize && buffer.Length != vector.Size)
                        throw ColumnChecks.BadValue(input.Name, row, $"the vector has {buffer.Length} items but the column's type holds {vector.Size}");
                    foreach (var item in buffer.GetValues())
                        items.Add(item);
                };
            }
            var scalar = row.GetGetter<T>(input);
            T value = default!;
            return items =>
            {
                scalar(ref value);
                items.Add(value);
            };
        }
    }
}
