using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetExt.Transforms;

/// <summary>
/// The checks transformers make on their input schema and values, with errors that name the column (and, for
/// values, the row), worded as ML.NET's.
/// </summary>
internal static class ColumnChecks
{
    /// <summary>The name of ML.NET's key-values annotation.</summary>
    public const string KeyValues = "KeyValues";

    /// <summary>The visible input column <paramref name="name"/>, or ML.NET's "Could not find input column" error.</summary>
    public static DataViewSchema.Column Find(DataViewSchema schema, string name, string paramName = "inputSchema") =>
        schema.GetColumnOrNull(name) is { IsHidden: false } column ? column : throw ColumnNotFound(paramName, name);

    /// <summary>ML.NET's "Schema mismatch for input column" error.</summary>
    public static ArgumentOutOfRangeException WrongType(string name, string expected, DataViewType actual, string paramName = "inputSchema") =>
        new(paramName, $"Schema mismatch for input column '{name}': expected {expected}, got {actual}");

    /// <summary>The input shape column <paramref name="name"/>, or the "Could not find input column" error.</summary>
    public static SchemaShape.Column Find(SchemaShape shape, string name) =>
        shape.FirstOrDefault(c => c.Name == name) is { Name: not null } column ? column : throw ColumnNotFound("inputSchema", name);

    /// <summary>ML.NET's "Schema mismatch" error for a shape column.</summary>
    public static ArgumentOutOfRangeException WrongType(SchemaShape.Column column, string expected) =>
        new("inputSchema", $"Schema mismatch for input column '{column.Name}': expected {expected}, got {TypeString(column)}");

    /// <summary>The error for a bad value: names the column, the row and the problem.</summary>
    public static InvalidOperationException BadValue(string column, DataViewRow row, string problem) =>
        new($"Column '{column}', row {row.Position}: {problem}.");

    /// <summary>The item type of a scalar or vector column type.</summary>
    public static DataViewType ItemType(DataViewType type) => type is VectorDataViewType vector ? vector.ItemType : type;

    /// <summary>The column shape of an added column, for estimators' <c>GetOutputSchema</c>.</summary>
    public static SchemaShape.Column Shape(string name, SchemaShape.Column.VectorKind kind, DataViewType itemType, bool isKey, SchemaShape? annotations = null) =>
        MLNetInternals.SchemaColumn(name, kind, itemType, isKey, annotations);

    /// <summary>Throws when <paramref name="name"/> is null or empty, naming the parameter.</summary>
    public static string RequireName(string? name, string paramName) =>
        string.IsNullOrEmpty(name) ? throw new ArgumentException("A column name is needed.", paramName) : name;

    /// <summary>A shape column's type as ML.NET prints it: <c>Vector&lt;Single&gt;</c>, <c>Key&lt;UInt32&gt;</c>, ….</summary>
    public static string TypeString(SchemaShape.Column column)
    {
        string item = column.IsKey ? $"Key<{column.ItemType}>" : column.ItemType.ToString()!;
        return column.Kind switch
        {
            SchemaShape.Column.VectorKind.Vector => $"Vector<{item}>",
            SchemaShape.Column.VectorKind.VariableVector => $"VarVector<{item}>",
            _ => item,
        };
    }

    private static ArgumentOutOfRangeException ColumnNotFound(string paramName, string name) =>
        new(paramName, $"Could not find input column '{name}'");
}
