using MLNetExt.Data;

namespace MLNetExt.Transforms.Conversion;

/// <summary>
/// Learns the distinct values of a column and maps each to a key, as ML.NET's <c>ValueToKeyMappingEstimator</c>:
/// a scalar or vector of Single, Double, Int32, UInt32, Boolean or text becomes a key (or vector of keys of the same
/// size) of type <c>Key&lt;UInt32&gt;</c>, annotated with the values the keys stand for (<c>KeyValues</c>).
/// Made by <c>mlContext.Transforms.Conversion.MapValueToKey</c>.
/// </summary>
/// <remarks>
/// <para>As in ML.NET, keys count from 1, key 0 means missing, NaN values are missing, and a value not seen in training
/// maps to the missing key 0.</para>
/// <para>MLNetExt additions: <see cref="Options.MinimumCount"/> drops values seen fewer times in training, and
/// <see cref="Options.ReserveUnknownKey"/> reserves key 1 for values not in the vocabulary (the learned values then
/// take keys 2, 3, ...), so that a model can tell "unknown" from "missing". The reserved key's entry in the key-value
/// annotation is the item type's default (empty text, 0, false), or empty text when the values are annotated as text.</para>
/// </remarks>
public sealed class ValueToKeyMappingEstimator : IEstimator<ValueToKeyMappingTransformer>
{
    private readonly Options _options;

    /// <summary>How the learned values are ordered, which decides their keys.</summary>
    public enum KeyOrdinality
    {
        /// <summary>In the order each value first appears in the training data.</summary>
        ByOccurrence = 0,

        /// <summary>By value: numbers ascending, text ordinally.</summary>
        ByValue = 1,
    }

    /// <summary>The settings of <see cref="ValueToKeyMappingEstimator"/>.</summary>
    public sealed class Options
    {
        /// <summary>The key column to add; required.</summary>
        public string OutputColumnName { get; set; } = "";

        /// <summary>The column to map; null means <see cref="OutputColumnName"/>.</summary>
        public string? InputColumnName { get; set; }

        /// <summary>The most values kept (the first ones in <see cref="KeyOrdinality.ByOccurrence"/> order); at least 1.</summary>
        public int MaximumNumberOfKeys { get; set; } = 1_000_000;

        /// <summary>How the kept values are ordered.</summary>
        public KeyOrdinality KeyOrdinality { get; set; } = KeyOrdinality.ByOccurrence;

        /// <summary>Whether the <c>KeyValues</c> annotation holds the values as text instead of their own type.</summary>
        public bool AddKeyValueAnnotationsAsText { get; set; }

        /// <summary>The fewest times a value must appear in training to get a key; at least 1 (MLNetExt).</summary>
        public int MinimumCount { get; set; } = 1;

        /// <summary>Whether key 1 is reserved for values not seen in training (MLNetExt); false maps them to the missing key 0, as ML.NET does.</summary>
        public bool ReserveUnknownKey { get; set; }
    }

    internal ValueToKeyMappingEstimator(Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ColumnChecks.RequireName(options.OutputColumnName, nameof(options.OutputColumnName));
        if (options.MaximumNumberOfKeys < 1)
            throw new ArgumentOutOfRangeException(nameof(options.MaximumNumberOfKeys), options.MaximumNumberOfKeys, "MaximumNumberOfKeys must be at least 1.");
        if (options.MinimumCount < 1)
            throw new ArgumentOutOfRangeException(nameof(options.MinimumCount), options.MinimumCount, "MinimumCount must be at least 1.");
        if (!Enum.IsDefined(options.KeyOrdinality))
            throw new ArgumentOutOfRangeException(nameof(options.KeyOrdinality), options.KeyOrdinality, "Expected ByOccurrence or ByValue.");
        _options = new Options
        {
            OutputColumnName = options.OutputColumnName,
            InputColumnName = options.InputColumnName ?? options.OutputColumnName,
            MaximumNumberOfKeys = options.MaximumNumberOfKeys,
            KeyOrdinality = options.KeyOrdinality,
            AddKeyValueAnnotationsAsText = options.AddKeyValueAnnotationsAsText,
            MinimumCount = options.MinimumCount,
            ReserveUnknownKey = options.ReserveUnknownKey,
        };
    }

    private string InputColumnName => _options.InputColumnName!;

