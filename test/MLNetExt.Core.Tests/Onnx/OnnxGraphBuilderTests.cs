using FluentAssertions;
using Microsoft.ML.OnnxRuntime;
using MLNetExt.Core.Onnx;
using MLNetExt.Core.Onnx.Protobuf;

namespace MLNetExt.Core.Tests.Onnx;

public class OnnxGraphBuilderTests
{
    [Fact]
    public void The_model_carries_its_versions_metadata_and_shapes()
    {
        var graph = new OnnxGraphBuilder { ProducerName = "tests", DocString = "a doc" };
        var x = graph.AddInput("x", OnnxElementType.Float, ["N", 3]);
        graph.AddMetadata("mlnetext.kind", "test");
        graph.AddMetadata("mlnetext.parameters", "weight");
        var weight = graph.AddInitializer("weight", Tensor.FromValues([1f, 2f, 3f], 3));
        graph.AddOutput(x.As(graph.AddNode("Mul", [x.Name, weight.Name], "scale")), "y");

        var model = ModelProto.Parser.ParseFrom(graph.ToBytes());
        model.IrVersion.Should().Be(8);
        model.OpsetImport.Should().ContainSingle().Which.Version.Should().Be(17);
        model.ProducerName.Should().Be("tests");
        model.MetadataProps.Select(p => (p.Key, p.Value)).Should().Equal(("mlnetext.kind", "test"), ("mlnetext.parameters", "weight"));
        model.Graph.Input[0].Type.TensorType.Shape.Dim.Select(d => d.DimParam + d.DimValue).Should().Equal("N0", "3");
        model.Graph.Node.Select(n => n.Name).Should().Equal("/scale/Mul", "/y/Identity");

        using var session = new InferenceSession(graph.ToBytes());
        session.ModelMetadata.CustomMetadataMap.Should().Contain("mlnetext.kind", "test");
        session.ModelMetadata.ProducerName.Should().Be("tests");
        var y = OnnxRuntimeCheck.Run(graph.ToBytes(), ("x", new[] { 1f, 1f, 1f, 2f, 2f, 2f }, [2, 3]))[0];
        y.Values.Should().Equal(1f, 2f, 3f, 2f, 4f, 6f);
    }

    [Fact]
    public void Repeated_nodes_get_unique_names_and_constants_are_shared()
    {
        var graph = new OnnxGraphBuilder();
        var x = graph.AddInput("x", OnnxElementType.Float, ["N", 2, 3]);
        string first = graph.AddNode("Reshape", [x.Name, graph.Int64Constant(0, -1)], "a");
        string second = graph.AddNode("Reshape", [x.Name, graph.Int64Constant(0, -1)], "a");
        first.Should().Be("/a/Reshape_output_0");
        second.Should().Be("/a/Reshape_1_output_0");
        graph.Build().Graph.Initializer.Should().ContainSingle();
    }

    [Fact]
    public void Typed_initializers_and_attributes_are_written_as_onnx_expects()
    {
        var graph = new OnnxGraphBuilder();
        graph.AddInitializer("longs", [1L, -2L, 3L, 4L], [2, 2]);
        graph.AddInitializer("ints", [5, 6]);
        graph.AddInitializer("labels", ["cat", "dog"]);
        var model = graph.Build();
        var longs = model.Graph.Initializer[0];
        longs.DataType.Should().Be((int)TensorProto.Types.DataType.Int64);
        longs.Dims.Should().Equal(2, 2);
        System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(longs.RawData.Span).ToArray().Should().Equal(1, -2, 3, 4);
        model.Graph.Initializer[1].DataType.Should().Be((int)TensorProto.Types.DataType.Int32);
        model.Graph.Initializer[2].StringData.Select(s => s.ToStringUtf8()).Should().Equal("cat", "dog");

        OnnxAttribute.Ints("perm", 1, 0).Type.Should().Be(AttributeProto.Types.AttributeType.Ints);
        OnnxAttribute.Floats("scales", 1f, 2f).Floats.Should().Equal(1f, 2f);
        OnnxAttribute.String("direction", "forward").S.ToStringUtf8().Should().Be("forward");
        OnnxAttribute.Tensor("value", Tensor.FromValues([7f], 1)).T.Dims.Should().Equal(1);
    }

