using System.Linq.Expressions;
using System.Reflection;

namespace MLNetExt.Data;

/// <summary>
/// One member of <typeparamref name="TRow"/> bound to one column: compiled accessors (built once, no reflection
/// per row) plus the conversion between the member's type and the column's raw type.
/// </summary>
internal abstract class MemberBinding<TRow> where TRow : class
{
    protected MemberBinding(string memberName, string columnName, DataViewType columnType, DataViewSchema.Annotations annotations)
    {
        MemberName = memberName;
        ColumnName = columnName;
        ColumnType = columnType;
        Annotations = annotations;
    }

    public string MemberName { get; }

    public string ColumnName { get; }

    public DataViewType ColumnType { get; }

    public DataViewSchema.Annotations Annotations { get; }

    /// <summary>A <see cref="ValueGetter{TValue}"/> reading the member of the object <paramref name="current"/> returns.</summary>
    public abstract ValueGetter<TValue> MakeGetter<TValue>(Func<TRow> current);

    /// <summary>An action copying <paramref name="column"/> of <paramref name="row"/>'s current row into an object's member.</summary>
    public abstract Action<TRow> MakeSetter(DataViewRow row, DataViewSchema.Column column);

    /// <summary>
    /// Checks that <paramref name="column"/> can be written into the member: same type, or a fixed-size vector
    /// into a variable-size vector member of the same items (ML.NET allows that too).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The types do not match; the message names both.</exception>
    public void CheckColumn(DataViewSchema.Column column)
    {
        bool widens = ColumnType is VectorDataViewType { IsKnownSize: false } target
            && column.Type is VectorDataViewType vector && vector.ItemType.Equals(target.ItemType);
        if (!column.Type.Equals(ColumnType) && !widens)
            throw new ArgumentOutOfRangeException(nameof(column),
                $"Schema mismatch for column '{column.Name}': member '{MemberName}' of {typeof(TRow).Name} expects {ColumnType}, got {column.Type}.");
    }

    /// <summary>Binds <paramref name="definition"/>'s member of <typeparamref name="TRow"/> to its column.</summary>
    /// <exception cref="ArgumentException">No such member, or its type cannot hold the column's type.</exception>
    public static MemberBinding<TRow> Create(SchemaDefinition.Column definition)
    {
        const BindingFlags flags = BindingFlags.Public | BindingFlags.Instance;
        MemberInfo member = (MemberInfo?)typeof(TRow).GetField(definition.MemberName, flags)
            ?? typeof(TRow).GetProperty(definition.MemberName, flags)
            ?? throw new ArgumentException($"{typeof(TRow).Name} has no public field or property '{definition.MemberName}'.", nameof(definition));
        Type memberType = SchemaDefinition.MemberType(member);
        DataViewType columnType = definition.ColumnType;
        object converter = CreateConverter(memberType, columnType, definition.ColumnName)
            ?? throw new ArgumentException(
                $"Member '{member.Name}' of {typeof(TRow).Name} has type {memberType.Name}, which cannot hold column '{definition.ColumnName}' of type {columnType}.",
                nameof(definition));
        var bindingType = typeof(MemberBinding<,,>).MakeGenericType(typeof(TRow), memberType, columnType.RawType);
        return (MemberBinding<TRow>)Activator.CreateInstance(bindingType, member, definition.ColumnName, columnType,
            definition.BuildAnnotations(), converter)!;
    }

    private static object? CreateConverter(Type memberType, DataViewType columnType, string columnName)
    {
        if (columnType is VectorDataViewType vector)
        {
            if (!memberType.IsArray || memberType.GetArrayRank() != 1)
                return null;
            Type memberItem = memberType.GetElementType()!;
            object? item = CreateItemConverter(memberItem, vector.ItemType.RawType);
            if (item is null)
                return null;
            var arrayConverter = typeof(ArrayConverter<,>).MakeGenericType(vector.ItemType.RawType, memberItem);
            return Activator.CreateInstance(arrayConverter, columnName, vector.Size, item);
        }
        return CreateItemConverter(memberType, columnType.RawType);
    }

    private static object? CreateItemConverter(Type memberType, Type rawType)
    {
        if (memberType == rawType)
            return Activator.CreateInstance(typeof(IdentityConverter<>).MakeGenericType(rawType));
        if (memberType == typeof(string) && rawType == typeof(ReadOnlyMemory<char>))
            return new StringConverter();
        return null;
    }
}

/// <summary>A binding whose member has type <typeparamref name="TMember"/> and column raw type <typeparamref name="TValue"/>.</summary>
internal sealed class MemberBinding<TRow, TMember, TValue> : MemberBinding<TRow> where TRow : class
{
    private readonly Func<TRow, TMember>? _get;
    private readonly Action<TRow, TMember>? _set;
    private readonly MemberConverter<TMember, TValue> _converter;

    public MemberBinding(MemberInfo member, string columnName, DataViewType columnType,
        DataViewSchema.Annotations annotations, MemberConverter<TMember, TValue> converter)
        : base(member.Name, columnName, columnType, annotations)
    {
        _converter = converter;
        var row = Expression.Parameter(typeof(TRow), "row");
        bool readable = member is FieldInfo || member is PropertyInfo { GetMethod.IsPublic: true };
        bool writable = member is FieldInfo { IsInitOnly: false } || member is PropertyInfo { SetMethod.IsPublic: true };
        if (readable)
            _get = Expression.Lambda<Func<TRow, TMember>>(Expression.PropertyOrField(row, member.Name), row).Compile();
        if (writable)
        {
            var value = Expression.Parameter(typeof(TMember), "value");
            _set = Expression.Lambda<Action<TRow, TMember>>(
                Expression.Assign(Expression.PropertyOrField(row, member.Name), value), row, value).Compile();
        }
    }

    public override ValueGetter<TOut> MakeGetter<TOut>(Func<TRow> current)
    {
        var get = _get ?? throw new InvalidOperationException($"Member '{MemberName}' of {typeof(TRow).Name} cannot be read.");
        ValueGetter<TValue> getter = (ref TValue value) => _converter.ToValue(get(current()), ref value);
        return (ValueGetter<TOut>)(object)getter;
    }

    public override Action<TRow> MakeSetter(DataViewRow row, DataViewSchema.Column column)
    {
        var set = _set ?? throw new InvalidOperationException($"Member '{MemberName}' of {typeof(TRow).Name} cannot be written.");
        CheckColumn(column);
        var getter = row.GetGetter<TValue>(column);
        var get = _get;
        TValue buffer = default!;
        return obj =>
        {
            getter(ref buffer);
            TMember member = get is null ? default! : get(obj);
            _converter.ToMember(buffer, ref member);
            set(obj, member);
        };
    }
}
