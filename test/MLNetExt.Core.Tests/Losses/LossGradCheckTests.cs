using MLNetExt.Core.Losses;
using MLNetExt.Core.Tests.Infrastructure;

namespace MLNetExt.Core.Tests.Losses;

public class LossGradCheckTests
{
    private static Tensor Uniform(ulong seed, float low, float high, params int[] shape)
    {
        var t = new Tensor(shape);
        new RandomSource(seed).FillUniform(t.Span, low, high);
        return t;
    }

    public static TheoryData<Reduction> Reductions() => new() { Reduction.None, Reduction.Mean, Reduction.Sum };

    [Theory]
    [MemberData(nameof(Reductions))]
    public void Regression_losses_pass_gradient_check(Reduction reduction)
    {
        var input = Uniform(1, -2f, 2f, 3, 4);
        // Targets offset by ±[0.3, 1.5): |x − t| stays away from 0 (L1's kink) and from δ = 0.9 by more than the step.
        var target = input.Clone();
        var random = new RandomSource(2);
        for (int i = 0; i < target.Length; i++)
        {
            float offset = random.NextSingle() < 0.5f ? random.NextUniform(0.3f, 0.8f) : random.NextUniform(1.0f, 1.5f);
            target.Data[i] += random.NextSingle() < 0.5f ? -offset : offset;
        }
        target.RequiresGrad = false;
        GradCheck.Check(t => new MSELoss(reduction).Forward(input, target, t), [input]);
        GradCheck.Check(t => new L1Loss(reduction).Forward(input, target, t), [input]);
        GradCheck.Check(t => new HuberLoss(0.9f, reduction).Forward(input, target, t), [input]);
    }

    [Theory]
    [MemberData(nameof(Reductions))]
    public void Probabilistic_losses_pass_gradient_check(Reduction reduction)
    {
        var probabilities = Uniform(3, 0.1f, 0.9f, 3, 4);
        var soft = Uniform(4, 0f, 1f, 3, 4);
        GradCheck.Check(t => new BCELoss(reduction).Forward(probabilities, soft, t), [probabilities], step: 1e-3f);

        var logits = Uniform(5, -4f, 4f, 3, 4);
        var posWeight = Tensor.FromValues([0.5f, 1f, 2f, 3f], 4);
        GradCheck.Check(t => new BCEWithLogitsLoss(reduction: reduction).Forward(logits, soft, t), [logits]);
        GradCheck.Check(t => new BCEWithLogitsLoss(posWeight, reduction).Forward(logits, soft, t), [logits]);

        var logQ = Core.Ops.Activations.LogSoftmax(Uniform(6, -2f, 2f, 3, 4));
        var p = Core.Ops.Activations.Softmax(Uniform(7, -2f, 2f, 3, 4));
        var logP = Core.Ops.Activations.LogSoftmax(Uniform(8, -2f, 2f, 3, 4));
        GradCheck.Check(t => new KLDivLoss(reduction).Forward(logQ, p, t), [logQ]);
        GradCheck.Check(t => new KLDivLoss(reduction, logTarget: true).Forward(logQ, logP, t), [logQ]);
    }

    [Fact]
    public void KL_batch_mean_passes_gradient_check()
    {
        var logQ = Core.Ops.Activations.LogSoftmax(Uniform(6, -2f, 2f, 3, 4));
        var p = Core.Ops.Activations.Softmax(Uniform(7, -2f, 2f, 3, 4));
        GradCheck.Check(t => new KLDivLoss(Reduction.BatchMean).Forward(logQ, p, t), [logQ]);
    }

    [Theory]
    [MemberData(nameof(Reductions))]
    public void Cross_entropy_passes_gradient_check_with_every_option(Reduction reduction)
    {
        var logits = Uniform(9, -3f, 3f, 5, 4);
        int[] targets = [0, 3, -100, 1, 2];
        var weight = Tensor.FromValues([0.5f, 2f, 1f, 3f], 4);
        GradCheck.Check(t => new CrossEntropyLoss(reduction: reduction).Forward(logits, targets, t), [logits]);
        GradCheck.Check(t => new CrossEntropyLoss(weight, reduction: reduction).Forward(logits, targets, t), [logits]);
        GradCheck.Check(t => new CrossEntropyLoss(labelSmoothing: 0.3f, reduction: reduction).Forward(logits, targets, t), [logits]);
        GradCheck.Check(t => new CrossEntropyLoss(weight, 3, 0.2f, reduction).Forward(logits, [0, 3, 2, 1, 2], t), [logits]);
    }
}
