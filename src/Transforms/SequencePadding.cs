using MLNetExt.Transforms.Persistence;
using Microsoft.ML;
using System.Globalization;
using Microsoft.ML.Data;
using MLNetExt.Core;
using MLNetExt.Core.Onnx;
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
        var sequence = ColumnChecks.Find(input.Schema, _options.InputColumnName!, nameof(input));
        if (sequence.Type is not VectorDataViewType vector || !SequencePaddingTransformer.IsSupported(vector.ItemType, vector.ItemType is KeyDataViewType))
            throw ColumnChecks.WrongType(sequence.Name, SequencePaddingTransformer.Expected, sequence.Type, nameof(input));
        var transformer = new SequencePaddingTransformer(_options, SequenceItem.Of(sequence));
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

/// <summary>
/// The sequence pad/truncate; saved as kind <c>"SequencePadding"</c>.
/// </summary>
/// <remarks>
/// <para>In an ML.NET model file (<c>mlContext.Model.Save</c>) it is saved as ML.NET's own transformers, so plain
/// ML.NET loads and scores it: an <c>OnnxTransformer</c> over <see cref="ColumnAddingTransformer.ExportOnnx"/>'s
/// graph, then</para>
/// <list type="bullet">
/// <item>the padded column: a <c>CopyColumns</c> of the graph's padded items (Single, Int32); for keys, a
/// <c>MapValueToKey</c> over the graph's padded key <em>values</em> with the fitted column's key values as its key
/// data, which rebuilds the same key type and <c>KeyValues</c> annotation (a pad or missing key becomes a value
/// outside the key data, so key 0);</item>
/// <item>the length column: ML.NET's regression scorer with weight 1 over the graph's one-slot length (OnnxTransformer
/// cannot return a scalar, and no other public ML.NET transform turns a one-slot vector into one), then a
/// <c>MapValue</c> of each length 0..N from Single to Int32 (ML.NET converts no Single to Int32); the scorer's
/// <c>Score</c> column is dropped, so an input column named <c>Score</c> does not survive a saved model that adds a
/// length column;</item>
/// <item>the mask column: a <c>CopyColumns</c> of the graph's mask.</item>
/// </list>
/// <para>The saved form reads the item type the transformer was fitted on (the native transformer takes any
/// supported one). A key column is savable when its <c>KeyValues</c> are text, distinct and non-empty, as
/// <c>MapValueToKey</c> makes them; saving another key column throws <see cref="NotSupportedException"/>.</para>
/// </remarks>
public sealed class SequencePaddingTransformer : ColumnAddingTransformer
{
    internal const string Kind = "SequencePadding";
    internal const string Expected = "a vector of Single, Int32 or keys";

    // The graph's outputs: intermediate columns of the saved form, renamed or converted into the output columns.
    private const string PaddedOutput = "MLNetExt.Padded";
    private const string LengthOutput = "MLNetExt.Length";
    private const string MaskOutput = "MLNetExt.Mask";

    // ML.NET's regression scorer always names its output so.
    private const string ScoreColumn = "Score";

    private const string ItemName = "item";
    private const string KeyValuesName = "keyValues";

    private readonly SequencePaddingEstimator.Options _options;
    private readonly SequenceItem _item;

    internal SequencePaddingTransformer(SequencePaddingEstimator.Options options, SequenceItem item)
    {
        _options = options;
        _item = item;
    }

    /// <summary>The output length.</summary>
    public int MaximumLength => _options.MaximumLength;

    internal static bool IsSupported(DataViewType item, bool isKey) =>
        isKey || item.Equals(NumberDataViewType.Single) || item.Equals(NumberDataViewType.Int32);

