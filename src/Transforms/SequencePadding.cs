using MLNetExt.Transforms.Persistence;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetExt.Transforms.Saving;

namespace MLNetExt.Transforms;

/// <summary>
/// Pads or truncates each row's sequence (a vector of Single, Int32 or keys) to a fixed length, for models that take
/// fixed-size inputs (an MLNetExt transform; Keras' <c>pad_sequences</c>). Optionally adds the number of real items
/// kept (Int32) and a mask (a vector of Single, 1 for real items and 0 for padding) as further columns.
/// Made by <c>mlContext.Transforms.PadSequence</c>.
/// </summary>
/// <remarks>
/// A sequence longer than <see cref="Options.MaximumLength"/> loses items on the <see cref="Options.TruncationSide"/>
/// (Right keeps the first items, Left the last); a shorter one gets <see cref="Options.PadValue"/> items on the
/// <see cref="Options.PaddingSide"/>. The output keeps the input's item type (a key type with its annotations), so a
/// padded key column still maps back to its values; pad keys with 0, the missing key, unless a key is reserved for it.
/// </remarks>
public sealed class SequencePaddingEstimator : IEstimator<SequencePaddingTransformer>
{
    private readonly Options _options;

    /// <summary>Where padding goes.</summary>
    public enum PaddingSide
    {
        /// <summary>Before the items.</summary>
        Left = 0,

        /// <summary>After the items.</summary>
        Right = 1,
    }

    /// <summary>Which end of a too-long sequence is cut off.</summary>
    public enum TruncationSide
    {
        /// <summary>The first items are dropped (the last ones are kept).</summary>
        Left = 0,

        /// <summary>The last items are dropped (the first ones are kept).</summary>
        Right = 1,
    }

    /// <summary>The settings of <see cref="SequencePaddingEstimator"/>.</summary>
    public sealed class Options
    {
        /// <summary>The fixed-size output column; required.</summary>
        public string OutputColumnName { get; set; } = "";

        /// <summary>The sequence column; null means <see cref="OutputColumnName"/>.</summary>
        public string? InputColumnName { get; set; }

        /// <summary>The output length; at least 1.</summary>
        public int MaximumLength { get; set; } = 1;

        /// <summary>The padding item; a finite number, a whole number for Int32 items, a key in [0, count] for key items.</summary>
        public float PadValue { get; set; }

        /// <summary>Where padding goes.</summary>
        public PaddingSide PaddingSide { get; set; } = PaddingSide.Right;

        /// <summary>Which end of a too-long sequence is cut off.</summary>
        public TruncationSide TruncationSide { get; set; } = TruncationSide.Right;

        /// <summary>An Int32 column to add with the number of real items kept; null adds none.</summary>
        public string? LengthColumnName { get; set; }

        /// <summary>A column to add with a Single vector of 1 (real item) and 0 (padding); null adds none.</summary>
        public string? MaskColumnName { get; set; }
    }

    internal SequencePaddingEstimator(Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ColumnChecks.RequireName(options.OutputColumnName, nameof(options.OutputColumnName));
        if (options.MaximumLength < 1)
            throw new ArgumentOutOfRangeException(nameof(options.MaximumLength), options.MaximumLength, "MaximumLength must be at least 1.");
        if (!float.IsFinite(options.PadValue))
            throw new ArgumentOutOfRangeException(nameof(options.PadValue), options.PadValue, "PadValue must be a finite number.");
        if (!Enum.IsDefined(options.PaddingSide))
            throw new ArgumentOutOfRangeException(nameof(options.PaddingSide), options.PaddingSide, "Expected Left or Right.");
        if (!Enum.IsDefined(options.TruncationSide))
            throw new ArgumentOutOfRangeException(nameof(options.TruncationSide), options.TruncationSide, "Expected Left or Right.");
        var names = new[] { options.OutputColumnName, options.LengthColumnName, options.MaskColumnName }.Where(n => n is not null).ToArray();
        if (names.Any(n => n!.Length == 0) || names.Distinct().Count() != names.Length)
            throw new ArgumentException("The output, length and mask column names must be distinct and non-empty.", nameof(options));
        _options = new Options
        {
            OutputColumnName = options.OutputColumnName,
            InputColumnName = options.InputColumnName ?? options.OutputColumnName,
            MaximumLength = options.MaximumLength,
            PadValue = options.PadValue,
            PaddingSide = options.PaddingSide,
            TruncationSide = options.TruncationSide,
            LengthColumnName = options.LengthColumnName,
            MaskColumnName = options.MaskColumnName,
        };
    }

