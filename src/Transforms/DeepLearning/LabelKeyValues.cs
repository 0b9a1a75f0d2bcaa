using MLNetExt.Transforms.Persistence;
using MLNetExt.Trainers.DeepLearning;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetExt.Transforms;

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

    /// <summary>Reads the values saved by <see cref="Save"/>.</summary>
    public static LabelKeyValues Load(NativeModelReader context, string name, string itemTypeName) => itemTypeName switch
    {
        "Single" => new Values<float>(context.GetValues<float>(name), NumberDataViewType.Single),
        "Double" => new Values<double>(context.GetValues<double>(name), NumberDataViewType.Double),
        "Int32" => new Values<int>(context.GetValues<int>(name), NumberDataViewType.Int32),
        "UInt32" => new Values<uint>(context.GetValues<uint>(name), NumberDataViewType.UInt32),
        "Boolean" => new Values<bool>(context.GetValues<bool>(name), BooleanDataViewType.Instance),
        "Text" => new Values<ReadOnlyMemory<char>>(context.GetValues<ReadOnlyMemory<char>>(name), TextDataViewType.Instance),
        var other => throw context.Invalid($"its label key values have item type '{other}', which is not a column item type"),
    };

    /// <summary>The annotations holding the values as <c>KeyValues</c>.</summary>
    public abstract DataViewSchema.Annotations ToAnnotations();

    /// <summary>Saves the values as a value list named <paramref name="name"/>.</summary>
    public abstract void Save(NativeModelWriter context, string name);

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
    }
}
