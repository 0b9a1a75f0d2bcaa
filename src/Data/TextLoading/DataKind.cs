namespace MLNetExt.Data;

/// <summary>
/// The kinds of values a text loader column can hold, as ML.NET's <c>DataKind</c> (same names and numbers; MLNetExt
/// supports this subset).
/// </summary>
public enum DataKind : byte
{
    /// <summary>32-bit signed integers.</summary>
    Int32 = 5,

    /// <summary>32-bit unsigned integers (also the raw type of keys).</summary>
    UInt32 = 6,

    /// <summary>32-bit floating point numbers.</summary>
    Single = 9,

    /// <summary>64-bit floating point numbers.</summary>
    Double = 10,

    /// <summary>Text.</summary>
    String = 11,

    /// <summary>Booleans.</summary>
    Boolean = 12,
}
