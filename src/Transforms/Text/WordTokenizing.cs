using MLNetExt.Data;

namespace MLNetExt.Transforms.Text;

/// <summary>
/// Splits text into words at separator characters, as ML.NET's <c>WordTokenizingEstimator</c>: a text column (or
/// vector of text, whose items are split in turn) becomes a variable-size vector of text, empty words dropped.
/// Made by <c>mlContext.Transforms.Text.TokenizeIntoWords</c>.
/// </summary>
public sealed class WordTokenizingEstimator : IEstimator<WordTokenizingTransformer>
{
    private readonly WordTokenizingTransformer.Options _options;

    internal WordTokenizingEstimator(string outputColumnName, string? inputColumnName, char[]? separators)
    {
        _options = new WordTokenizingTransformer.Options
        {
            OutputColumnName = ColumnChecks.RequireName(outputColumnName, nameof(outputColumnName)),
            InputColumnName = inputColumnName ?? outputColumnName,
            Separators = separators ?? [' '],
        };
        if (_options.Separators.Length == 0)
            throw new ArgumentException("At least one separator is needed.", nameof(separators));
    }

    /// <summary>Nothing to learn: the transformer tokenizes with the given separators.</summary>
    /// <param name="input">The data; only its schema is checked.</param>
    public WordTokenizingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var transformer = new WordTokenizingTransformer(_options);
        transformer.GetOutputSchema(input.Schema);
        return transformer;
    }

    /// <summary>Adds the output column, a variable-size vector of text; the input must be text or a vector of text.</summary>
    /// <param name="inputSchema">The input's shape.</param>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var input = ColumnChecks.Find(inputSchema, _options.InputColumnName);
        if (input.IsKey || !input.ItemType.Equals(TextDataViewType.Instance))
            throw ColumnChecks.WrongType(input, "String or vector of String");
        return new SchemaShape(inputSchema.Append(ColumnChecks.Shape(_options.OutputColumnName,
            SchemaShape.Column.VectorKind.VariableVector, TextDataViewType.Instance, false)));
    }
}

/// <summary>The fitted word tokenizer; saved as kind <c>"WordTokenizing"</c>.</summary>
public sealed class WordTokenizingTransformer : ColumnAddingTransformer, ICanSaveModel
{
    internal const string Kind = "WordTokenizing";

    private readonly Options _options;

    internal WordTokenizingTransformer(Options options) => _options = options;

    /// <summary>The saved settings.</summary>
    internal sealed class Options
    {
        public string OutputColumnName { get; set; } = "";

        public string InputColumnName { get; set; } = "";

        public char[] Separators { get; set; } = [' '];
    }

    /// <summary>Saves the column names and separators.</summary>
    /// <param name="context">The context to write into.</param>
    public void Save(ModelSaveContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.SetKind(Kind);
        context.SetOptions(_options);
    }

    internal static WordTokenizingTransformer Load(ModelLoadContext context)
    {
        var options = context.GetOptions<Options>();
        if (options.Separators is not { Length: > 0 } || string.IsNullOrEmpty(options.InputColumnName) || string.IsNullOrEmpty(options.OutputColumnName))
            throw context.Invalid("it needs input and output column names and at least one separator");
        return new WordTokenizingTransformer(options);
    }

    private protected override AddedColumn[] Bind(DataViewSchema schema)
    {
        var input = ColumnChecks.Find(schema, _options.InputColumnName);
        if (!ColumnChecks.ItemType(input.Type).Equals(TextDataViewType.Instance))
            throw ColumnChecks.WrongType(input.Name, "String or vector of String", input.Type);
        var separators = _options.Separators;
        var output = new DataViewSchema.DetachedColumn(_options.OutputColumnName, new VectorDataViewType(TextDataViewType.Instance));
        var factory = input.Type is VectorDataViewType
            ? ColumnGetterFactory.Of<VBuffer<ReadOnlyMemory<char>>>(row =>
            {
                var getter = row.GetGetter<VBuffer<ReadOnlyMemory<char>>>(input);
                VBuffer<ReadOnlyMemory<char>> texts = default;
                var words = new List<ReadOnlyMemory<char>>();
                return (ref VBuffer<ReadOnlyMemory<char>> value) =>
                {
                    getter(ref texts);
                    words.Clear();
                    foreach (var text in texts.GetValues())
                        Split(text, separators, words);
                    Write(words, ref value);
                };
            })
            : ColumnGetterFactory.Of<VBuffer<ReadOnlyMemory<char>>>(row =>
            {
                var getter = row.GetGetter<ReadOnlyMemory<char>>(input);
                ReadOnlyMemory<char> text = default;
                var words = new List<ReadOnlyMemory<char>>();
                return (ref VBuffer<ReadOnlyMemory<char>> value) =>
                {
                    getter(ref text);
                    words.Clear();
                    Split(text, separators, words);
                    Write(words, ref value);
                };
            });
        return [new AddedColumn(output, [input], factory)];
    }

    /// <summary>Appends the non-empty pieces of <paramref name="text"/> between separators, as slices of it.</summary>
    private static void Split(ReadOnlyMemory<char> text, char[] separators, List<ReadOnlyMemory<char>> words)
    {
        var span = text.Span;
        int start = 0;
        while (start < span.Length)
        {
            int length = span[start..].IndexOfAny(separators);
            if (length < 0)
                length = span.Length - start;
            if (length > 0)
                words.Add(text.Slice(start, length));
            start += length + 1;
        }
    }

    private static void Write(List<ReadOnlyMemory<char>> words, ref VBuffer<ReadOnlyMemory<char>> value)
    {
        var items = VBuffer<ReadOnlyMemory<char>>.PrepareDense(ref value, words.Count);
        words.CopyTo(items);
    }
}