    /// <summary>Counts the values of the input column and keeps the vocabulary the options describe.</summary>
    /// <param name="input">The training data; not changed.</param>
    /// <exception cref="InvalidOperationException">No value qualifies for a key (and no unknown key is reserved).</exception>
    public ValueToKeyMappingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var column = ColumnChecks.Find(input.Schema, InputColumnName, nameof(input));
        var item = ColumnChecks.ItemType(column.Type);
        if (!IsSupported(item))
            throw ColumnChecks.WrongType(column.Name, Expected, column.Type, nameof(input));
        var vocabulary = ItemTypes.Visit(item, new Learner(input, column, _options));
        return new ValueToKeyMappingTransformer(_options.OutputColumnName, InputColumnName, _options.AddKeyValueAnnotationsAsText, vocabulary);
    }

    /// <summary>Adds the key column (same shape as the input) with its <c>KeyValues</c> annotation.</summary>
    /// <param name="inputSchema">The input's shape.</param>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var input = ColumnChecks.Find(inputSchema, InputColumnName);
        if (input.IsKey || !IsSupported(input.ItemType))
            throw ColumnChecks.WrongType(input, Expected);
        var valueType = _options.AddKeyValueAnnotationsAsText ? TextDataViewType.Instance : input.ItemType;
        var annotations = new SchemaShape([ColumnChecks.Shape(AnnotationUtils.Kinds.KeyValues, SchemaShape.Column.VectorKind.Vector, valueType, false)]);
        return new SchemaShape(inputSchema.Append(ColumnChecks.Shape(_options.OutputColumnName, input.Kind, NumberDataViewType.UInt32, true, annotations)));
    }

    internal const string Expected = "Single, Double, Int32, UInt32, Boolean or String, or a vector of them";

    internal static bool IsSupported(DataViewType item) =>
        item is NumberDataViewType or BooleanDataViewType or TextDataViewType;

    private sealed class Learner(IDataView data, DataViewSchema.Column column, Options options) : IItemTypeVisitor<KeyVocabulary>
    {
        public KeyVocabulary Visit<T>() where T : struct
        {
            var counts = new Dictionary<T, int>(ItemTypes.EqualityComparer<T>());
            var firstSeen = new List<T>();
            using (var cursor = data.GetRowCursor([column]))
            {
                if (column.Type is VectorDataViewType)
                {
                    var getter = cursor.GetGetter<VBuffer<T>>(column);
                    VBuffer<T> values = default;
                    while (cursor.MoveNext())
                    {
                        getter(ref values);
                        foreach (var value in values.GetValues())
                            Count(value, counts, firstSeen);
                    }
                }
                else
                {
                    var getter = cursor.GetGetter<T>(column);
                    T value = default!;
                    while (cursor.MoveNext())
                    {
                        getter(ref value);
                        Count(value, counts, firstSeen);
                    }
                }
            }
            var kept = firstSeen.Where(v => counts[v] >= options.MinimumCount).Take(options.MaximumNumberOfKeys).ToArray();
            if (options.KeyOrdinality == KeyOrdinality.ByValue)
                Array.Sort(kept, ItemTypes.Comparer<T>());
            if (kept.Length == 0 && !options.ReserveUnknownKey)
                throw new InvalidOperationException(
                    $"Column '{column.Name}' has no value seen at least {options.MinimumCount} time(s) in the training data, so there is nothing to map to keys.");
            return new KeyVocabulary<T>(kept, options.ReserveUnknownKey);
        }

        private static void Count<T>(T value, Dictionary<T, int> counts, List<T> firstSeen)
            where T : struct
        {
            if (ItemTypes.IsMissing(value))
                return;
            if (counts.TryGetValue(value, out int count))
            {
                counts[value] = count + 1;
                return;
            }
            var detached = ItemTypes.Detach(value);
            counts.Add(detached, 1);
            firstSeen.Add(detached);
        }
    }
}

/// <summary>
/// The fitted value-to-key mapping: the learned values and their keys. Saved as kind <c>"ValueToKeyMapping"</c>
/// with the values as a value list.
/// </summary>
public sealed class ValueToKeyMappingTransformer : ColumnAddingTransformer, ICanSaveModel
{
    internal const string Kind = "ValueToKeyMapping";
    private const string ValuesName = "KeyValues";

    private readonly string _outputColumnName;
    private readonly string _inputColumnName;
    private readonly bool _keyValuesAsText;
    private readonly KeyVocabulary _vocabulary;

