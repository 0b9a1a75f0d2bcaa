using System.Reflection;

namespace MLNetExt.Data;

/// <summary>
/// Holds copies of several rows of one column, so that a view can hand rows out in another order than it read them.
/// Each slot owns its buffers; vectors are copied out, so a consumer never sees a slot's array.
/// </summary>
internal abstract class RowSlots
{
    /// <summary>Stores the input's current value of the column in <paramref name="slot"/>.</summary>
    public abstract void Capture(int slot);

    /// <summary>A getter of the value stored in the slot <paramref name="currentSlot"/> returns.</summary>
    public abstract ValueGetter<TValue> MakeGetter<TValue>(Func<int> currentSlot);

    /// <summary>Slots for <paramref name="column"/> of <paramref name="input"/>, read through its getter.</summary>
    public static RowSlots Create(DataViewRowCursor input, DataViewSchema.Column column, int capacity) =>
        (RowSlots)typeof(RowSlots).GetMethod(nameof(CreateTyped), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(column.Type.RawType).Invoke(null, [input, column, capacity])!;

    private static RowSlots CreateTyped<T>(DataViewRowCursor input, DataViewSchema.Column column, int capacity) =>
        new RowSlots<T>(input.GetGetter<T>(column), capacity);
}

/// <summary>Row slots of raw type <typeparamref name="T"/>.</summary>
internal sealed class RowSlots<T> : RowSlots
{
    private static readonly ValueCopier s_copy = CreateCopier();

    private readonly ValueGetter<T> _source;
    private readonly T[] _slots;

    public RowSlots(ValueGetter<T> source, int capacity)
    {
        _source = source;
        _slots = new T[capacity];
    }

    private delegate void ValueCopier(in T source, ref T destination);

    public override void Capture(int slot) => _source(ref _slots[slot]);

    public override ValueGetter<TValue> MakeGetter<TValue>(Func<int> currentSlot)
    {
        ValueGetter<T> getter = (ref T value) => s_copy(_slots[currentSlot()], ref value);
        return (ValueGetter<TValue>)(object)getter;
    }

    private static ValueCopier CreateCopier()
    {
        if (typeof(T).IsGenericType && typeof(T).GetGenericTypeDefinition() == typeof(VBuffer<>))
        {
            var copy = typeof(T).GetMethod("Copy", BindingFlags.NonPublic | BindingFlags.Static)!;
            return copy.CreateDelegate<ValueCopier>();
        }
        return (in T source, ref T destination) => destination = source;
    }
}
