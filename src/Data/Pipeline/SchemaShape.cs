using System.Collections;

namespace MLNetExt.Data;

/// <summary>
/// What an estimator knows about a schema before any data is seen, as ML.NET's <c>SchemaShape</c>: column names,
/// whether each is a scalar, a fixed-size or a variable-size vector, the item type, and whether it holds keys.
/// Estimators propagate it through <see cref="IEstimator{TTransformer}.GetOutputSchema"/> so that a pipeline's
/// column errors surface before anything is fitted.
/// </summary>
public sealed class SchemaShape : IReadOnlyList<SchemaShape.Column>
{
    private readonly Column[] _columns;

    /// <summary>Creates a shape of the given columns; a later column with an earlier one's name replaces it.</summary>
    /// <param name="columns">The columns.</param>
    public SchemaShape(IEnumerable<Column> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var byName = new Dictionary<string, int>(StringComparer.Ordinal);
        var list = new List<Column>();
        foreach (var column in columns)
        {
            if (byName.TryGetValue(column.Name, out int existing))
            {
                list[existing] = column;
            }
            else
            {
                byName[column.Name] = list.Count;
                list.Add(column);
            }
        }
        _columns = [.. list];
    }

    /// <summary>The number of columns.</summary>
    public int Count => _columns.Length;

    /// <summary>The column at <paramref name="index"/>.</summary>
    /// <param name="index">An index in [0, <see cref="Count"/>).</param>
    public Column this[int index] => _columns[index];

    /// <summary>Finds the column named <paramref name="name"/>.</summary>
    /// <param name="name">The column name.</param>
    /// <param name="column">The column when found.</param>
    /// <returns>Whether there is such a column.</returns>
    public bool TryFindColumn(string name, out Column column)
    {
        foreach (var candidate in _columns)
        {
            if (candidate.Name == name)
            {
                column = candidate;
                return true;
            }
        }
        column = default;
        return false;
    }

    /// <summary>The shape of the visible columns of <paramref name="schema"/>.</summary>
    /// <param name="schema">The schema.</param>
    public static SchemaShape Create(DataViewSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return new SchemaShape(schema.Where(c => !c.IsHidden).Select(c => Column.From(c.Name, c.Type, c.Annotations)));
    }

    /// <inheritdoc />
    public IEnumerator<Column> GetEnumerator() => ((IEnumerable<Column>)_columns).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public override string ToString() => string.Join(", ", _columns.Select(c => c.ToString()));

    /// <summary>The shape of one column.</summary>
    public readonly struct Column
    {
        /// <summary>Whether a column holds one value or a vector of them per row.</summary>
        public enum VectorKind
        {
            /// <summary>One value per row.</summary>
            Scalar,

            /// <summary>A vector of the same, known size in every row.</summary>
            Vector,

            /// <summary>A vector whose size may differ from row to row.</summary>
            VariableVector,
        }

        /// <summary>Describes a column shape (for estimators, which build the shapes of the columns they add).</summary>
        /// <param name="name">The column name.</param>
        /// <param name="vecKind">Scalar, vector or variable-size vector.</param>
        /// <param name="itemType">The item type; for keys, the raw number type (UInt32).</param>
        /// <param name="isKey">Whether the items are keys.</param>
        /// <param name="annotations">The annotations' shape; null means none.</param>
        internal Column(string name, VectorKind vecKind, DataViewType itemType, bool isKey, SchemaShape? annotations = null)
        {
            ArgumentException.ThrowIfNullOrEmpty(name);
            ArgumentNullException.ThrowIfNull(itemType);
            if (itemType is KeyDataViewType or VectorDataViewType)
                throw new ArgumentException($"Column '{name}': the item type must be a primitive non-key type, got {itemType}.", nameof(itemType));
            Name = name;
            Kind = vecKind;
            ItemType = itemType;
            IsKey = isKey;
            Annotations = annotations ?? new SchemaShape([]);
        }

        /// <summary>The column name.</summary>
        public string Name { get; }

        /// <summary>Scalar, vector or variable-size vector.</summary>
        public VectorKind Kind { get; }

        /// <summary>The item type; for keys, the raw number type.</summary>
        public DataViewType ItemType { get; }

        /// <summary>Whether the items are keys.</summary>
        public bool IsKey { get; }

        /// <summary>The shape of the column's annotations.</summary>
        public SchemaShape Annotations { get; }

        /// <summary>
        /// Whether a column of shape <paramref name="source"/> can be given where this shape is expected: same
        /// kind, item type and keyness, and every annotation this shape expects.
        /// </summary>
        /// <param name="source">The column actually present.</param>
        public bool IsCompatibleWith(Column source)
        {
            if (Kind != source.Kind || !ItemType.Equals(source.ItemType) || IsKey != source.IsKey)
                return false;
            foreach (var annotation in Annotations)
            {
                if (!source.Annotations.TryFindColumn(annotation.Name, out var present) || !annotation.IsCompatibleWith(present))
                    return false;
            }
            return true;
        }

        /// <summary>The type as ML.NET writes it in messages, e.g. <c>Vector&lt;Single&gt;</c>, <c>Key&lt;UInt32&gt;</c>.</summary>
        public string GetTypeString()
        {
            string result = ItemType.ToString()!;
            if (IsKey)
                result = $"Key<{result}>";
            return Kind switch
            {
                VectorKind.Vector => $"Vector<{result}>",
                VectorKind.VariableVector => $"VarVector<{result}>",
                _ => result,
            };
        }

        /// <inheritdoc />
        public override string ToString() => $"{Name}: {GetTypeString()}";

        internal static Column From(string name, DataViewType type, DataViewSchema.Annotations? annotations)
        {
            var kind = type is VectorDataViewType vector
                ? vector.IsKnownSize ? VectorKind.Vector : VectorKind.VariableVector
                : VectorKind.Scalar;
            DataViewType item = type is VectorDataViewType v ? v.ItemType : type;
            bool isKey = item is KeyDataViewType;
            if (isKey)
                item = NumberDataViewType.UInt32;
            SchemaShape? annotationShape = annotations is null ? null
                : new SchemaShape(annotations.Schema.Where(c => !c.IsHidden).Select(c => From(c.Name, c.Type, null)));
            return new Column(name, kind, item, isKey, annotationShape);
        }
    }
}
