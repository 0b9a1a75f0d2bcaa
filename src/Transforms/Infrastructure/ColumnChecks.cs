using MLNetExt.Data;

namespace MLNetExt.Transforms;

/// <summary>
/// The checks transformers make on their input schema and values, with errors that name the column (and, for
/// values, the row), worded as ML.NET's.
/// </summary>
internal static class ColumnChecks
{
    /// <summary>The visible input column <paramref name="name"/>, or ML.NET's "Could not find input column" error.</summary>
    public static DataViewSchema.Column Find(DataViewSchema schema, string name, string paramName = "inputSchema") =>
        schema.GetColumnOrNull(name) ?? throw SchemaMismatch.ColumnNotFound(paramName, "input", name);

    /// <summary>ML.NET's "Schema mismatch for input column" error.</summary>
    public static ArgumentOutOfRangeException WrongType(string name, string expected, DataViewType actual, string paramName = "inputSchema") =>
        SchemaMismatch.WrongType(paramName, "input", name, expected, actual.ToString()!);

    /// <summary>The input shape column <paramref name="name"/>, or the "Could not find input column" error.</summary>
    public static SchemaShape.Column Find(SchemaShape shape, string name) =>
        shape.TryFindColumn(name, out var column) ? column : throw SchemaMismatch.ColumnNotFound("inputSchema", "input", name);

    /// <summary>ML.NET's "Schema mismatch" error for a shape column.</summary>
    public static ArgumentOutOfRangeException WrongType(SchemaShape.Column column, string expected) =>
        SchemaMismatch.WrongType("inputSchema", "input", column.Name, expected, column.GetTypeString());

    /// <summary>The error for a bad value: names the column, the row and the problem.</summary>
    public static InvalidOperationException BadValue(string column, DataViewRow row, string problem) =>
        new($"Column '{column}', row {row.Position}: {problem}.");

    /// <summary>The item type of a scalar or vector column type.</summary>
    public static DataViewType ItemType(DataViewType type) => type is VectorDataViewType vector ? vector.ItemType : type;

    /// <summary>The column shape of an added column, for estimators' <c>GetOutputSchema</c>.</summary>
    public static SchemaShape.Column Shape(string name, SchemaShape.Column.VectorKind kind, DataViewType itemType, bool isKey, SchemaShape? annotations = null) =>
        new(name, kind, itemType, isKey, annotations);

    /// <summary>Throws when <paramref name="name"/> is null or empty, naming the parameter.</summary>
    public static string RequireName(string? name, string paramName) =>
        string.IsNullOrEmpty(name) ? throw new ArgumentException("A column name is needed.", paramName) : name;
}