    /// <summary>
    /// The saved form (see the remarks): ML.NET's OnnxTransformer over <see cref="ExportGraph"/>, then ML.NET's own
    /// transformers that turn its intermediate outputs into the padded, length and mask columns.
    /// </summary>
    /// <exception cref="NotSupportedException">The fitted column is a key column whose key values ML.NET's <c>MapValueToKey</c> cannot rebuild.</exception>
    private protected override ITransformer CreateSavableForm()
    {
        var exported = ExportGraph();
        var form = new OnnxSavedForm(exported.Inputs);
        form.AddOnnx(exported.Graph, [_options.InputColumnName!], exported.OutputColumns, intermediateOutputs: true);
        var transforms = form.Context.Transforms;
        if (_item.IsKey)
        {
            var keyData = new ValuesDataView<ReadOnlyMemory<char>>("Value", TextDataViewType.Instance, [.. _item.KeyValues!.Select(value => value.AsMemory())]);
            form.Add(transforms.Conversion.MapValueToKey(_options.OutputColumnName, PaddedOutput, maximumNumberOfKeys: _item.KeyValues!.Length, keyData: keyData));
            var rebuilt = form.Schema[_options.OutputColumnName].Type;
            var expected = new VectorDataViewType(new KeyDataViewType(typeof(uint), _item.KeyCount), _options.MaximumLength);
            if (!rebuilt.Equals(expected))
                throw new NotSupportedException(
                    $"Column '{_options.InputColumnName}' is {expected.ItemType} with {_item.KeyValues.Length} key values, which ML.NET's MapValueToKey rebuilds as {rebuilt}: the key values must be distinct and non-empty for a saved model to keep the key type.");
        }
        else
        {
            form.Add(transforms.CopyColumns(_options.OutputColumnName, PaddedOutput));
        }
        if (_options.LengthColumnName is { } length)
        {
            form.Add(MLNetScorers.Regression(form.Context, form.Schema, LengthOutput));
            // ML.NET converts no Single to Int32, but a length is a whole number in [0, N]: map each one.
            var lengths = Enumerable.Range(0, _options.MaximumLength + 1).Select(k => new KeyValuePair<float, int>(k, k));
            form.Add(transforms.Conversion.MapValue(length, lengths, ScoreColumn));
            form.MarkIntermediate(ScoreColumn);
        }
        if (_options.MaskColumnName is { } mask)
            form.Add(transforms.CopyColumns(mask, MaskOutput));
        return form.Build();
    }

    /// <summary>
    /// One row's sequence, the graph input [1, L] named as the input column (Float, Int32, or UInt32 keys), is cut
    /// to [1, K] with K = min(L, N) on the truncation side (Slice clamps to the sequence) and padded to [1, N] on the
    /// padding side. Outputs, each rank 1 since OnnxTransformer cannot read a rank-0 output:
    /// <c>MLNetExt.Padded</c> [N] (the items; for keys their text values, index 0 a value outside the key values),
    /// <c>MLNetExt.Length</c> Float [1] (K), <c>MLNetExt.Mask</c> Float [N] (1 where an item was kept), the last two
    /// only when their columns are asked for. The metadata holds the native state.
    /// </summary>
    /// <exception cref="NotSupportedException">The fitted column is a key column without text key values.</exception>
    private protected override ExportedGraph ExportGraph()
    {
        int n = _options.MaximumLength;
        bool keepLast = _options.TruncationSide == SequencePaddingEstimator.TruncationSide.Left;
        bool padLeft = _options.PaddingSide == SequencePaddingEstimator.PaddingSide.Left;
        if (_item.IsKey && _item.KeyValues is null)
            throw new NotSupportedException(
                $"Column '{_options.InputColumnName}' is a key column {(_item.KeyValuesType is null ? "without KeyValues" : $"whose KeyValues are {_item.KeyValuesType}")}; a saved model rebuilds a padded key column with ML.NET's MapValueToKey from text key values, so only keys with text KeyValues can be saved.");
        var graph = new OnnxGraphBuilder();
        var input = graph.AddInput(_options.InputColumnName!, _item.ElementType, [1, "L"]);
        // Keys are padded as int64: they index their text values below, and the pad key needs no UInt32 constant.
        string sequence = _item.IsKey ? graph.AddNode("Cast", [input.Name], "items", OnnxAttribute.Int("to", (long)OnnxElementType.Int64)) : input.Name;
        string axis = graph.Int64Constant(1);
        string kept = keepLast
            ? graph.AddNode("Slice", [sequence, graph.Int64Constant(-n), graph.Int64Constant(long.MaxValue), axis], "truncate")
            : graph.AddNode("Slice", [sequence, graph.Int64Constant(0), graph.Int64Constant(n), axis], "truncate");
        string keptShape = graph.AddNode("Shape", [kept], "truncate");                                       // [2]: (1, K)
        string keptLength = graph.AddNode("Shape", [kept], "truncate", OnnxAttribute.Int("start", 1));       // [1]: K
        string padCount = graph.AddNode("Sub", [graph.Int64Constant(n), keptLength], "pad");                 // [1]: N − K
        string none = graph.Int64Constant(0);
        string pads = graph.AddNode("Concat", padLeft ? [none, padCount, none, none] : [none, none, none, padCount], "pad",
            OnnxAttribute.Int("axis", 0));                                                                 // [4]: begins, then ends, per axis
        string padded = graph.AddNode("Pad", [kept, pads, PadConstant(graph)], "pad");                      // [1, N]
        string items = graph.AddNode("Reshape", [padded, graph.Int64Constant(n)], "pad");                  // [N]
        var itemsType = _item.ElementType;
        if (_item.IsKey)
        {
            var values = graph.AddInitializer("key_values", [MissingKeyValue(_item.KeyValues!), .. _item.KeyValues!]);  // [count + 1]
            items = graph.AddNode("Gather", [values.Name, items], "keys", OnnxAttribute.Int("axis", 0));   // [N] text
            itemsType = OnnxElementType.String;
        }
        var outputs = new List<string> { graph.AddOutput(new OnnxValue(items, itemsType, [n]), PaddedOutput).Name };
        if (_options.LengthColumnName is not null)
        {
            string length = graph.AddNode("Cast", [keptLength], "length", OnnxAttribute.Int("to", (long)OnnxElementType.Float));
            outputs.Add(graph.AddOutput(new OnnxValue(length, OnnxElementType.Float, [1]), LengthOutput).Name);
        }
        if (_options.MaskColumnName is not null)
        {
            string ones = graph.AddNode("ConstantOfShape", [keptShape], "mask", OnnxAttribute.Tensor("value", Tensor.FromValues([1f], 1)));  // [1, K]
            string mask = graph.AddNode("Pad", [ones, pads, graph.FloatConstant(0f)], "mask");                 // [1, N]
            mask = graph.AddNode("Reshape", [mask, graph.Int64Constant(n)], "mask");                          // [N]
            outputs.Add(graph.AddOutput(new OnnxValue(mask, OnnxElementType.Float, [n]), MaskOutput).Name);
        }
        var writer = new NativeModelWriter();
        WriteNativeState(writer);
        NativeStateInOnnx.Write(graph, writer.ToState());
        var inputs = new DataViewSchema.Builder();
        inputs.AddColumn(_options.InputColumnName!, _item.ColumnType);
        return new ExportedGraph(graph, inputs.ToSchema(), [.. outputs]);
    }

