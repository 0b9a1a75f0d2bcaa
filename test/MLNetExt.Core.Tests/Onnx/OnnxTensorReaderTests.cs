using FluentAssertions;
using Google.Protobuf;
using MLNetExt.Core;
using MLNetExt.Core.Onnx;
using MLNetExt.Core.Onnx.Protobuf;
using Xunit;

namespace MLNetExt.Core.Tests.Onnx;

public class OnnxTensorReaderTests
{
    [Fact]
    public void A_float_initializer_reads_back_bit_for_bit()
    {
        var graph = new OnnxGraphBuilder();
        var tensor = new Tensor([1.5f, -0f, float.Epsilon, 3e38f, -2.25f, 7f], 2, 3);
        graph.AddInitializer("w", tensor);

        var read = OnnxTensorReader.ToFloatTensor(graph.Build().Graph.Initializer.Single())!;

        read.Shape.ToArray().Should().Equal(2, 3);
        read.Span.ToArray().Select(BitConverter.SingleToInt32Bits).Should().Equal(tensor.Span.ToArray().Select(BitConverter.SingleToInt32Bits));
        graph.HoldsInitializer("w", tensor).Should().BeTrue();
        graph.HoldsInitializer("w", new Tensor([1.5f, 0f, float.Epsilon, 3e38f, -2.25f, 7f], 2, 3)).Should().BeFalse("-0 and 0 differ in their bits");
        graph.HoldsInitializer("w", new Tensor([1.5f, -0f, float.Epsilon, 3e38f, -2.25f, 7f], 3, 2)).Should().BeFalse("the shape differs");
        graph.HoldsInitializer("v", tensor).Should().BeFalse();
    }

    [Theory]
    [InlineData("short data")]
    [InlineData("negative dimension")]
    [InlineData("huge dimensions")]
    [InlineData("not float")]
    public void A_malformed_initializer_is_refused_before_anything_is_allocated(string problem)
    {
        var proto = new TensorProto { Name = "w", DataType = (int)OnnxElementType.Float, RawData = ByteString.CopyFrom(new byte[8]) };
        proto.Dims.Add(problem switch
        {
            "negative dimension" => [-2],
            "huge dimensions" => [int.MaxValue, int.MaxValue],
            _ => [3],
        });
        if (problem == "not float")
            proto.DataType = (int)OnnxElementType.Int32;

        OnnxTensorReader.ToFloatTensor(proto).Should().BeNull();
    }
}