    [Fact]
    public void An_ml_domain_node_imports_ai_onnx_ml()
    {
        var graph = new OnnxGraphBuilder();
        var x = graph.AddInput("x", OnnxElementType.Float, ["N", 2]);
        graph.AddNodeOutputs("Normalizer", [x.Name], 1, "", OnnxGraphBuilder.MLDomain, OnnxAttribute.String("norm", "L1"));
        graph.Build().OpsetImport.Select(o => (o.Domain, o.Version)).Should().Equal(("", 17L), ("ai.onnx.ml", 3L));
    }

    [Fact]
    public void Names_are_checked()
    {
        var graph = new OnnxGraphBuilder();
        graph.AddInput("x", OnnxElementType.Float, [2]);
        graph.Invoking(g => g.AddInitializer("x", new Tensor(2))).Should().Throw<ArgumentException>().WithMessage("*'x' is already used*");
        graph.Invoking(g => g.AddNode("Relu", ["missing"], "")).Should().Throw<ArgumentException>().WithMessage("*'missing'*");
        graph.AddMetadata("k", "v");
        graph.Invoking(g => g.AddMetadata("k", "w")).Should().Throw<ArgumentException>();
    }

    [Fact]
    public void A_loop_body_reads_outer_values_and_its_initializers_live_in_the_outer_graph()
    {
        // acc₀ = x; each of 3 iterations: acc ← acc + x ⊙ w (w an initializer the body adds), scanned out each time.
        var graph = new OnnxGraphBuilder();
        var x = graph.AddInput("x", OnnxElementType.Float, [2]);
        var body = graph.CreateSubgraph("body");
        body.AddInput("iteration", OnnxElementType.Int64, []);
        var conditionIn = body.AddInput("condition_in", OnnxElementType.Bool, []);
        var accIn = body.AddInput("acc_in", OnnxElementType.Float, [2]);
        var w = body.AddInitializer("w", Tensor.FromValues([0.5f, -2f], [2]));
        string acc = body.AddNode("Add", [accIn.Name, body.AddNode("Mul", [x.Name, w.Name], "step")], "step");
        body.AddOutput(conditionIn.As(body.AddNode("Identity", [conditionIn.Name], "step")), "condition_out");
        body.AddOutput(accIn.As(acc), "acc_out");
        body.AddOutput(accIn.As(body.AddNode("Identity", [acc], "step")), "scan_out");
        body.Invoking(b => b.AddInput("x", OnnxElementType.Float, [2])).Should().Throw<ArgumentException>("names are unique across the model");
        var outputs = graph.AddNodeOutputs("Loop", [graph.AddInitializer("trips", [3L], []).Name, "", x.Name], 2, "loop", "",
            OnnxAttribute.Graph("body", body.BuildGraph()));
        graph.AddOutput(x.As(outputs[0]), "acc");
        graph.AddOutput(new OnnxValue(outputs[1], OnnxElementType.Float, [3, 2]), "steps");

        var results = OnnxRuntimeCheck.Run(graph.ToBytes(), ("x", new[] { 1f, 3f }, [2]));

        results[0].Values.Should().Equal(1f + 3 * 0.5f, 3f + 3 * -6f);
        results[1].Values.Should().Equal(1.5f, -3f, 2f, -9f, 2.5f, -15f);
        graph.Build().Graph.Initializer.Select(i => i.Name).Should().Contain("w");
        graph.Build().Graph.Node.Single(n => n.OpType == "Loop").Attribute.Single().G.Initializer.Should().BeEmpty();
    }
}
