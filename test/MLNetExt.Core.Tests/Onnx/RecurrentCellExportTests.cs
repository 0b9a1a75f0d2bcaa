using FluentAssertions;
using MLNetExt.Core.Modules.Recurrent;
using MLNetExt.Core.Onnx;
using static MLNetExt.Core.Tests.Onnx.OnnxRuntimeCheck;

namespace MLNetExt.Core.Tests.Onnx;

/// <summary>One step of LSTMCell, GRUCell and RNNCell (tanh and ReLU; with and without biases) in ONNX Runtime against the engine.</summary>
public class RecurrentCellExportTests
{
    [Theory]
    [InlineData("LSTM", true)]
    [InlineData("LSTM", false)]
    [InlineData("GRU", true)]
    [InlineData("GRU", false)]
    [InlineData("RNN-tanh", true)]
    [InlineData("RNN-relu", true)]
    public void One_step_matches_the_engine(string kind, bool bias)
    {
        const int Batch = 3, Input = 5, Hidden = 4;
        var random = new RandomSource(21);
        RecurrentCellBase cell = kind switch
        {
            "LSTM" => new LSTMCell(Input, Hidden, bias, random),
            "GRU" => new GRUCell(Input, Hidden, bias, random),
            "RNN-tanh" => new RNNCell(Input, Hidden, bias, RnnNonlinearity.Tanh, random),
            _ => new RNNCell(Input, Hidden, bias, RnnNonlinearity.Relu, random),
        };
        var x = new Tensor(Batch, Input);
        var h = new Tensor(Batch, Hidden);
        var c = new Tensor(Batch, Hidden);
        random.FillUniform(x.Span, -1.5f, 1.5f);
        random.FillUniform(h.Span, -1f, 1f);
        random.FillUniform(c.Span, -1f, 1f);
        (Tensor H, Tensor? C) expected = cell switch
        {
            LSTMCell lstm => lstm.Forward(x, h, c),
            GRUCell gru => (gru.Forward(x, h), null),
            RNNCell rnn => (rnn.Forward(x, h), null),
            _ => throw new InvalidOperationException(),
        };

        var graph = new OnnxGraphBuilder();
        var xValue = graph.AddInput("x", OnnxElementType.Float, [Batch, Input]);
        var hValue = graph.AddInput("h", OnnxElementType.Float, [Batch, Hidden]);
        var cValue = cell is LSTMCell ? graph.AddInput("c", OnnxElementType.Float, [Batch, Hidden]) : null;
        var (hOut, cOut) = cell.ExportOnnx(graph, xValue, hValue, cValue, "decoder");
        graph.AddOutput(hOut, "h_next");
        if (cOut is not null)
            graph.AddOutput(cOut, "c_next");
        var inputs = new List<(string, object, int[])> { ("x", x.Span.ToArray(), [Batch, Input]), ("h", h.Span.ToArray(), [Batch, Hidden]) };
        if (cValue is not null)
            inputs.Add(("c", c.Span.ToArray(), [Batch, Hidden]));

        var outputs = Run(graph.ToBytes(), [.. inputs]);

        ShouldMatch(outputs[0].Values, expected.H.Span, what: "h'");
        if (expected.C is not null)
            ShouldMatch(outputs[1].Values, expected.C.Span, what: "c'");
        graph.Build().Graph.Initializer.Select(i => i.Name).Should().Contain("decoder.weight_ih").And.Contain("decoder.weight_hh");
    }

    [Fact]
    public void An_LSTM_cell_needs_its_cell_state_and_other_cells_take_none()
    {
        var graph = new OnnxGraphBuilder();
        var x = graph.AddInput("x", OnnxElementType.Float, [1, 2]);
        var h = graph.AddInput("h", OnnxElementType.Float, [1, 3]);

        var lstm = () => new LSTMCell(2, 3).ExportOnnx(graph, x, h, null, "cell");
        lstm.Should().Throw<ArgumentException>().WithMessage("An LSTM cell needs its cell state c*");
        var gru = () => new GRUCell(2, 3).ExportOnnx(graph, x, h, h, "cell");
        gru.Should().Throw<ArgumentException>().WithMessage("GRUCell has no cell state*");
    }
}
