namespace MLNetExt.Data;

/// <summary>
/// Finds and checks the columns an <c>Evaluate</c> method reads, and words the errors for bad values in them:
/// a missing or mistyped column names the parameter that named it; a bad value names the column and the row.
/// </summary>
internal static class EvaluationColumns
{
    /// <summary>The column <paramref name="columnName"/> of <paramref name="data"/>, checked with <paramref name="accepts"/>.</summary>
    /// <param name="data">The scored data.</param>
    /// <param name="columnName">The column's name.</param>
    /// <param name="parameterName">The parameter that gave <paramref name="columnName"/>.</param>
    /// <param name="role">The column's role in messages, e.g. "label", "score".</param>
    /// <param name="accepts">Whether a column type is usable in this role.</param>
    /// <param name="expected">The usable types, as written in messages.</param>
    /// <exception cref="ArgumentOutOfRangeException">The column is missing or has another type.</exception>
    public static DataViewSchema.Column Require(IDataView data, string columnName, string parameterName, string role,
        Func<DataViewType, bool> accepts, string expected)
    {
        ArgumentException.ThrowIfNullOrEmpty(columnName, parameterName);
        var column = data.Schema.GetColumnOrNull(columnName) ?? throw SchemaMismatch.ColumnNotFound(parameterName, role, columnName);
        if (!accepts(column.Type))
            throw SchemaMismatch.WrongType(parameterName, role, columnName, expected, $"{column.Type}");
        return column;
    }

    /// <summary>Whether <paramref name="type"/> is a binary label: Boolean, or Single where values above 0 are positive.</summary>
    public static bool IsBinaryLabel(DataViewType type) => type is BooleanDataViewType || type == NumberDataViewType.Single;

    /// <summary>Whether <paramref name="type"/> is a scalar Single.</summary>
    public static bool IsSingle(DataViewType type) => type == NumberDataViewType.Single;

    /// <summary>
    /// A reader of a binary label column on <paramref name="cursor"/>'s current row: true for Boolean true or a
    /// Single above 0; a NaN Single is rejected.
    /// </summary>
    public static Func<bool> CreateBinaryLabelReader(DataViewRowCursor cursor, DataViewSchema.Column label)
    {
        if (label.Type is BooleanDataViewType)
        {
            var booleanGetter = cursor.GetGetter<bool>(label);
            bool flag = false;
            return () =>
            {
                booleanGetter(ref flag);
                return flag;
            };
        }
        var getter = cursor.GetGetter<float>(label);
        float value = 0;
        return () =>
        {
            getter(ref value);
            if (float.IsNaN(value))
                throw BadValue("label", label, cursor.Position, "is NaN; every row needs a label");
            return value > 0;
        };
    }

    /// <summary>A reader of a Single score column on <paramref name="cursor"/>'s current row; NaN and infinities are rejected.</summary>
    public static Func<float> CreateFiniteReader(DataViewRowCursor cursor, DataViewSchema.Column column, string role)
    {
        var getter = cursor.GetGetter<float>(column);
        float value = 0;
        return () =>
        {
            getter(ref value);
            if (!float.IsFinite(value))
                throw BadValue(role, column, cursor.Position, $"is {value}; expected a finite number");
            return value;
        };
    }

    /// <summary>"Label column 'L' is NaN at row 3 ...": a bad value in the data, with its column and row.</summary>
    /// <param name="role">The column's role, e.g. "label".</param>
    /// <param name="column">The column.</param>
    /// <param name="row">The row, counting from 0.</param>
    /// <param name="problem">What is wrong with the value, e.g. "is NaN".</param>
    public static ArgumentException BadValue(string role, DataViewSchema.Column column, long row, string problem) =>
        new($"The value of {role} column '{column.Name}' at row {row} (counting from 0) {problem}.", "data");

    /// <summary>The error for data without rows.</summary>
    public static ArgumentException NoRows() => new("The data has no rows to evaluate.", "data");
}
