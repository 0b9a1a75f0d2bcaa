namespace MLNetExt.Data;

/// <summary>Checks the TValue a getter is asked for against the column's type, with a message naming both.</summary>
internal static class GetterTypeCheck
{
    public static void Check<TValue>(DataViewSchema.Column column)
    {
        if (column.Type.RawType != typeof(TValue))
            throw new InvalidOperationException(
                $"Invalid TValue in GetGetter for column '{column.Name}': the column has type {column.Type}, " +
                $"read as {column.Type.RawType}, but the getter was asked for {typeof(TValue)}.");
    }
}