    /// <summary>The pad item as a scalar of the graph's item type (int64 for keys, see <see cref="ExportGraph"/>).</summary>
    private string PadConstant(OnnxGraphBuilder graph) => _item.Kind switch
    {
        SequenceItem.KeyKind => graph.AddInitializer("pad_value", new[] { (long)_options.PadValue }, []).Name,
        SequenceItem.Int32Kind => graph.AddInitializer("pad_value", new[] { (int)_options.PadValue }, []).Name,
        _ => graph.FloatConstant(_options.PadValue),
    };

    /// <summary>A text that is none of <paramref name="keyValues"/>, so that <c>MapValueToKey</c> maps it to the missing key 0.</summary>
    private static string MissingKeyValue(string[] keyValues)
    {
        var taken = keyValues.ToHashSet(StringComparer.Ordinal);
        string value = "<MLNetExt missing key>";
        while (taken.Contains(value))
            value += "'";
        return value;
    }

    /// <summary>Saves the settings and the fitted item type (with a key column's count and text key values).</summary>
    /// <param name="context">The context to write into.</param>
    internal void WriteNativeState(NativeModelWriter context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.SetKind(Kind);
        context.SetOptions(_options);
        context.AddValues<string>(ItemName, [_item.Kind, _item.KeyCount.ToString(CultureInfo.InvariantCulture), _item.KeyValuesType ?? ""]);
        if (_item.KeyValues is { } keyValues)
            context.AddValues<string>(KeyValuesName, keyValues);
    }

