using System.Reflection;

namespace MLNetExt.Data;

/// <summary>
/// How the public fields and properties of a class map to columns, as ML.NET's <c>SchemaDefinition</c>:
/// made from the class with <see cref="Create"/> (honouring <see cref="ColumnNameAttribute"/>,
/// <see cref="VectorTypeAttribute"/>, <see cref="KeyTypeAttribute"/> and <see cref="NoColumnAttribute"/>), then
/// adjustable (column names, types, annotations) before it is passed to <c>LoadFromEnumerable</c>.
/// </summary>
public sealed class SchemaDefinition : List<SchemaDefinition.Column>
{
    /// <summary>Which way values flow between the objects and the data view.</summary>
    [Flags]
    public enum Direction
    {
        /// <summary>Members are read from objects (they need a getter).</summary>
        Read = 1,

        /// <summary>Members are written into objects (they need a setter).</summary>
        Write = 2,

        /// <summary>Both.</summary>
        Both = Read | Write,
    }

    /// <summary>The column definition named <paramref name="columnName"/>.</summary>
    /// <param name="columnName">The column name.</param>
    public Column this[string columnName] =>
        Find(c => c.ColumnName == columnName)
        ?? throw new ArgumentOutOfRangeException(nameof(columnName), $"There is no column '{columnName}' in this schema definition.");

    /// <summary>
    /// Maps every public instance field and property of <paramref name="userType"/> that is usable in
    /// <paramref name="direction"/> and not marked <see cref="NoColumnAttribute"/>: fields first, then
    /// properties, each in declaration order.
    /// </summary>
    /// <param name="userType">The class to map.</param>
    /// <param name="direction">Whether members must be readable, writable, or both.</param>
    /// <exception cref="ArgumentException">A member's type has no column type, or two members map to one name.</exception>
    public static SchemaDefinition Create(Type userType, Direction direction = Direction.Both)
    {
        ArgumentNullException.ThrowIfNull(userType);
        var definition = new SchemaDefinition();
        foreach (var member in ColumnMembers(userType, direction))
        {
            string name = member.GetCustomAttribute<ColumnNameAttribute>()?.Name ?? member.Name;
            if (definition.Exists(c => c.ColumnName == name))
                throw new ArgumentException($"Two members of {userType.Name} map to column '{name}'.", nameof(userType));
            definition.Add(new Column(member.Name, InferColumnType(userType, member), name));
        }
        return definition;
    }

    /// <summary>The members of <paramref name="userType"/> that <see cref="Create"/> maps, in its order.</summary>
    internal static IEnumerable<MemberInfo> ColumnMembers(Type userType, Direction direction)
    {
        const BindingFlags flags = BindingFlags.Public | BindingFlags.Instance;
        var fields = userType.GetFields(flags)
            .Where(f => !f.IsInitOnly || !direction.HasFlag(Direction.Write))
            .OrderBy(f => f.MetadataToken).Cast<MemberInfo>();
        var properties = userType.GetProperties(flags)
            .Where(p => p.GetIndexParameters().Length == 0)
            .Where(p => (!direction.HasFlag(Direction.Read) || p.GetMethod is { IsPublic: true })
                        && (!direction.HasFlag(Direction.Write) || p.SetMethod is { IsPublic: true }))
            .OrderBy(p => p.MetadataToken).Cast<MemberInfo>();
        return fields.Concat(properties).Where(m => m.GetCustomAttribute<NoColumnAttribute>() is null);
    }

    /// <summary>The .NET type a field or property holds.</summary>
    internal static Type MemberType(MemberInfo member) => member switch
    {
        FieldInfo field => field.FieldType,
        PropertyInfo property => property.PropertyType,
        _ => throw new ArgumentException($"Member '{member.Name}' is neither a field nor a property.", nameof(member)),
    };

