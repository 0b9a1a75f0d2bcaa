namespace MLNetExt.Data;

/// <summary>
/// Moves a value between a class member (<typeparamref name="TMember"/>) and a column's raw type
/// (<typeparamref name="TValue"/>) in both directions, reusing buffers where it can.
/// </summary>
internal abstract class MemberConverter<TMember, TValue>
{
    /// <summary>Writes the member's value as a column value.</summary>
    public abstract void ToValue(TMember member, ref TValue value);

    /// <summary>Writes a column value into the member's representation.</summary>
    public abstract void ToMember(in TValue value, ref TMember member);
}

/// <summary>The member holds exactly the column's raw type (numbers, booleans, keys, ReadOnlyMemory text).</summary>
internal sealed class IdentityConverter<T> : MemberConverter<T, T>
{
    public override void ToValue(T member, ref T value) => value = member;

    public override void ToMember(in T value, ref T member) => member = value;
}

/// <summary>A <see cref="string"/> member as text; null reads as empty text.</summary>
internal sealed class StringConverter : MemberConverter<string?, ReadOnlyMemory<char>>
{
    public override void ToValue(string? member, ref ReadOnlyMemory<char> value) => value = member.AsMemory();

    public override void ToMember(in ReadOnlyMemory<char> value, ref string? member) => member = value.ToString();
}

/// <summary>
/// An array member as a vector; a fixed-size vector column rejects arrays of another length, naming the column.
/// </summary>
internal sealed class ArrayConverter<TItem, TMemberItem> : MemberConverter<TMemberItem[]?, VBuffer<TItem>>
{
    private readonly string _columnName;
    private readonly int _fixedSize;
    private readonly MemberConverter<TMemberItem, TItem> _item;

    public ArrayConverter(string columnName, int fixedSize, MemberConverter<TMemberItem, TItem> item)
    {
        _columnName = columnName;
        _fixedSize = fixedSize;
        _item = item;
    }

    public override void ToValue(TMemberItem[]? member, ref VBuffer<TItem> value)
    {
        int length = member?.Length ?? 0;
        if (_fixedSize > 0 && length != _fixedSize)
            throw new InvalidOperationException(
                $"Column '{_columnName}' is a vector of fixed size {_fixedSize}, but the member holds {(member is null ? "null" : $"an array of {length}")}.");
        var items = VBuffer<TItem>.PrepareDense(ref value, length);
        for (int i = 0; i < length; i++)
            _item.ToValue(member![i], ref items[i]);
    }

    public override void ToMember(in VBuffer<TItem> value, ref TMemberItem[]? member)
    {
        var source = value.GetValues();
        if (member is null || member.Length != source.Length)
            member = new TMemberItem[source.Length];
        for (int i = 0; i < source.Length; i++)
            _item.ToMember(source[i], ref member[i]);
    }
}
