namespace MLNetExt.Data;

/// <summary>
/// Well-known annotation kinds and helpers, as ML.NET's <c>AnnotationUtils</c>.
/// </summary>
public static class AnnotationUtils
{
    /// <summary>The names of well-known annotation kinds.</summary>
    public static class Kinds
    {
        /// <summary>Names of a vector column's slots: a vector of text as long as the column's vector.</summary>
        public const string SlotNames = "SlotNames";

        /// <summary>The values a key column's keys stand for: a vector of Count items.</summary>
        public const string KeyValues = "KeyValues";

        /// <summary>Whether a column's values are normalized: a boolean.</summary>
        public const string IsNormalized = "IsNormalized";

        /// <summary>
        /// The [C, H, W] shape of an image tensor held in a fixed-size vector column: a vector of three
        /// <see cref="int"/>s whose product is the column's size. An MLNetExt addition (ML.NET keeps the shape only
        /// in the vector type's dimensions); it survives transforms that flatten the vector's dimensions.
        /// </summary>
        public const string ImageShape = "ImageShape";
    }

    /// <summary>Adds the <see cref="Kinds.ImageShape"/> annotation [C, H, W].</summary>
    /// <param name="builder">The annotations being built.</param>
    /// <param name="channels">C, at least 1.</param>
    /// <param name="height">H, at least 1.</param>
    /// <param name="width">W, at least 1.</param>
    public static void AddImageShape(this DataViewSchema.Annotations.Builder builder, int channels, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        int[] shape = [channels, height, width];
        builder.Add(Kinds.ImageShape, new VectorDataViewType(NumberDataViewType.Int32, 3),
            (ref VBuffer<int> value) => VBuffer<int>.Copy(new VBuffer<int>(3, shape), ref value));
    }

    /// <summary>Reads a column's <see cref="Kinds.ImageShape"/> annotation when it has one.</summary>
    /// <param name="column">The column.</param>
    /// <param name="channels">C.</param>
    /// <param name="height">H.</param>
    /// <param name="width">W.</param>
    /// <returns>Whether the column is annotated with an image shape.</returns>
    public static bool TryGetImageShape(this DataViewSchema.Column column, out int channels, out int height, out int width)
    {
        channels = height = width = 0;
        if (column.Annotations?.Schema.GetColumnOrNull(Kinds.ImageShape) is not { } annotation
            || !annotation.Type.Equals(new VectorDataViewType(NumberDataViewType.Int32, 3)))
            return false;
        var shape = default(VBuffer<int>);
        column.Annotations.GetGetter<VBuffer<int>>(annotation)(ref shape);
        var values = shape.GetValues();
        (channels, height, width) = (values[0], values[1], values[2]);
        return true;
    }
}
