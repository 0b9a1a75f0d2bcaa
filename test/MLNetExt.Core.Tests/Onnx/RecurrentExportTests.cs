using FluentAssertions;
using MLNetExt.Core.Modules.Recurrent;
using MLNetExt.Core.Onnx;
using static MLNetExt.Core.Tests.Onnx.OnnxRuntimeCheck;

namespace MLNetExt.Core.Tests.Onnx;

/// <summary>RNN, LSTM and GRU graphs in ONNX Runtime against the engine: outputs, h_n and c_n, with padded batches.</summary>
public class RecurrentExportTests
{
    private static RecurrentBase Create(string cell, int input, int hidden, int layers, bool bidirectional, bool batchFirst, int seed)
    {
        var random = new RandomSource((ulong)seed);
        return cell switch
        {
            "LSTM" => new LSTM(input, hidden, layers, batchFirst: batchFirst, bidirectional: bidirectional, random: random),
            "GRU" => new GRU(input, hidden, layers, batchFirst: batchFirst, bidirectional: bidirectional, random: random),
            "RNN-tanh" => new RNN(input, hidden, layers, batchFirst: batchFirst, bidirectional: bidirectional, random: random),
            _ => new RNN(input, hidden, layers, RnnNonlinearity.Relu, batchFirst: batchFirst, bidirectional: bidirectional, random: random),
        };
    }

    public static TheoryData<string, int, bool, bool> Cases()
    {
        var data = new TheoryData<string, int, bool, bool>();
        foreach (string cell in new[] { "LSTM", "GRU", "RNN-tanh", "RNN-relu" })
            foreach (int layers in new[] { 1, 2 })
                foreach (bool bidirectional in new[] { false, true })
                    data.Add(cell, layers, bidirectional, true);
        data.Add("LSTM", 2, true, false);
        data.Add("GRU", 2, true, false);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_the_engine_on_sequences_of_different_lengths(string cell, int layers, bool bidirectional, bool batchFirst)
        => Check(cell, layers, bidirectional, batchFirst, steps: 7, lengths: [7, 3, 1, 5], tolerance: 1e-5f);

    [Theory]
    [InlineData("LSTM")]
    [InlineData("GRU")]
    public void Matches_the_engine_on_long_sequences(string cell)
        => Check(cell, 2, true, true, steps: 64, lengths: [64, 37, 51], tolerance: 1e-4f);

    [Fact]
    public void Without_lengths_every_sequence_runs_to_the_end()
    {
        var rnn = Create("GRU", 3, 4, 1, false, true, 5);
        rnn.Eval();
        var x = new Tensor(2, 5, 3);
        new RandomSource(6).FillUniform(x.Span, -1f, 1f);
        var graph = new OnnxGraphBuilder();
        var input = graph.AddInput("x", OnnxElementType.Float, ["N", 5, 3]);
        graph.AddOutput(OnnxExport.Module(graph, rnn, input, "rnn"), "y");
        ShouldMatch(Run(graph.ToBytes(), ("x", x.Span.ToArray(), [2, 5, 3]))[0].Values, rnn.Forward(x).Span);
    }

    [Fact]
    public void Parameters_keep_their_pytorch_names_and_layout()
    {
        var lstm = Create("LSTM", 3, 4, 2, true, true, 7);
        var graph = new OnnxGraphBuilder();
        lstm.ExportOnnx(graph, graph.AddInput("x", OnnxElementType.Float, ["N", 5, 3]), null, "rnn");
        var initializers = graph.Build().Graph.Initializer.ToDictionary(i => i.Name);
        foreach (var (name, tensor) in lstm.NamedParameters("rnn."))
        {
            initializers.Should().ContainKey(name);
            initializers[name].Dims.Should().Equal(tensor.Shape.ToArray().Select(d => (long)d));
            var stored = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(initializers[name].RawData.Span);
            stored.ToArray().Should().Equal(tensor.Span.ToArray());
        }
    }

    private static void Check(string cell, int layers, bool bidirectional, bool batchFirst, int steps, int[] lengths, float tolerance)
    {
        const int inputSize = 3, hidden = 5;
        int batch = lengths.Length;
        var rnn = Create(cell, inputSize, hidden, layers, bidirectional, batchFirst, seed: layers * 10 + steps);
        rnn.Eval();
        int[] shape = batchFirst ? [batch, steps, inputSize] : [steps, batch, inputSize];
        var x = new Tensor(shape);
        new RandomSource(42).FillUniform(x.Span, -2f, 2f);
        var expected = rnn.Forward(x, lengths);

        var graph = new OnnxGraphBuilder();
        var input = graph.AddInput("x", OnnxElementType.Float, batchFirst ? ["N", steps, inputSize] : [steps, "N", inputSize]);
        var lengthsInput = graph.AddInput("lengths", OnnxElementType.Int32, ["N"]);
        var exported = rnn.ExportOnnx(graph, input, lengthsInput, "rnn");
        graph.AddOutput(exported.Output, "y");
        graph.AddOutput(exported.HiddenState, "h_n");
        if (exported.CellState is { } cellState) graph.AddOutput(cellState, "c_n");

        var results = Run(graph.ToBytes(), ("x", x.Span.ToArray(), shape), ("lengths", lengths, [batch]));
        results[0].Shape.Should().Equal(expected.Output.Shape.ToArray());
        ShouldMatch(results[0].Values, expected.Output.Span, tolerance, "output");
        results[1].Shape.Should().Equal(expected.HiddenState.Shape.ToArray());
        ShouldMatch(results[1].Values, expected.HiddenState.Span, tolerance, "h_n");
        if (cell == "LSTM") ShouldMatch(results[2].Values, expected.CellState!.Span, tolerance, "c_n");
    }
}
