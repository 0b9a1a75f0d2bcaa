using FluentAssertions;
using MLNetExt.Core.Autograd;
using MLNetExt.Core.Modules.Recurrent;
using MLNetExt.Core.Ops;
using MLNetExt.Core.Optim;
using MLNetExt.Core.Tests.Infrastructure;

namespace MLNetExt.Core.Tests.Recurrent;

[Collection(EngineSettingsCollection.Name)]
public class RecurrentBehaviourTests
{
    public static TheoryData<string> Kinds => new() { "LSTM", "GRU", "RNN", "RNN-relu" };

    private static RecurrentBase Create(string kind, int input, int hidden, int layers = 1, bool bidirectional = false, float dropout = 0f, bool batchFirst = true) => kind switch
    {
        "LSTM" => new LSTM(input, hidden, layers, batchFirst: batchFirst, dropout: dropout, bidirectional: bidirectional, random: new RandomSource(3)),
        "GRU" => new GRU(input, hidden, layers, batchFirst: batchFirst, dropout: dropout, bidirectional: bidirectional, random: new RandomSource(3)),
        "RNN" => new RNN(input, hidden, layers, batchFirst: batchFirst, dropout: dropout, bidirectional: bidirectional, random: new RandomSource(3)),
        _ => new RNN(input, hidden, layers, RnnNonlinearity.Relu, batchFirst: batchFirst, dropout: dropout, bidirectional: bidirectional, random: new RandomSource(3)),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Stacked_bidirectional_layer_with_padding_passes_gradient_check(string kind)
    {
        var layer = Create(kind, 3, 2, layers: 2, bidirectional: true);
        var x = RecurrentTesting.Random(1, 2, 3, 3);
        var h0 = RecurrentTesting.Random(2, 4, 2, 2);
        var c0 = kind == "LSTM" ? RecurrentTesting.Random(3, 4, 2, 2) : null;
        int[] lengths = [3, 2];
        Tensor[] inputs = c0 is null ? [x, h0, .. layer.Parameters()] : [x, h0, c0, .. layer.Parameters()];
        GradCheck.Check(t => layer.Forward(x, lengths, h0, c0, t).Output, inputs, step: 1e-2f);
        GradCheck.Check(t => layer.Forward(x, lengths, h0, c0, t).HiddenState, inputs, step: 1e-2f);
        if (c0 is not null) GradCheck.Check(t => layer.Forward(x, lengths, h0, c0, t).CellState!, inputs, step: 1e-2f);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Cells_pass_gradient_check(string kind)
    {
        var x = RecurrentTesting.Random(4, 3, 4);
        var h = RecurrentTesting.Random(5, 3, 2);
        var c = RecurrentTesting.Random(6, 3, 2);
        switch (kind)
        {
            case "LSTM":
                var lstm = new LSTMCell(4, 2, random: new RandomSource(1));
                GradCheck.Check(t => lstm.Forward(x, h, c, t).H, [x, h, c, .. lstm.Parameters()]);
                GradCheck.Check(t => lstm.Forward(x, h, c, t).C, [x, h, c, .. lstm.Parameters()]);
                break;
            case "GRU":
                var gru = new GRUCell(4, 2, random: new RandomSource(1));
                GradCheck.Check(t => gru.Forward(x, h, t), [x, h, .. gru.Parameters()]);
                break;
            default:
                var rnn = new RNNCell(4, 2, nonlinearity: kind == "RNN" ? RnnNonlinearity.Tanh : RnnNonlinearity.Relu, random: new RandomSource(1));
                GradCheck.Check(t => rnn.Forward(x, h, t), [x, h, .. rnn.Parameters()]);
                break;
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Padding_never_leaks_into_outputs_states_or_gradients(string kind)
    {
        var layer = Create(kind, 3, 4, layers: 2, bidirectional: true);
        int[] lengths = [5, 2, 3];
        var x = RecurrentTesting.RequiringGrad(RecurrentTesting.Random(7, 3, 5, 3));
        var tape = new Tape();
        var result = layer.Forward(x, lengths, null, null, tape);
        tape.Backward(TensorOps.Add(TensorOps.Sum(result.Output, tape), TensorOps.Sum(result.HiddenState, tape), tape));
        var output = result.Output.Span.ToArray();
        var hidden = result.HiddenState.Span.ToArray();
        var gradient = x.Grad!.Span.ToArray();
        var weightGradients = layer.Parameters().Select(p => p.Grad!.Span.ToArray()).ToArray();
        for (int b = 0; b < 3; b++)
            for (int t = lengths[b]; t < 5; t++)
            {
                output.AsSpan((b * 5 + t) * 8, 8).ToArray().Should().OnlyContain(v => v == 0f, "padded steps output zeros");
                gradient.AsSpan((b * 5 + t) * 3, 3).ToArray().Should().OnlyContain(v => v == 0f, "padded steps get no gradient");
            }

        var changed = RecurrentTesting.RequiringGrad(x.Clone());
        for (int b = 0; b < 3; b++)
            for (int t = lengths[b]; t < 5; t++)
                for (int i = 0; i < 3; i++) changed.Span[(b * 5 + t) * 3 + i] = 100f + i;
        layer.ZeroGrad();
        var tape2 = new Tape();
        var again = layer.Forward(changed, lengths, null, null, tape2);
        tape2.Backward(TensorOps.Add(TensorOps.Sum(again.Output, tape2), TensorOps.Sum(again.HiddenState, tape2), tape2));
        again.Output.Span.ToArray().Should().Equal(output);
        again.HiddenState.Span.ToArray().Should().Equal(hidden);
        changed.Grad!.Span.ToArray().Should().Equal(gradient);
        layer.Parameters().Select(p => p.Grad!.Span.ToArray()).Should().BeEquivalentTo(weightGradients, o => o.WithStrictOrdering());
    }

    // Outputs and every gradient of a stack over a batch large enough that the layout moves, the time loop and the
    // GEMMs all run on two threads, compared bit for bit with one thread, and batch-first with time-major input.
    [Theory]
    [MemberData(nameof(Kinds))]
    public void Large_batches_give_bitwise_the_same_results_on_any_thread_count_and_in_either_layout(string kind)
    {
        const int batch = 24, steps = 40, input = 72, hidden = 40;
        var lengths = Enumerable.Range(0, batch).Select(b => steps - b % 7).ToArray();
        var batchFirst = RecurrentTesting.Random(21, batch, steps, input);
        var timeMajor = new Tensor(steps, batch, input);
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < steps; t++)
                batchFirst.Span.Slice((b * steps + t) * input, input).CopyTo(timeMajor.Span.Slice((t * batch + b) * input, input));
        var weights = RecurrentTesting.Random(22, batch, steps, 2 * hidden);

        (float[] Output, float[] InputGradient, float[][] ParameterGradients) Run(Tensor x, bool isBatchFirst, int threads)
        {
            int saved = Engine.ThreadCount;
            Engine.ThreadCount = threads;
            try
            {
                var layer = Create(kind, input, hidden, layers: 2, bidirectional: true, batchFirst: isBatchFirst);
                var xs = RecurrentTesting.RequiringGrad(x.Clone());
                var tape = new Tape();
                var result = layer.Forward(xs, lengths, null, null, tape);
                var output = result.Output.Span.ToArray();
                var outputGradient = isBatchFirst ? weights : TimeMajor(weights, batch, steps, 2 * hidden);
                tape.Backward(TensorOps.Add(TensorOps.Sum(TensorOps.Multiply(result.Output, outputGradient, tape), tape),
                    TensorOps.Sum(result.HiddenState, tape), tape));
                var inputGradient = xs.Grad!.Span.ToArray();
                if (!isBatchFirst)
                {
                    output = TimeMajor(new Tensor(output, [steps, batch, 2 * hidden]), steps, batch, 2 * hidden).Span.ToArray();
                    inputGradient = TimeMajor(new Tensor(inputGradient, [steps, batch, input]), steps, batch, input).Span.ToArray();
                }
                return (output, inputGradient, layer.Parameters().Select(p => p.Grad!.Span.ToArray()).ToArray());
            }
            finally
            {
                Engine.ThreadCount = saved;
            }
        }

        var reference = Run(batchFirst, isBatchFirst: true, threads: 1);
        foreach (var (name, other) in new[] { ("two threads", Run(batchFirst, true, 2)), ("time-major input", Run(timeMajor, false, 2)) })
        {
            other.Output.Select(BitConverter.SingleToInt32Bits).Should().Equal(reference.Output.Select(BitConverter.SingleToInt32Bits), name);
            other.InputGradient.Select(BitConverter.SingleToInt32Bits).Should().Equal(reference.InputGradient.Select(BitConverter.SingleToInt32Bits), name);
            for (int p = 0; p < reference.ParameterGradients.Length; p++)
                other.ParameterGradients[p].Select(BitConverter.SingleToInt32Bits)
                    .Should().Equal(reference.ParameterGradients[p].Select(BitConverter.SingleToInt32Bits), $"{name}, parameter {p}");
        }
    }

    // Shapes: [A, B, W] → [B, A, W].
    private static Tensor TimeMajor(Tensor source, int first, int second, int width)
    {
        var result = new Tensor(second, first, width);
        for (int a = 0; a < first; a++)
            for (int b = 0; b < second; b++)
                source.Span.Slice((a * second + b) * width, width).CopyTo(result.Span.Slice((b * first + a) * width, width));
        return result;
    }

    [Fact]
    public void Final_state_of_a_padded_sequence_is_its_state_at_its_last_step()
    {
        var layer = new LSTM(3, 4, random: new RandomSource(5));
        var x = RecurrentTesting.Random(8, 2, 5, 3);
        var full = layer.Forward(x, [5, 3]);
        var shortOnly = layer.Forward(Tensor.FromValues(x.Span.Slice(15, 9), 1, 3, 3), []);
        full.HiddenState.Span.Slice(4, 4).ToArray().Should().Equal(shortOnly.HiddenState.Span.ToArray());
        full.Output.Span.Slice((5 + 2) * 4, 4).ToArray().Should().Equal(shortOnly.Output.Span.Slice(2 * 4, 4).ToArray());
    }

    [Fact]
    public void Parameters_are_named_and_shaped_as_in_pytorch()
    {
        var lstm = new LSTM(5, 3, numLayers: 2, bidirectional: true);
        lstm.NamedParameters().Select(p => $"{p.Key}:{string.Join("x", p.Value.Shape.ToArray())}").Should().Equal(
            "weight_ih_l0:12x5", "weight_hh_l0:12x3", "bias_ih_l0:12", "bias_hh_l0:12",
            "weight_ih_l0_reverse:12x5", "weight_hh_l0_reverse:12x3", "bias_ih_l0_reverse:12", "bias_hh_l0_reverse:12",
            "weight_ih_l1:12x6", "weight_hh_l1:12x3", "bias_ih_l1:12", "bias_hh_l1:12",
            "weight_ih_l1_reverse:12x6", "weight_hh_l1_reverse:12x3", "bias_ih_l1_reverse:12", "bias_hh_l1_reverse:12");
        new GRU(5, 3, bias: false).NamedParameters().Select(p => p.Key).Should().Equal("weight_ih_l0", "weight_hh_l0");
        new GRUCell(5, 3).NamedParameters().Select(p => p.Key).Should().Equal("weight_ih", "weight_hh", "bias_ih", "bias_hh");
        float bound = 1f / MathF.Sqrt(3f);
        lstm.Parameters().SelectMany(p => p.Span.ToArray()).Should().OnlyContain(v => v >= -bound && v < bound);
        new LSTM(5, 3).OutputShape([2, 7, 5]).Should().Equal(2, 7, 3);
        new GRU(5, 3, bidirectional: true, batchFirst: false).OutputShape([7, 2, 5]).Should().Equal(7, 2, 6);
    }

    [Fact]
    public void Dropout_between_layers_applies_in_training_only()
    {
        var layer = new GRU(3, 4, numLayers: 2, dropout: 1f, random: new RandomSource(2));
        var x = RecurrentTesting.Random(9, 2, 4, 3);
        var dropped = layer.Forward(x);
        // With p = 1 the second layer sees zeros, so its output does not depend on the input at all.
        layer.Forward(RecurrentTesting.Random(10, 2, 4, 3)).Span.ToArray().Should().Equal(dropped.Span.ToArray());
        layer.Eval();
        layer.Forward(x).Span.ToArray().Should().NotEqual(dropped.Span.ToArray());
    }

    [Fact]
    public void Training_step_allocates_nothing_in_steady_state_and_state_carries_across_chunks()
    {
        var lstm = new LSTM(4, 8, numLayers: 2, bidirectional: true, dropout: 0.2f, random: new RandomSource(1));
        var optimizer = new Adam(lstm.Parameters(), lr: 1e-2);
        var x = RecurrentTesting.Random(11, 3, 6, 4);
        var hidden = new Tensor(4, 3, 8);
        var cell = new Tensor(4, 3, 8);
        int[] lengths = [6, 4, 5];
        var tape = new Tape();
        float Step()
        {
            tape.Reset();
            optimizer.ZeroGrad();
            var r = lstm.Forward(x, lengths, hidden, cell, tape);
            var loss = TensorOps.Mean(TensorOps.Multiply(r.Output, r.Output, tape), tape);
            tape.Backward(loss);
            GradientClipping.ClipGradNorm(lstm.Parameters(), 1.0);
            optimizer.Step();
            r.DetachStateInto(hidden, cell);
            return loss.Span[0];
        }
        float first = Step();
        Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        Step();
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0, "recurrent buffers are reused across steps");
        hidden.RequiresGrad.Should().BeFalse();
        hidden.Span.ToArray().Should().Contain(v => v != 0f, "the final state seeds the next chunk");
        for (int i = 0; i < 20; i++) Step();
        Step().Should().BeLessThan(first);
    }

    [Fact]
    public void Loss_on_final_state_only_still_reaches_the_weights()
    {
        var gru = new GRU(3, 2, random: new RandomSource(4));
        var x = RecurrentTesting.RequiringGrad(RecurrentTesting.Random(12, 2, 3, 3));
        var tape = new Tape();
        var r = gru.Forward(x, [], null, null, tape);
        tape.Backward(TensorOps.Sum(r.HiddenState, tape));
        x.Grad!.Span.ToArray().Should().Contain(v => v != 0f);
        gru.Parameters().Should().OnlyContain(p => p.Grad != null);
    }

    [Fact]
    public void Bad_input_is_rejected_with_a_clear_message()
    {
        var lstm = new LSTM(3, 2);
        var x = new Tensor(2, 4, 3);
        FluentActions.Invoking(() => lstm.Forward(new Tensor(2, 4, 5))).Should().Throw<ArgumentException>().WithMessage("*[B, T, 3]*[2, 4, 5]*");
        FluentActions.Invoking(() => lstm.Forward(x, [4])).Should().Throw<ArgumentException>().WithMessage("*1 lengths*batch of 2*");
        FluentActions.Invoking(() => lstm.Forward(x, [4, 5])).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*length 5*[1, 4]*");
        FluentActions.Invoking(() => lstm.Forward(x, [], new Tensor(2, 2, 2))).Should().Throw<ArgumentException>().WithParameterName("h0");
        FluentActions.Invoking(() => new GRU(3, 2).Forward(x, [], null, new Tensor(1, 2, 2))).Should().Throw<ArgumentException>().WithParameterName("c0");
        FluentActions.Invoking(() => new LSTM(3, 2, dropout: 1.5f)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("dropout");
        FluentActions.Invoking(() => new GRU(0, 2)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("inputSize");
        FluentActions.Invoking(() => new LSTMCell(3, 2).Forward(new Tensor(2, 4), null, null)).Should().Throw<ArgumentException>().WithMessage("*[B, 3]*");
    }
}
