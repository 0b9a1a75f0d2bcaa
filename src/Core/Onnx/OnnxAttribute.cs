using Google.Protobuf;
using MLNetExt.Core.Onnx.Protobuf;

namespace MLNetExt.Core.Onnx;

/// <summary>Typed node attributes (ONNX <c>AttributeProto</c>), one factory per attribute type.</summary>
public static class OnnxAttribute
{
    /// <summary>An <c>INT</c> attribute (ONNX stores integers as int64).</summary>
    public static AttributeProto Int(string name, long value)
        => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    /// <summary>A <c>FLOAT</c> attribute.</summary>
    public static AttributeProto Float(string name, float value)
        => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    /// <summary>A <c>STRING</c> attribute, stored as UTF-8 bytes.</summary>
    public static AttributeProto String(string name, string value)
        => new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    /// <summary>An <c>INTS</c> attribute.</summary>
    public static AttributeProto Ints(string name, params ReadOnlySpan<long> values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        foreach (long value in values) attribute.Ints.Add(value);
        return attribute;
    }

    /// <summary>A <c>FLOATS</c> attribute.</summary>
    public static AttributeProto Floats(string name, params ReadOnlySpan<float> values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Floats };
        foreach (float value in values) attribute.Floats.Add(value);
        return attribute;
    }

    /// <summary>A <c>STRINGS</c> attribute, each stored as UTF-8 bytes.</summary>
    public static AttributeProto Strings(string name, params ReadOnlySpan<string> values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Strings };
        foreach (string value in values) attribute.Strings.Add(ByteString.CopyFromUtf8(value));
        return attribute;
    }

    /// <summary>A <c>TENSOR</c> attribute holding <paramref name="tensor"/>'s values (float32), e.g. for <c>Constant</c> or <c>ConstantOfShape</c>.</summary>
    public static AttributeProto Tensor(string name, Tensor tensor)
        => new() { Name = name, Type = AttributeProto.Types.AttributeType.Tensor, T = OnnxTensors.FromTensor("", tensor) };

    /// <summary>A <c>GRAPH</c> attribute: a control-flow node's body (see <see cref="OnnxGraphBuilder.CreateSubgraph"/>).</summary>
    public static AttributeProto Graph(string name, GraphProto graph)
        => new() { Name = name, Type = AttributeProto.Types.AttributeType.Graph, G = graph };
}
