namespace MLNetExt.Core.Serialization;

/// <summary>The element types named by the safetensors specification, with their sizes, and which of them MLNetExt reads.</summary>
internal static class SafeTensorsDType
{
    public const string Float32 = "F32";

    private static readonly Dictionary<string, int> s_sizes = new(StringComparer.Ordinal)
    {
        ["BOOL"] = 1, ["U8"] = 1, ["I8"] = 1, ["F8_E5M2"] = 1, ["F8_E4M3"] = 1,
        ["I16"] = 2, ["U16"] = 2, ["F16"] = 2, ["BF16"] = 2,
        ["I32"] = 4, ["U32"] = 4, ["F32"] = 4,
        ["I64"] = 8, ["U64"] = 8, ["F64"] = 8,
    };

    /// <summary>The dtypes converted to float32 on reading.</summary>
    public const string Readable = "F32, F16, BF16, F64";

    public static bool TryGetSize(string dtype, out int size) => s_sizes.TryGetValue(dtype, out size);

    public static bool IsReadable(string dtype) => dtype is "F32" or "F16" or "BF16" or "F64";
}