    /// <summary>The validated settings, for the transformer.</summary>
    internal Options OptionsForTransformer => _options;

    /// <summary>Nothing to learn: checks the schema and the pad value and returns the transformer.</summary>
    /// <param name="input">The data; only its schema is checked.</param>
    public SequencePaddingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var transformer = new SequencePaddingTransformer(_options);
        transformer.GetOutputSchema(input.Schema);
        return transformer;
    }

    /// <summary>Adds the fixed-size vector (and the length and mask columns when asked for).</summary>
    /// <param name="inputSchema">The input's shape.</param>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var input = ColumnChecks.Find(inputSchema, _options.InputColumnName!);
        if (input.Kind == SchemaShape.Column.VectorKind.Scalar || !SequencePaddingTransformer.IsSupported(input.ItemType, input.IsKey))
            throw ColumnChecks.WrongType(input, SequencePaddingTransformer.Expected);
        var columns = inputSchema.Append(ColumnChecks.Shape(_options.OutputColumnName, SchemaShape.Column.VectorKind.Vector,
            input.ItemType, input.IsKey, input.Annotations));
        if (_options.LengthColumnName is { } length)
            columns = columns.Append(ColumnChecks.Shape(length, SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.Int32, false));
        if (_options.MaskColumnName is { } mask)
            columns = columns.Append(ColumnChecks.Shape(mask, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, false));
        return new SchemaShape(columns);
    }
}

/// <summary>The sequence pad/truncate; saved as kind <c>"SequencePadding"</c>.</summary>
public sealed class SequencePaddingTransformer : ColumnAddingTransformer
{
    internal const string Kind = "SequencePadding";
    internal const string Expected = "a vector of Single, Int32 or keys";

    private readonly SequencePaddingEstimator.Options _options;

    internal SequencePaddingTransformer(SequencePaddingEstimator.Options options) => _options = options;

    /// <summary>The output length.</summary>
    public int MaximumLength => _options.MaximumLength;

    internal static bool IsSupported(DataViewType item, bool isKey) =>
        isKey || item.Equals(NumberDataViewType.Single) || item.Equals(NumberDataViewType.Int32);

    /// <inheritdoc />
    private protected override ITransformer CreateSavableForm() => throw NotYetSavable();

    /// <inheritdoc />
    private protected override ExportedGraph ExportGraph() => throw NotYetSavable();

    private NotSupportedException NotYetSavable() =>
        new($"Saving a {GetType().Name} into an ML.NET model file is not available yet.");

    /// <summary>Saves the settings.</summary>
    /// <param name="context">The context to write into.</param>
    internal void WriteNativeState(NativeModelWriter context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.SetKind(Kind);
        context.SetOptions(_options);
    }

    internal static SequencePaddingTransformer Load(NativeModelReader context) =>
        // The estimator's constructor validates the options as it would for a new pipeline.
        new(new SequencePaddingEstimator(context.GetOptions<SequencePaddingEstimator.Options>()).OptionsForTransformer);

    private protected override AddedColumn[] Bind(DataViewSchema schema)
    {
        var input = ColumnChecks.Find(schema, _options.InputColumnName!);
        if (input.Type is not VectorDataViewType vector || !IsSupported(vector.ItemType, vector.ItemType is KeyDataViewType))
            throw ColumnChecks.WrongType(input.Name, Expected, input.Type);
        var item = vector.ItemType;
        var columns = new List<AddedColumn>
        {
            item switch
            {
                KeyDataViewType key => Padded(input, PadAs<uint>(input, key.Count), new VectorDataViewType(key, _options.MaximumLength)),
                _ when item.Equals(NumberDataViewType.Int32) => Padded(input, PadAs<int>(input, 0), new VectorDataViewType(item, _options.MaximumLength)),
                _ => Padded(input, _options.PadValue, new VectorDataViewType(item, _options.MaximumLength)),
            },
        };
        if (_options.LengthColumnName is { } lengthName)
        {
            columns.Add(new AddedColumn(new DataViewSchema.DetachedColumn(lengthName, NumberDataViewType.Int32), [input],
                ColumnGetterFactory.Of<int>(row => LengthGetter(row, input))));
        }
        if (_options.MaskColumnName is { } maskName)
        {
            columns.Add(new AddedColumn(new DataViewSchema.DetachedColumn(maskName, new VectorDataViewType(NumberDataViewType.Single, _options.MaximumLength)),
                [input], ColumnGetterFactory.Of<VBuffer<float>>(row => MaskGetter(row, input))));
        }
        return [.. columns];
    }

