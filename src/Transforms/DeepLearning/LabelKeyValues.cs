using MLNetExt.Transforms.Persistence;
using Microsoft.ML;
using Microsoft.ML.Data;

using MLNetExt.Core;
using MLNetExt.Core.Onnx;
using MLNetExt.Transforms.Saving;

namespace MLNetExt.Transforms.DeepLearning;

/// <summary>
/// The <c>KeyValues</c> annotation of a key label column, copied out of the training data so that a classifier's
/// PredictedLabel column can carry it (as ML.NET's multiclass trainers do) and save it with the model.
/// </summary>
internal abstract class LabelKeyValues
{
    /// <summary>The annotation's item type.</summary>
    public abstract PrimitiveDataViewType ItemType { get; }

    /// <summary>The item type's name in a saved model.</summary>
    public string ItemTypeName => ItemType switch
    {
        TextDataViewType => "Text",
        BooleanDataViewType => "Boolean",
        var number => number.ToString()!,
    };

    /// <summary>The number of values, one per key.</summary>
    public abstract int Count { get; }

    /// <summary>The values of the annotation of <paramref name="column"/>; null when it has none.</summary>
    public static LabelKeyValues? From(DataViewSchema.Column column)
    {
        var annotation = column.Annotations.Schema.GetColumnOrNull(ColumnChecks.KeyValues);
        if (annotation?.Type is not VectorDataViewType vector)
            return null;
        return ItemTypes.Visit(vector.ItemType, new Reader(column.Annotations));
    }

    /// <summary>Reads the values saved by <see cref="Save"/>, which must be <paramref name="count"/> (checked before any is read).</summary>
    public static LabelKeyValues Load(NativeModelReader context, string name, string itemTypeName, int count) => itemTypeName switch
    {
        "Single" => new Values<float>(context.GetValues<float>(name, count), NumberDataViewType.Single),
        "Double" => new Values<double>(context.GetValues<double>(name, count), NumberDataViewType.Double),
        "Int32" => new Values<int>(context.GetValues<int>(name, count), NumberDataViewType.Int32),
        "UInt32" => new Values<uint>(context.GetValues<uint>(name, count), NumberDataViewType.UInt32),
        "Boolean" => new Values<bool>(context.GetValues<bool>(name, count), BooleanDataViewType.Instance),
        "Text" => new Values<ReadOnlyMemory<char>>(context.GetValues<ReadOnlyMemory<char>>(name, count), TextDataViewType.Instance),
        var other => throw context.Invalid($"its label key values have item type '{other}', which is not a column item type"),
    };

    /// <summary>The annotations holding the values as <c>KeyValues</c>.</summary>
    public abstract DataViewSchema.Annotations ToAnnotations();

    /// <summary>Saves the values as a value list named <paramref name="name"/>.</summary>
    public abstract void Save(NativeModelWriter context, string name);

    /// <summary>The values in key order as one column named <paramref name="columnName"/>: the <c>keyData</c> of ML.NET's <c>MapValueToKey</c>.</summary>
    public abstract IDataView ToKeyData(string columnName);

    /// <summary>
    /// Adds the values to <paramref name="graph"/> as a constant [Count] of the ONNX type OnnxTransformer returns as
    /// this item type; a Gather on it maps class indices to label values.
    /// </summary>
    /// <exception cref="NotSupportedException">The item type has no exact ONNX counterpart here (Double).</exception>
    public abstract OnnxValue AddToGraph(OnnxGraphBuilder graph, string name);

    private sealed class Reader(DataViewSchema.Annotations annotations) : IItemTypeVisitor<LabelKeyValues>
    {
        public LabelKeyValues Visit<T>() where T : struct
        {
            VBuffer<T> buffer = default;
            annotations.GetValue(ColumnChecks.KeyValues, ref buffer);
            var values = buffer.DenseValues().Select(ItemTypes.Detach).ToArray();
            var itemType = (PrimitiveDataViewType)((VectorDataViewType)annotations.Schema[ColumnChecks.KeyValues].Type).ItemType;
            return new Values<T>(values, itemType);
        }
    }

    private sealed class Values<T>(T[] values, PrimitiveDataViewType itemType) : LabelKeyValues
        where T : struct
    {
        public override PrimitiveDataViewType ItemType => itemType;

        public override int Count => values.Length;

        public override DataViewSchema.Annotations ToAnnotations()
        {
            var builder = new DataViewSchema.Annotations.Builder();
            builder.Add(ColumnChecks.KeyValues, new VectorDataViewType(itemType, values.Length),
                (ref VBuffer<T> value) => DenseVBuffer.Write(ref value, values));
            return builder.ToAnnotations();
        }

        public override void Save(NativeModelWriter context, string name) => context.AddValues<T>(name, values);

        public override IDataView ToKeyData(string columnName) => new ValuesDataView<T>(columnName, itemType, values);

        public override OnnxValue AddToGraph(OnnxGraphBuilder graph, string name)
        {
            switch (values)
            {
                case ReadOnlyMemory<char>[] text:
                    return graph.AddInitializer(name, text.Select(t => t.ToString()).ToArray());
                case float[] floats:
                    return graph.AddInitializer(name, new Tensor(floats, [floats.Length]));
                case int[] integers:
                    return graph.AddInitializer(name, integers);
                case uint[] unsigned:
                    return CastFromInt64(graph, name, unsigned.Select(u => (long)u).ToArray(), OnnxElementType.UInt32);
                case bool[] flags:
                    return CastFromInt64(graph, name, flags.Select(f => f ? 1L : 0L).ToArray(), OnnxElementType.Bool);
                default:
                    throw new NotSupportedException($"Label key values of type {itemType} cannot be written into an ONNX graph exactly.");
            }
        }

        private static OnnxValue CastFromInt64(OnnxGraphBuilder graph, string name, long[] items, OnnxElementType type)
        {
            var stored = graph.AddInitializer(name, items);
            return stored.As(graph.AddNode("Cast", [stored.Name], "/labels", OnnxAttribute.Int("to", (long)type)), type);
        }
    }
}
