using System.Buffers.Binary;
using MLNetExt.Core.Onnx.Protobuf;

namespace MLNetExt.Core.Onnx;

/// <summary>Reads tensors back out of ONNX graphs (a saved model's initializers), checking every size against the data.</summary>
public static class OnnxTensorReader
{
    /// <summary>
    /// The float tensor in <paramref name="proto"/>'s <c>raw_data</c>, or null when it is not one: another type, data
    /// not in <c>raw_data</c>, a negative or oversized dimension, or a byte count that does not match the shape.
    /// Every size is checked before anything is allocated, since the proto may come from an untrusted file.
    /// </summary>
    /// <param name="proto">An initializer.</param>
    public static Tensor? ToFloatTensor(TensorProto proto)
    {
        ArgumentNullException.ThrowIfNull(proto);
        if (proto.DataType != (int)OnnxElementType.Float || proto.Dims.Count == 0)
            return null;
        long count = 1;
        foreach (long dim in proto.Dims)
        {
            if (dim < 1 || dim > int.MaxValue || (count *= dim) > Array.MaxLength)
                return null;
        }
        if (proto.RawData.Length != count * sizeof(float))
            return null;
        var values = new float[count];
        var bytes = proto.RawData.Span;
        for (int i = 0; i < values.Length; i++)
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.Slice(i * sizeof(float)));
        return new Tensor(values, [.. proto.Dims.Select(d => (int)d)]);
    }

}
