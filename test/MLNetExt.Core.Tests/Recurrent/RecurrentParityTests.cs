using FluentAssertions;
using MLNetExt.Core.Autograd;
using MLNetExt.Core.Modules;
using MLNetExt.Core.Modules.Recurrent;
using MLNetExt.Core.Ops;
using MLNetExt.Core.Tests.Infrastructure;

namespace MLNetExt.Core.Tests.Recurrent;

/// <summary>Parity with torch.nn.LSTM/GRU/RNN and the cells (Reference/generate_recurrent.py, float64 references).</summary>
public class RecurrentParityTests
{
    private const double GradientTolerance = 2e-6;

    [Theory]
    [InlineData("lstm_1layer", "LSTM")]
    [InlineData("lstm_1layer_state_lengths", "LSTM")]
    [InlineData("lstm_2layer_bi_lengths", "LSTM")]
    [InlineData("lstm_2layer_bi_time_major", "LSTM")]
    [InlineData("lstm_nobias", "LSTM")]
    [InlineData("gru_1layer_state", "GRU")]
    [InlineData("gru_2layer_bi_lengths", "GRU")]
    [InlineData("gru_1layer_time_major_lengths", "GRU")]
    [InlineData("rnn_tanh_2layer_bi_lengths", "RNN")]
    [InlineData("rnn_relu_1layer_state", "RNN-relu")]
    public void Sequence_layer_matches_torch_forward_and_gradients(string name, string kind)
    {
        var r = ReferenceData.Load($"recurrent/{name}.json");
        int input = r.MetaInt("input_size"), hidden = r.MetaInt("hidden_size"), layers = r.MetaInt("num_layers");
        bool bidirectional = r.MetaInt("bidirectional") == 1, batchFirst = r.MetaInt("batch_first") == 1, bias = r.MetaInt("bias") == 1;
        RecurrentBase layer = kind switch
        {
            "LSTM" => new LSTM(input, hidden, layers, bias, batchFirst, bidirectional: bidirectional),
            "GRU" => new GRU(input, hidden, layers, bias, batchFirst, bidirectional: bidirectional),
            "RNN" => new RNN(input, hidden, layers, RnnNonlinearity.Tanh, bias, batchFirst, bidirectional: bidirectional),
            _ => new RNN(input, hidden, layers, RnnNonlinearity.Relu, bias, batchFirst, bidirectional: bidirectional),
        };
        LoadParameters(layer, r);
        var x = RecurrentTesting.RequiringGrad(r.Tensor("x"));
        var h0 = r.Has("h0") ? RecurrentTesting.RequiringGrad(r.Tensor("h0")) : null;
        var c0 = r.Has("c0") ? RecurrentTesting.RequiringGrad(r.Tensor("c0")) : null;
        int[] lengths = r.Has("lengths") ? r.Ints("lengths") : [];

        var tape = new Tape();
        var result = layer.Forward(x, lengths, h0, c0, tape);
        var loss = RecurrentTesting.WeightedLoss(result, r.Tensor("d_out"), r.Tensor("d_h"), r.Has("d_c") ? r.Tensor("d_c") : null, tape);
        tape.Backward(loss);

        TensorAssert.Close(result.Output, r.Tensor("out"), what: "output");
        TensorAssert.Close(result.HiddenState, r.Tensor("h_n"), what: "h_n");
        if (r.Has("c_n")) TensorAssert.Close(result.CellState!, r.Tensor("c_n"), what: "c_n");
        else result.CellState.Should().BeNull();
        TensorAssert.Close(x.Grad!, r.Tensor("grad_x"), atol: GradientTolerance, what: "dX");
        if (h0 is not null) TensorAssert.Close(h0.Grad!, r.Tensor("grad_h0"), atol: GradientTolerance, what: "dh0");
        if (c0 is not null) TensorAssert.Close(c0.Grad!, r.Tensor("grad_c0"), atol: GradientTolerance, what: "dc0");
        foreach (var (parameterName, parameter) in layer.NamedParameters())
            TensorAssert.Close(parameter.Grad!, r.Tensor("grad_" + parameterName), atol: GradientTolerance, what: "d" + parameterName);
    }

    [Theory]
    [InlineData("lstm_cell")]
    [InlineData("lstm_cell_zero_state")]
    [InlineData("gru_cell")]
    [InlineData("rnn_cell_tanh")]
    [InlineData("rnn_cell_relu")]
    public void Cell_matches_torch_forward_and_gradients(string name)
    {
        var r = ReferenceData.Load($"recurrent/{name}.json");
        int input = r.MetaInt("input_size"), hidden = r.MetaInt("hidden_size");
        RecurrentCellBase cell = name switch
        {
            _ when name.StartsWith("lstm") => new LSTMCell(input, hidden),
            "gru_cell" => new GRUCell(input, hidden),
            "rnn_cell_tanh" => new RNNCell(input, hidden),
            _ => new RNNCell(input, hidden, nonlinearity: RnnNonlinearity.Relu),
        };
        LoadParameters(cell, r);
        var x = RecurrentTesting.RequiringGrad(r.Tensor("x"));
        var h0 = r.Has("h0") ? RecurrentTesting.RequiringGrad(r.Tensor("h0")) : null;
        var c0 = r.Has("c0") ? RecurrentTesting.RequiringGrad(r.Tensor("c0")) : null;

        var tape = new Tape();
        Tensor h1, loss;
        if (cell is LSTMCell lstm)
        {
            var (h, c) = lstm.Forward(x, h0, c0, tape);
            h1 = h;
            TensorAssert.Close(c, r.Tensor("c1"), what: "c'");
            loss = TensorOps.Add(TensorOps.Sum(TensorOps.Multiply(h, r.Tensor("d_h"), tape), tape),
                TensorOps.Sum(TensorOps.Multiply(c, r.Tensor("d_c"), tape), tape), tape);
        }
        else
        {
            h1 = cell is GRUCell gru ? gru.Forward(x, h0, tape) : ((RNNCell)cell).Forward(x, h0, tape);
            loss = TensorOps.Sum(TensorOps.Multiply(h1, r.Tensor("d_h"), tape), tape);
        }
        tape.Backward(loss);

        TensorAssert.Close(h1, r.Tensor("h1"), what: "h'");
        TensorAssert.Close(x.Grad!, r.Tensor("grad_x"), atol: GradientTolerance, what: "dX");
        if (h0 is not null) TensorAssert.Close(h0.Grad!, r.Tensor("grad_h0"), atol: GradientTolerance, what: "dh");
        if (c0 is not null) TensorAssert.Close(c0.Grad!, r.Tensor("grad_c0"), atol: GradientTolerance, what: "dc");
        foreach (var (parameterName, parameter) in cell.NamedParameters())
            TensorAssert.Close(parameter.Grad!, r.Tensor("grad_" + parameterName), atol: GradientTolerance, what: "d" + parameterName);
    }

    private static void LoadParameters(Module module, ReferenceData r)
    {
        var names = module.NamedParameters().Select(p => p.Key).ToList();
        foreach (var (parameterName, parameter) in module.NamedParameters())
            parameter.CopyFrom(r.Tensor(parameterName));
        names.Should().OnlyContain(n => r.Has(n), "every parameter is named as in PyTorch");
    }
}
