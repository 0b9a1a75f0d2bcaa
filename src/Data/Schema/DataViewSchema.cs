using System.Collections;

namespace MLNetExt.Data;

/// <summary>
/// The columns of an <see cref="IDataView"/> (name, type, annotations), as ML.NET's <c>DataViewSchema</c>.
/// Several columns may share a name: the one with the highest index is visible under that name and the earlier
/// ones are hidden (<see cref="Column.IsHidden"/>), which is how a transform "replaces" a column.
/// Built with <see cref="Builder"/>.
/// </summary>
public sealed partial class DataViewSchema : IReadOnlyList<DataViewSchema.Column>
{
    private readonly Column[] _columns;
    private readonly Dictionary<string, int> _visibleIndexByName;

    private DataViewSchema(IReadOnlyList<DetachedColumn> columns)
    {
        _visibleIndexByName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < columns.Count; i++)
            _visibleIndexByName[columns[i].Name] = i;
        _columns = new Column[columns.Count];
        for (int i = 0; i < columns.Count; i++)
        {
            bool hidden = _visibleIndexByName[columns[i].Name] != i;
            _columns[i] = new Column(columns[i].Name, i, hidden, columns[i].Type, columns[i].Annotations);
        }
    }

    /// <summary>The number of columns, hidden ones included.</summary>
    public int Count => _columns.Length;

    /// <summary>The column at <paramref name="columnIndex"/>.</summary>
    /// <param name="columnIndex">An index in [0, <see cref="Count"/>).</param>
    public Column this[int columnIndex]
    {
        get
        {
            if ((uint)columnIndex >= (uint)_columns.Length)
                throw new ArgumentOutOfRangeException(nameof(columnIndex), columnIndex, $"The schema has {_columns.Length} columns.");
            return _columns[columnIndex];
        }
    }

    /// <summary>The visible column named <paramref name="name"/>.</summary>
    /// <param name="name">The column name (case-sensitive).</param>
    /// <exception cref="ArgumentOutOfRangeException">No column has that name.</exception>
    public Column this[string name]
    {
        get
        {
            ArgumentNullException.ThrowIfNull(name);
            return GetColumnOrNull(name) ?? throw new ArgumentOutOfRangeException(nameof(name),
                $"Column '{name}' not found. The schema has: {DescribeVisibleColumns()}.");
        }
    }

    /// <summary>The visible column named <paramref name="name"/>, or null when there is none.</summary>
    /// <param name="name">The column name (case-sensitive).</param>
    public Column? GetColumnOrNull(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _visibleIndexByName.TryGetValue(name, out int index) ? _columns[index] : null;
    }

    /// <inheritdoc />
    public IEnumerator<Column> GetEnumerator() => ((IEnumerable<Column>)_columns).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public override string ToString() => string.Join(", ", _columns.Select(c => c.ToString()));

    private string DescribeVisibleColumns() =>
        _columns.Length == 0 ? "no columns" : string.Join(", ", _columns.Where(c => !c.IsHidden).Select(c => $"'{c.Name}' ({c.Type})"));
}