    private static DataViewType InferColumnType(Type userType, MemberInfo member)
    {
        Type type = MemberType(member);
        var key = member.GetCustomAttribute<KeyTypeAttribute>();
        var vector = member.GetCustomAttribute<VectorTypeAttribute>();
        Type itemType = type.IsArray ? type.GetElementType()! : type;
        PrimitiveDataViewType? item;
        if (key is not null)
        {
            if (itemType != typeof(uint))
                throw new ArgumentException($"Member '{member.Name}' of {userType.Name} is marked [KeyType] but is {type.Name}; keys must be uint or uint[].", nameof(userType));
            item = new KeyDataViewType(typeof(uint), key.Count);
        }
        else
        {
            item = PrimitiveTypeOf(itemType);
        }
        if (item is null || (type.IsArray && type.GetArrayRank() != 1))
            throw new ArgumentException(
                $"Member '{member.Name}' of {userType.Name} has type {type.Name}, which has no column type; use float, double, int, uint, bool, string, or a one-dimensional array of them.",
                nameof(userType));
        if (!type.IsArray)
        {
            if (vector is not null)
                throw new ArgumentException($"Member '{member.Name}' of {userType.Name} is marked [VectorType] but is not an array.", nameof(userType));
            return item;
        }
        return new VectorDataViewType(item, vector?.Dims ?? []);
    }

    private static PrimitiveDataViewType? PrimitiveTypeOf(Type type) =>
        type == typeof(float) ? NumberDataViewType.Single
        : type == typeof(double) ? NumberDataViewType.Double
        : type == typeof(int) ? NumberDataViewType.Int32
        : type == typeof(uint) ? NumberDataViewType.UInt32
        : type == typeof(bool) ? BooleanDataViewType.Instance
        : type == typeof(string) || type == typeof(ReadOnlyMemory<char>) ? TextDataViewType.Instance
        : null;

    /// <summary>One member-to-column mapping.</summary>
    public sealed class Column
    {
        private readonly List<(string Kind, DataViewType Type, object Value)> _annotations = [];

        /// <summary>Maps member <paramref name="memberName"/> to a column.</summary>
        /// <param name="memberName">The field or property name.</param>
        /// <param name="columnType">The column's type.</param>
        /// <param name="columnName">The column's name; null means the member's name.</param>
        public Column(string memberName, DataViewType columnType, string? columnName = null)
        {
            ArgumentException.ThrowIfNullOrEmpty(memberName);
            ArgumentNullException.ThrowIfNull(columnType);
            MemberName = memberName;
            ColumnType = columnType;
            ColumnName = columnName ?? memberName;
        }

        /// <summary>The field or property name.</summary>
        public string MemberName { get; set; }

        /// <summary>The column's name.</summary>
        public string ColumnName { get; set; }

        /// <summary>The column's type; may be replaced, e.g. to give a variable-size array member a fixed size.</summary>
        public DataViewType ColumnType { get; set; }

        /// <summary>Attaches an annotation to the column.</summary>
        /// <typeparam name="T">The raw type of <paramref name="valueType"/>.</typeparam>
        /// <param name="kind">The annotation kind.</param>
        /// <param name="value">The annotation's value.</param>
        /// <param name="valueType">The annotation's type.</param>
        public void AddAnnotation<T>(string kind, T value, DataViewType valueType)
        {
            ArgumentException.ThrowIfNullOrEmpty(kind);
            ArgumentNullException.ThrowIfNull(valueType);
            if (valueType.RawType != typeof(T))
                throw new ArgumentException($"Annotation '{kind}' has type {valueType}, whose values are {valueType.RawType}, not {typeof(T)}.", nameof(valueType));
            _annotations.Add((kind, valueType, value!));
        }

        /// <summary>The column's annotations as a schema would carry them.</summary>
        internal DataViewSchema.Annotations BuildAnnotations()
        {
            if (_annotations.Count == 0)
                return DataViewSchema.Annotations.Empty;
            var builder = new DataViewSchema.Annotations.Builder();
            foreach (var (kind, type, value) in _annotations)
                AddBoxed(builder, kind, type, value);
            return builder.ToAnnotations();
        }

        private static void AddBoxed(DataViewSchema.Annotations.Builder builder, string kind, DataViewType type, object value) =>
            typeof(Column).GetMethod(nameof(AddTyped), BindingFlags.NonPublic | BindingFlags.Static)!
                .MakeGenericMethod(type.RawType).Invoke(null, [builder, kind, type, value]);

        private static void AddTyped<T>(DataViewSchema.Annotations.Builder builder, string kind, DataViewType type, object value) =>
            builder.Add(kind, type, (T)value);
    }
}