    internal ValueToKeyMappingTransformer(string outputColumnName, string inputColumnName, bool keyValuesAsText, KeyVocabulary vocabulary)
    {
        _outputColumnName = outputColumnName;
        _inputColumnName = inputColumnName;
        _keyValuesAsText = keyValuesAsText;
        _vocabulary = vocabulary;
    }

    /// <summary>The saved settings.</summary>
    internal sealed class SavedOptions
    {
        public string OutputColumnName { get; set; } = "";

        public string InputColumnName { get; set; } = "";

        public bool AddKeyValueAnnotationsAsText { get; set; }

        public bool ReserveUnknownKey { get; set; }

        public string ItemType { get; set; } = "";
    }

    /// <summary>The number of keys, the reserved unknown key included.</summary>
    public int KeyCount => _vocabulary.KeyCount;

    /// <summary>Saves the column names, the settings and the learned values in key order.</summary>
    /// <param name="context">The context to write into.</param>
    public void Save(ModelSaveContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.SetKind(Kind);
        context.SetOptions(new SavedOptions
        {
            OutputColumnName = _outputColumnName,
            InputColumnName = _inputColumnName,
            AddKeyValueAnnotationsAsText = _keyValuesAsText,
            ReserveUnknownKey = _vocabulary.ReserveUnknownKey,
            ItemType = _vocabulary.ItemTypeName,
        });
        _vocabulary.SaveValues(context, ValuesName);
    }

    internal static ValueToKeyMappingTransformer Load(ModelLoadContext context)
    {
        var options = context.GetOptions<SavedOptions>();
        if (string.IsNullOrEmpty(options.InputColumnName) || string.IsNullOrEmpty(options.OutputColumnName))
            throw context.Invalid("it needs input and output column names");
        KeyVocabulary vocabulary = options.ItemType switch
        {
            "Single" => KeyVocabulary<float>.Load(context, ValuesName, options.ReserveUnknownKey),
            "Double" => KeyVocabulary<double>.Load(context, ValuesName, options.ReserveUnknownKey),
            "Int32" => KeyVocabulary<int>.Load(context, ValuesName, options.ReserveUnknownKey),
            "UInt32" => KeyVocabulary<uint>.Load(context, ValuesName, options.ReserveUnknownKey),
            "Boolean" => KeyVocabulary<bool>.Load(context, ValuesName, options.ReserveUnknownKey),
            "Text" => KeyVocabulary<ReadOnlyMemory<char>>.Load(context, ValuesName, options.ReserveUnknownKey),
            var other => throw context.Invalid($"its item type '{other}' is not one a value-to-key mapping learns"),
        };
        return new ValueToKeyMappingTransformer(options.OutputColumnName, options.InputColumnName, options.AddKeyValueAnnotationsAsText, vocabulary);
    }

    private protected override AddedColumn[] Bind(DataViewSchema schema)
    {
        var input = ColumnChecks.Find(schema, _inputColumnName);
        if (!ColumnChecks.ItemType(input.Type).Equals(_vocabulary.ItemType))
            throw ColumnChecks.WrongType(input.Name, $"{_vocabulary.ItemType} or a vector of {_vocabulary.ItemType}", input.Type);
        var keyType = new KeyDataViewType(typeof(uint), _vocabulary.KeyCount);
        DataViewType outputType = input.Type is VectorDataViewType vector ? new VectorDataViewType(keyType, [.. vector.Dimensions]) : keyType;
        var output = new DataViewSchema.DetachedColumn(_outputColumnName, outputType, _vocabulary.KeyValuesAnnotation(_keyValuesAsText));
        return [new AddedColumn(output, [input], _vocabulary.MapperOf(input))];
    }
}

/// <summary>The learned values of a value-to-key mapping, independent of their item type.</summary>
internal abstract class KeyVocabulary
{
    public abstract DataViewType ItemType { get; }

    public abstract string ItemTypeName { get; }

    public abstract bool ReserveUnknownKey { get; }

    /// <summary>The number of keys, the reserved unknown key included.</summary>
    public abstract int KeyCount { get; }

    public abstract DataViewSchema.Annotations KeyValuesAnnotation(bool asText);

    public abstract ColumnGetterFactory MapperOf(DataViewSchema.Column input);

    public abstract void SaveValues(ModelSaveContext context, string name);
}