    internal static SequencePaddingTransformer Load(NativeModelReader context)
    {
        var saved = context.GetOptions<SequencePaddingEstimator.Options>();
        if (saved.MaximumLength > SavedModelLimits.MaximumSequenceLength)
            throw context.Invalid($"its maximum length {saved.MaximumLength} is over the limit of {SavedModelLimits.MaximumSequenceLength}");
        SequencePaddingEstimator.Options options;
        try
        {
            // The estimator's constructor validates the options as it would for a new pipeline.
            options = new SequencePaddingEstimator(saved).OptionsForTransformer;
        }
        catch (ArgumentException e)
        {
            throw context.Invalid($"its options are not valid ({e.Message.Split('\n', 2)[0].TrimEnd('.', '\r')})");
        }
        var item = context.GetValues<string>(ItemName, 3);
        if (item[0] is not (SequenceItem.SingleKind or SequenceItem.Int32Kind or SequenceItem.KeyKind)
            || !ulong.TryParse(item[1], NumberStyles.None, CultureInfo.InvariantCulture, out ulong keyCount) || (item[0] == SequenceItem.KeyKind) != (keyCount > 0)
            || keyCount > uint.MaxValue)
            throw context.Invalid($"its item type [{string.Join(", ", item)}] is not Single, Int32 or a key with a count");
        string? keyValuesType = item[2].Length == 0 ? null : item[2];
        if (keyValuesType == SequenceItem.TextValues && keyCount > SavedModelLimits.MaximumVocabulary)
            throw context.Invalid($"it has {keyCount} key values, more than the {SavedModelLimits.MaximumVocabulary} a padded key column may have");
        // The count is checked before a value is read.
        string[]? keyValues = keyValuesType == SequenceItem.TextValues ? context.GetValues<string>(KeyValuesName, (int)keyCount) : null;
        return new SequencePaddingTransformer(options, new SequenceItem(item[0], keyCount, keyValuesType, keyValues));
    }

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
            T[] dense = [];
            return (ref VBuffer<T> value) =>
            {
                getter(ref sequence);
                // A sparse sequence (MapValueToKey writes a row of unseen values so) holds default items between its
                // explicit ones: they are items too, as the length and mask count them.
                ReadOnlySpan<T> items;
                if (sequence.IsDense)
                {
                    items = sequence.GetValues();
                }
                else
                {
                    if (dense.Length < sequence.Length)
                        dense = new T[sequence.Length];
                    sequence.CopyTo(dense);
                    items = dense.AsSpan(0, sequence.Length);
                }
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

/// <summary>
/// The item type of the sequence column a <see cref="SequencePaddingTransformer"/> was fitted on, which its saved form
/// reads: Single, Int32 or a key (with its count, and its key values when they are text).
/// </summary>
/// <param name="Kind"><see cref="SingleKind"/>, <see cref="Int32Kind"/> or <see cref="KeyKind"/>.</param>
/// <param name="KeyCount">A key type's count; 0 otherwise.</param>
/// <param name="KeyValuesType">The item type of a key column's <c>KeyValues</c> (<see cref="TextValues"/> for text); null when it has none.</param>
/// <param name="KeyValues">The text key values in key order (key k is value k − 1); null unless they are text.</param>
internal sealed record SequenceItem(string Kind, ulong KeyCount, string? KeyValuesType, string[]? KeyValues)
{
    public const string SingleKind = "Single";
    public const string Int32Kind = "Int32";
    public const string KeyKind = "Key";
    public const string TextValues = "Text";

    public bool IsKey => Kind == KeyKind;

    /// <summary>The graph input's element type: what OnnxTransformer feeds for the column.</summary>
    public OnnxElementType ElementType => Kind switch
    {
        KeyKind => OnnxElementType.UInt32,
        Int32Kind => OnnxElementType.Int32,
        _ => OnnxElementType.Float,
    };

    /// <summary>The column type the saved form reads: a variable-size vector of the item type.</summary>
    public VectorDataViewType ColumnType => new(Kind switch
    {
        KeyKind => new KeyDataViewType(typeof(uint), KeyCount),
        Int32Kind => NumberDataViewType.Int32,
        _ => NumberDataViewType.Single,
    });

    /// <summary>The item type of <paramref name="column"/>, a vector of Single, Int32 or keys.</summary>
    public static SequenceItem Of(DataViewSchema.Column column)
    {
        var item = ((VectorDataViewType)column.Type).ItemType;
        if (item is not KeyDataViewType key)
            return new(item.Equals(NumberDataViewType.Int32) ? Int32Kind : SingleKind, 0, null, null);
        if (column.Annotations.Schema.GetColumnOrNull(ColumnChecks.KeyValues)?.Type is not VectorDataViewType { ItemType: var valuesType })
            return new(KeyKind, key.Count, null, null);
        if (valuesType is not TextDataViewType)
            return new(KeyKind, key.Count, valuesType.ToString(), null);
        VBuffer<ReadOnlyMemory<char>> values = default;
        column.Annotations.GetValue(ColumnChecks.KeyValues, ref values);
        return new(KeyKind, key.Count, TextValues, [.. values.DenseValues().Select(value => value.ToString())]);
    }
}
