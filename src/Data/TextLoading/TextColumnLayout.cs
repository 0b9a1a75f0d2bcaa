namespace MLNetExt.Data;

/// <summary>Where a text loader column's values lie in a record, and what type they load as.</summary>
internal sealed record TextColumnLayout(string Name, DataViewType Type, PrimitiveDataViewType ItemType,
    TextLoader.Range[] Ranges, bool IsVector)
{
    public static TextColumnLayout From(TextLoader.Column column)
    {
        PrimitiveDataViewType item = column.KeyCount is { } key
            ? new KeyDataViewType(typeof(uint), key.Count)
            : column.DataKind switch
            {
                DataKind.Single => NumberDataViewType.Single,
                DataKind.Double => NumberDataViewType.Double,
                DataKind.Int32 => NumberDataViewType.Int32,
                DataKind.UInt32 => NumberDataViewType.UInt32,
                DataKind.Boolean => BooleanDataViewType.Instance,
                DataKind.String => TextDataViewType.Instance,
                _ => throw new ArgumentOutOfRangeException(nameof(column), column.DataKind, $"Column '{column.Name}': unsupported data kind."),
            };
        var ranges = column.Source;
        bool isVector = column.ForceVector || ranges.Length > 1 || ranges[0].Max != ranges[0].Min;
        if (!isVector)
            return new TextColumnLayout(column.Name, item, item, ranges, false);
        int size = ranges.All(r => r.Max is not null) ? ranges.Sum(r => r.Max!.Value - r.Min + 1) : 0;
        int[] dimensions = column.Dimensions is { Length: > 0 } dims ? dims : [size];
        var vector = new VectorDataViewType(item, dimensions);
        if (vector.Size != size)
            throw new ArgumentException(
                $"Column '{column.Name}' is declared as {vector} but its source fields give {(size == 0 ? "a variable number of" : size.ToString(System.Globalization.CultureInfo.InvariantCulture))} items.",
                nameof(column));
        return new TextColumnLayout(column.Name, vector, item, ranges, true);
    }
}