    private T PadAs<T>(DataViewSchema.Column input, ulong keyCount)
    {
        float pad = _options.PadValue;
        bool isKey = typeof(T) == typeof(uint);
        double max = isKey ? keyCount : int.MaxValue;
        double min = isKey ? 0 : int.MinValue;
        if (pad != MathF.Round(pad) || pad < min || pad > max)
            throw new ArgumentOutOfRangeException("padValue",
                $"Column '{input.Name}' holds {(isKey ? $"keys in [0, {keyCount}]" : "Int32 values")}, so the pad value must be one of them, not {pad}.");
        return isKey ? (T)(object)(uint)pad : (T)(object)(int)pad;
    }

    private AddedColumn Padded<T>(DataViewSchema.Column input, T pad, VectorDataViewType outputType)
    {
        var output = new DataViewSchema.DetachedColumn(_options.OutputColumnName, outputType, input.Annotations);
        int maximum = _options.MaximumLength;
        bool keepLast = _options.TruncationSide == SequencePaddingEstimator.TruncationSide.Left;
        bool padLeft = _options.PaddingSide == SequencePaddingEstimator.PaddingSide.Left;
        return new AddedColumn(output, [input], ColumnGetterFactory.Of<VBuffer<T>>(row =>
        {
            var getter = row.GetGetter<VBuffer<T>>(input);
            VBuffer<T> sequence = default;
            return (ref VBuffer<T> value) =>
            {
                getter(ref sequence);
                var items = sequence.GetValues();
                int kept = Math.Min(items.Length, maximum);
                var source = keepLast ? items[(items.Length - kept)..] : items[..kept];
                var editor = VBufferEditor.Create(ref value, maximum);
                var destination = editor.Values;
                int start = padLeft ? maximum - kept : 0;
                destination.Fill(pad);
                source.CopyTo(destination[start..]);
                value = editor.Commit();
            };
        }));
    }

    private ValueGetter<int> LengthGetter(DataViewRow row, DataViewSchema.Column input)
    {
        var count = ItemCounter(row, input);
        int maximum = _options.MaximumLength;
        return (ref int value) => value = Math.Min(count(), maximum);
    }

    private ValueGetter<VBuffer<float>> MaskGetter(DataViewRow row, DataViewSchema.Column input)
    {
        var count = ItemCounter(row, input);
        int maximum = _options.MaximumLength;
        bool padLeft = _options.PaddingSide == SequencePaddingEstimator.PaddingSide.Left;
        return (ref VBuffer<float> value) =>
        {
            int kept = Math.Min(count(), maximum);
            var editor = VBufferEditor.Create(ref value, maximum);
            var mask = editor.Values;
            mask.Clear();
            mask.Slice(padLeft ? maximum - kept : 0, kept).Fill(1f);
            value = editor.Commit();
        };
    }

    /// <summary>Reads the number of items of the current row's sequence, whatever its item type.</summary>
    private static Func<int> ItemCounter(DataViewRow row, DataViewSchema.Column input) =>
        ItemTypes.Visit(((VectorDataViewType)input.Type).ItemType, new Counter(row, input));

    private sealed class Counter(DataViewRow row, DataViewSchema.Column input) : IItemTypeVisitor<Func<int>>
    {
        public Func<int> Visit<T>() where T : struct
        {
            var getter = row.GetGetter<VBuffer<T>>(input);
            VBuffer<T> buffer = default;
            return () =>
            {
                getter(ref buffer);
                return buffer.Length;
            };
        }
    }
}
