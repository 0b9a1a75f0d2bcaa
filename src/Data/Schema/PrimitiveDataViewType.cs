namespace MLNetExt.Data;

/// <summary>
/// A column type whose values are single, immutable items (numbers, booleans, text, keys), as opposed to
/// vectors of them; mirrors ML.NET's <c>PrimitiveDataViewType</c>.
/// </summary>
public abstract class PrimitiveDataViewType : DataViewType
{
    /// <summary>Creates a primitive column type carried as <paramref name="rawType"/>.</summary>
    /// <param name="rawType">The .NET type of the values.</param>
    protected PrimitiveDataViewType(Type rawType) : base(rawType)
    {
    }
}
