using Microsoft.ML;

namespace MLNetExt.Transforms;

/// <summary>One column a transform adds: its name, type and annotations, the input columns it reads, and its getter.</summary>
/// <param name="Column">The column as it appears in the output schema.</param>
/// <param name="Dependencies">The input columns its getter reads.</param>
/// <param name="Getter">Makes its getter from an input cursor.</param>
internal sealed record AddedColumn(DataViewSchema.DetachedColumn Column, DataViewSchema.Column[] Dependencies, ColumnGetterFactory Getter);
