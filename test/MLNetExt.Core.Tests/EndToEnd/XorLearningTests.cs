using FluentAssertions;
using MLNetExt.Core.Autograd;
using MLNetExt.Core.Losses;
using MLNetExt.Core.Modules;
using MLNetExt.Core.Optim;

namespace MLNetExt.Core.Tests.EndToEnd;

public class XorLearningTests
{
    [Fact]
    public void A_small_mlp_learns_xor_from_a_seeded_random_start()
    {
        var random = new RandomSource(2026);
        var network = new Sequential(new Linear(2, 8, random: random), new Tanh(), new Linear(8, 1, random: random));
        var loss = new BCEWithLogitsLoss();
        var optimizer = new Adam(network.Parameters(), lr: 0.05);
        var inputs = Tensor.FromValues([0f, 0f, 0f, 1f, 1f, 0f, 1f, 1f], 4, 2);
        var targets = Tensor.FromValues([0f, 1f, 1f, 0f], 4, 1);
        var tape = new Tape();

        float firstLoss = float.NaN, lastLoss = float.NaN;
        for (int step = 0; step < 300; step++)
        {
            tape.Reset();
            optimizer.ZeroGrad();
            var value = loss.Forward(network.Forward(inputs, tape), targets, tape);
            tape.Backward(value);
            optimizer.Step();
            if (step == 0) firstLoss = value.Data[0];
            lastLoss = value.Data[0];
        }

        lastLoss.Should().BeLessThan(0.05f).And.BeLessThan(firstLoss / 10);
        var logits = network.Eval().Forward(inputs).Span.ToArray();
        logits.Select(z => z > 0 ? 1 : 0).Should().Equal(0, 1, 1, 0);
    }
}
