using Microsoft.ML;

namespace MLNetExt.Transforms;

/// <summary>Makes the getter of an added column from an input cursor, typed by the column's raw type.</summary>
internal abstract class ColumnGetterFactory
{
    /// <summary>A getter reading the added column for the row <paramref name="input"/> is on.</summary>
    /// <typeparam name="TValue">The added column's raw type.</typeparam>
    public abstract ValueGetter<TValue> Make<TValue>(DataViewRow input);

    /// <summary>A factory whose getters have the known raw type <typeparamref name="T"/>.</summary>
    public static ColumnGetterFactory Of<T>(Func<DataViewRow, ValueGetter<T>> make) => new Typed<T>(make);

    private sealed class Typed<T>(Func<DataViewRow, ValueGetter<T>> make) : ColumnGetterFactory
    {
        public override ValueGetter<TValue> Make<TValue>(DataViewRow input) =>
            make(input) as ValueGetter<TValue> ?? throw new InvalidOperationException(
                $"The getter of this column reads {typeof(T)}, not {typeof(TValue)}.");
    }
}
