using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Google.Protobuf;
using MLNetExt.Core.Onnx.Protobuf;

namespace MLNetExt.Core.Onnx;

/// <summary>Builds <c>TensorProto</c>s: numbers in <c>raw_data</c> (little-endian, row-major), strings in <c>string_data</c>.</summary>
internal static class OnnxTensors
{
    public static TensorProto FromTensor(string name, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var dims = new long[tensor.Rank];
        for (int axis = 0; axis < dims.Length; axis++) dims[axis] = tensor.Dim(axis);
        return FromFloats(name, tensor.Span, dims);
    }

    public static TensorProto FromFloats(string name, ReadOnlySpan<float> values, ReadOnlySpan<long> dims)
    {
        CheckCount(values.Length, dims);
        var bytes = new byte[values.Length * sizeof(float)];
        if (BitConverter.IsLittleEndian)
            MemoryMarshal.AsBytes(values).CopyTo(bytes);
        else
            for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
        return Create(name, OnnxElementType.Float, dims, bytes);
    }

    public static TensorProto FromInt64(string name, ReadOnlySpan<long> values, ReadOnlySpan<long> dims)
    {
        CheckCount(values.Length, dims);
        var bytes = new byte[values.Length * sizeof(long)];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * sizeof(long)), values[i]);
        return Create(name, OnnxElementType.Int64, dims, bytes);
    }

    public static TensorProto FromInt32(string name, ReadOnlySpan<int> values, ReadOnlySpan<long> dims)
    {
        CheckCount(values.Length, dims);
        var bytes = new byte[values.Length * sizeof(int)];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(i * sizeof(int)), values[i]);
        return Create(name, OnnxElementType.Int32, dims, bytes);
    }

    public static TensorProto FromStrings(string name, ReadOnlySpan<string> values, ReadOnlySpan<long> dims)
    {
        CheckCount(values.Length, dims);
        var proto = new TensorProto { Name = name, DataType = (int)OnnxElementType.String };
        foreach (long dim in dims) proto.Dims.Add(dim);
        foreach (string value in values) proto.StringData.Add(ByteString.CopyFromUtf8(value));
        return proto;
    }

    private static TensorProto Create(string name, OnnxElementType type, ReadOnlySpan<long> dims, byte[] bytes)
    {
        var proto = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(bytes) };
        foreach (long dim in dims) proto.Dims.Add(dim);
        return proto;
    }

    private static void CheckCount(int count, ReadOnlySpan<long> dims)
    {
        long expected = 1;
        foreach (long dim in dims) expected *= dim;
        if (expected != count)
            throw new ArgumentException($"{count} values do not fill the shape [{string.Join(", ", dims.ToArray())}] ({expected} values).", "values");
    }
}
