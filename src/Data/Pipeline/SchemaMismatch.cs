namespace MLNetExt.Data;

/// <summary>
/// The errors an estimator or transformer raises when its input lacks a column or has it with the wrong type,
/// worded as ML.NET's schema-mismatch errors (for the pipeline assemblies, as ML.NET's own use its Contracts).
/// </summary>
internal static class SchemaMismatch
{
    /// <summary>"Could not find input column 'X'".</summary>
    /// <param name="paramName">The parameter that held the schema.</param>
    /// <param name="columnRole">The column's role, e.g. "input", "label", "feature".</param>
    /// <param name="columnName">The missing column's name.</param>
    public static ArgumentOutOfRangeException ColumnNotFound(string paramName, string columnRole, string columnName) =>
        new(paramName, $"Could not find {columnRole} column '{columnName}'");

    /// <summary>"Schema mismatch for input column 'X': expected E, got A".</summary>
    /// <param name="paramName">The parameter that held the schema.</param>
    /// <param name="columnRole">The column's role, e.g. "input", "label", "feature".</param>
    /// <param name="columnName">The column's name.</param>
    /// <param name="expected">The type that was expected, as written in messages.</param>
    /// <param name="actual">The type found.</param>
    public static ArgumentOutOfRangeException WrongType(string paramName, string columnRole, string columnName, string expected, string actual) =>
        new(paramName, $"Schema mismatch for {columnRole} column '{columnName}': expected {expected}, got {actual}");

    /// <summary>
    /// Finds <paramref name="columnName"/> in <paramref name="inputSchema"/> and checks it against <paramref name="expected"/>,
    /// throwing the matching schema-mismatch error.
    /// </summary>
    /// <returns>The column found.</returns>
    public static SchemaShape.Column Require(SchemaShape inputSchema, string columnRole, string columnName, SchemaShape.Column expected,
        string paramName = "inputSchema")
    {
        if (!inputSchema.TryFindColumn(columnName, out var column))
            throw ColumnNotFound(paramName, columnRole, columnName);
        if (!expected.IsCompatibleWith(column))
            throw WrongType(paramName, columnRole, columnName, expected.GetTypeString(), column.GetTypeString());
        return column;
    }
}
