namespace MLNetExt.Data;

public sealed partial class DataViewSchema
{
    /// <summary>Collects columns in order and makes a <see cref="DataViewSchema"/> of them.</summary>
    public sealed class Builder
    {
        private readonly List<DetachedColumn> _columns = [];

        /// <summary>Appends a column; a column with an earlier one's name hides that one.</summary>
        /// <param name="name">The column's name.</param>
        /// <param name="type">The type of the column's values.</param>
        /// <param name="annotations">Annotations; null means none.</param>
        public void AddColumn(string name, DataViewType type, Annotations? annotations = null) =>
            _columns.Add(new DetachedColumn(name, type, annotations));

        /// <summary>Appends copies of <paramref name="source"/>'s columns, hidden ones included.</summary>
        /// <param name="source">The columns to copy.</param>
        public void AddColumns(IEnumerable<Column> source)
        {
            ArgumentNullException.ThrowIfNull(source);
            foreach (var column in source)
                _columns.Add(new DetachedColumn(column));
        }

        /// <summary>Appends the given columns.</summary>
        /// <param name="source">The columns to add.</param>
        public void AddColumns(IEnumerable<DetachedColumn> source)
        {
            ArgumentNullException.ThrowIfNull(source);
            _columns.AddRange(source);
        }

        /// <summary>Makes a schema of the columns added so far.</summary>
        public DataViewSchema ToSchema() => new(_columns);
    }
}
