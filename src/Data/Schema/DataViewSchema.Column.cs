namespace MLNetExt.Data;

public sealed partial class DataViewSchema
{
    /// <summary>One column of a schema, as ML.NET's <c>DataViewSchema.Column</c>.</summary>
    public readonly struct Column
    {
        internal Column(string name, int index, bool isHidden, DataViewType type, Annotations annotations)
        {
            Name = name;
            Index = index;
            IsHidden = isHidden;
            Type = type;
            Annotations = annotations;
        }

        /// <summary>The column's name.</summary>
        public string Name { get; }

        /// <summary>The column's position in its schema.</summary>
        public int Index { get; }

        /// <summary>Whether a later column with the same name hides this one from lookups by name.</summary>
        public bool IsHidden { get; }

        /// <summary>The type of the column's values.</summary>
        public DataViewType Type { get; }

        /// <summary>Extra information about the column (slot names, image shape, ...).</summary>
        public Annotations Annotations { get; }

        /// <inheritdoc />
        public override string ToString() => $"{Name} ({Index}): {Type}{(IsHidden ? " (hidden)" : "")}";
    }

    /// <summary>A column's name, type and annotations without a position in a schema.</summary>
    public readonly struct DetachedColumn
    {
        /// <summary>Describes a column that is not yet part of a schema.</summary>
        /// <param name="name">The column's name.</param>
        /// <param name="type">The type of the column's values.</param>
        /// <param name="annotations">Annotations; null means none.</param>
        public DetachedColumn(string name, DataViewType type, Annotations? annotations = null)
        {
            ArgumentException.ThrowIfNullOrEmpty(name);
            ArgumentNullException.ThrowIfNull(type);
            Name = name;
            Type = type;
            Annotations = annotations ?? Annotations.Empty;
        }

        /// <summary>Copies a schema column's name, type and annotations.</summary>
        /// <param name="column">The column to copy.</param>
        public DetachedColumn(Column column) : this(column.Name, column.Type, column.Annotations)
        {
        }

        /// <summary>The column's name.</summary>
        public string Name { get; }

        /// <summary>The type of the column's values.</summary>
        public DataViewType Type { get; }

        /// <summary>Extra information about the column.</summary>
        public Annotations Annotations { get; }
    }
}
