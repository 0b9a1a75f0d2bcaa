namespace MLNetExt.Data;

/// <summary>
/// Reads the current row's value of one column into <paramref name="value"/>, as ML.NET's <c>ValueGetter</c>;
/// passing the destination by reference lets vector getters reuse its buffer from row to row.
/// </summary>
/// <typeparam name="TValue">The column type's raw type.</typeparam>
/// <param name="value">Receives the value.</param>
public delegate void ValueGetter<TValue>(ref TValue value);
