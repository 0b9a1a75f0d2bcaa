namespace MLNetExt.Core.Onnx;

/// <summary>The element types MLNetExt's graphs use, with ONNX's <c>TensorProto.DataType</c> codes.</summary>
public enum OnnxElementType
{
    /// <summary>32-bit float (<c>FLOAT</c>, 1).</summary>
    Float = 1,

    /// <summary>32-bit signed integer (<c>INT32</c>, 6).</summary>
    Int32 = 6,

    /// <summary>64-bit signed integer (<c>INT64</c>, 7).</summary>
    Int64 = 7,

    /// <summary>UTF-8 string (<c>STRING</c>, 8).</summary>
    String = 8,

    /// <summary>Boolean (<c>BOOL</c>, 9).</summary>
    Bool = 9,

    /// <summary>32-bit unsigned integer (<c>UINT32</c>, 12): what ML.NET's OnnxTransformer feeds for a key column.</summary>
    UInt32 = 12,
}