/// <summary>The learned values of type <typeparamref name="T"/> in key order, with the lookup from value to key.</summary>
internal sealed class KeyVocabulary<T> : KeyVocabulary
    where T : struct
{
    private readonly T[] _values;
    private readonly Dictionary<T, uint> _keys;
    private readonly uint _unknownKey;

    public KeyVocabulary(T[] values, bool reserveUnknownKey)
    {
        _values = values;
        ReserveUnknownKey = reserveUnknownKey;
        _unknownKey = reserveUnknownKey ? 1u : 0u;
        uint first = reserveUnknownKey ? 2u : 1u;
        _keys = new Dictionary<T, uint>(values.Length, ItemTypes.EqualityComparer<T>());
        for (int i = 0; i < values.Length; i++)
        {
            if (ItemTypes.IsMissing(values[i]) || !_keys.TryAdd(values[i], first + (uint)i))
                throw new ArgumentException($"The value '{ItemTypes.ToText(values[i])}' is missing or appears twice in the vocabulary.", nameof(values));
        }
    }

    public static KeyVocabulary<T> Load(ModelLoadContext context, string name, bool reserveUnknownKey)
    {
        var values = context.GetValues<T>(name);
        if (values.Length == 0 && !reserveUnknownKey)
            throw context.Invalid($"value list '{name}' is empty, so there are no keys");
        return new KeyVocabulary<T>(values, reserveUnknownKey);
    }

    public override DataViewType ItemType => ItemTypeOf();

    public override string ItemTypeName => ItemType switch
    {
        TextDataViewType => "Text",
        BooleanDataViewType => "Boolean",
        var number => number.ToString()!,
    };

    public override bool ReserveUnknownKey { get; }

    public override int KeyCount => _values.Length + (ReserveUnknownKey ? 1 : 0);

    public override DataViewSchema.Annotations KeyValuesAnnotation(bool asText)
    {
        var builder = new DataViewSchema.Annotations.Builder();
        var prefix = ReserveUnknownKey ? new[] { default(T)! } : [];
        if (asText)
        {
            ReadOnlyMemory<char>[] texts = [.. (ReserveUnknownKey ? [ReadOnlyMemory<char>.Empty] : Array.Empty<ReadOnlyMemory<char>>()),
                .. _values.Select(v => ItemTypes.ToText(v))];
            builder.Add(AnnotationUtils.Kinds.KeyValues, new VectorDataViewType(TextDataViewType.Instance, texts.Length),
                (ref VBuffer<ReadOnlyMemory<char>> value) => VBuffer<ReadOnlyMemory<char>>.Copy(new VBuffer<ReadOnlyMemory<char>>(texts.Length, texts), ref value));
        }
        else
        {
            var values = prefix.Concat(_values).ToArray();
            builder.Add(AnnotationUtils.Kinds.KeyValues, new VectorDataViewType((PrimitiveDataViewType)ItemType, values.Length),
                (ref VBuffer<T> value) => VBuffer<T>.Copy(new VBuffer<T>(values.Length, values), ref value));
        }
        return builder.ToAnnotations();
    }

    public override ColumnGetterFactory MapperOf(DataViewSchema.Column input) => input.Type is VectorDataViewType
        ? ColumnGetterFactory.Of<VBuffer<uint>>(row =>
        {
            var getter = row.GetGetter<VBuffer<T>>(input);
            VBuffer<T> values = default;
            return (ref VBuffer<uint> keys) =>
            {
                getter(ref values);
                var source = values.GetValues();
                var destination = VBuffer<uint>.PrepareDense(ref keys, source.Length);
                for (int i = 0; i < source.Length; i++)
                    destination[i] = KeyOf(source[i]);
            };
        })
        : ColumnGetterFactory.Of<uint>(row =>
        {
            var getter = row.GetGetter<T>(input);
            T value = default!;
            return (ref uint key) =>
            {
                getter(ref value);
                key = KeyOf(value);
            };
        });

    public override void SaveValues(ModelSaveContext context, string name) => context.AddValues<T>(name, _values);

    private uint KeyOf(T value) =>
        ItemTypes.IsMissing(value) ? 0u : _keys.TryGetValue(value, out uint key) ? key : _unknownKey;

    private static PrimitiveDataViewType ItemTypeOf() =>
        typeof(T) == typeof(float) ? NumberDataViewType.Single
        : typeof(T) == typeof(double) ? NumberDataViewType.Double
        : typeof(T) == typeof(int) ? NumberDataViewType.Int32
        : typeof(T) == typeof(uint) ? NumberDataViewType.UInt32
        : typeof(T) == typeof(bool) ? BooleanDataViewType.Instance
        : TextDataViewType.Instance;
}
