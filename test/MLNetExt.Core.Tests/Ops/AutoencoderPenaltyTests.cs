using FluentAssertions;
using MLNetExt.Core.Autograd;
using MLNetExt.Core.Modules;
using MLNetExt.Core.Ops;
using MLNetExt.Core.Tests.Infrastructure;

namespace MLNetExt.Core.Tests.Ops;

/// <summary>
/// The autoencoder penalties: finite-difference gradient checks, parity with PyTorch on committed reference tensors
/// (Reference/generate_autoencoder_penalties.py), the contractive closed form against a numeric Jacobian, the
/// sparsity clamp, argument checks and allocation-free steady state.
/// </summary>
public class AutoencoderPenaltyTests
{
    private static Tensor Uniform(ulong seed, float low, float high, params int[] shape)
    {
        var t = new Tensor(shape);
        new RandomSource(seed).FillUniform(t.Span, low, high);
        return t;
    }

    // Runs op on a fresh tape with the given leaves requiring a gradient and back-propagates dy·output.
    private static Tensor RunBackward(Func<Tape?, Tensor> op, float dy, params Tensor[] leaves)
    {
        foreach (var leaf in leaves)
        {
            leaf.RequiresGrad = true;
            leaf.Grad = null;
        }
        var tape = new Tape();
        var output = op(tape);
        tape.Backward(TensorOps.Scale(output, dy, tape));
        return output;
    }

    [Fact]
    public void Reparameterize_passes_gradient_check()
    {
        var mean = Uniform(1, -2f, 2f, 3, 4);
        var logVariance = Uniform(2, -2f, 1f, 3, 4);
        var noise = Uniform(3, -2f, 2f, 3, 4);
        GradCheck.Check(t => AutoencoderPenalties.Reparameterize(mean, logVariance, noise, t), [mean, logVariance]);
    }

    [Fact]
    public void Reparameterize_leaves_the_noise_without_a_gradient()
    {
        var mean = Uniform(1, -2f, 2f, 2, 3);
        var logVariance = Uniform(2, -2f, 1f, 2, 3);
        var noise = Uniform(3, -2f, 2f, 2, 3);
        noise.RequiresGrad = true;
        RunBackward(t => TensorOps.Sum(AutoencoderPenalties.Reparameterize(mean, logVariance, noise, t), t), 1f, mean, logVariance);
        noise.Grad.Should().BeNull("ε is a constant draw");
    }

    [Fact]
    public void Gaussian_KL_passes_gradient_check()
    {
        var mean = Uniform(4, -2f, 2f, 3, 5);
        var logVariance = Uniform(5, -2f, 1.5f, 3, 5);
        GradCheck.Check(t => AutoencoderPenalties.GaussianKLDivergence(mean, logVariance, t), [mean, logVariance]);
    }

    [Fact]
    public void KL_sparsity_passes_gradient_check()
    {
        var activations = Uniform(6, 0.1f, 0.9f, 4, 5);
        GradCheck.Check(t => AutoencoderPenalties.KLSparsity(activations, 0.2f, t), [activations], step: 1e-3f);
    }

    [Fact]
    public void L1_activity_passes_gradient_check()
    {
        // Magnitudes of at least 0.1, far beyond the step: no element crosses |a|'s kink at 0.
        var activations = Uniform(7, 0.1f, 2f, 3, 4);
        for (int i = 0; i < activations.Length; i += 3) activations.Data[i] = -activations.Data[i];
        GradCheck.Check(t => AutoencoderPenalties.L1Activity(activations, t), [activations]);
    }

    [Fact]
    public void Contractive_sigmoid_passes_gradient_check_on_both_inputs()
    {
        var hidden = Uniform(8, 0.05f, 0.95f, 4, 3);
        var weight = Uniform(9, -1f, 1f, 3, 5);
        GradCheck.Check(t => AutoencoderPenalties.ContractiveSigmoid(hidden, weight, t), [hidden, weight], step: 1e-3f);
    }

    [Fact]
    public void Contractive_sigmoid_through_its_encoder_passes_gradient_check()
    {
        // The weight reaches the penalty twice: directly, and through h = σ(x·Wᵀ + b).
        var x = Uniform(10, -1f, 1f, 4, 5);
        var weight = Uniform(11, -1f, 1f, 3, 5);
        var bias = Uniform(12, -0.5f, 0.5f, 3);
        GradCheck.Check(t =>
        {
            var hidden = Core.Ops.Activations.Sigmoid(LinearOp.Forward(x, weight, bias, t), t);
            return AutoencoderPenalties.ContractiveSigmoid(hidden, weight, t);
        }, [x, weight, bias], step: 1e-3f);
    }

    [Fact]
    public void Reparameterize_matches_torch()
    {
        var r = ReferenceData.Load("autoencoder/reparameterize.json");
        Tensor mean = r.Tensor("mean"), logVariance = r.Tensor("log_variance"), noise = r.Tensor("noise"), dy = r.Tensor("dy");
        TensorAssert.Close(AutoencoderPenalties.Reparameterize(mean, logVariance, noise), r.Tensor("z"), what: "z without a tape");
        mean.RequiresGrad = logVariance.RequiresGrad = true;
        var tape = new Tape();
        var z = AutoencoderPenalties.Reparameterize(mean, logVariance, noise, tape);
        TensorAssert.Close(z, r.Tensor("z"), what: "z");
        tape.Backward(TensorOps.Sum(TensorOps.Multiply(z, dy, tape), tape));
        TensorAssert.Close(mean.Grad!, r.Tensor("grad.mean"), what: "gradient of the mean");
        TensorAssert.Close(logVariance.Grad!, r.Tensor("grad.log_variance"), what: "gradient of the log-variance");
    }

    [Fact]
    public void Gaussian_KL_and_its_rows_match_torch()
    {
        var r = ReferenceData.Load("autoencoder/gaussian_kl.json");
        Tensor mean = r.Tensor("mean"), logVariance = r.Tensor("log_variance");
        TensorAssert.Close(AutoencoderPenalties.GaussianKLDivergence(mean, logVariance), r.Tensor("kl"), what: "KL without a tape");
        var perRow = new float[mean.Dim(0)];
        AutoencoderPenalties.GaussianKLDivergencePerRow(mean, logVariance, perRow);
        TensorAssert.Close(perRow, r.Values("per_row"), what: "per-row KL");

        var kl = RunBackward(t => AutoencoderPenalties.GaussianKLDivergence(mean, logVariance, t), r.Values("dy")[0], mean, logVariance);
        TensorAssert.Close(kl, r.Tensor("kl"), what: "KL");
        TensorAssert.Close(mean.Grad!, r.Tensor("grad.mean"), what: "gradient of the mean");
        TensorAssert.Close(logVariance.Grad!, r.Tensor("grad.log_variance"), what: "gradient of the log-variance");
    }

    [Fact]
    public void KL_sparsity_matches_torch()
    {
        var r = ReferenceData.Load("autoencoder/kl_sparsity.json");
        var activations = r.Tensor("activations");
        float target = (float)r.Meta("target");
        TensorAssert.Close(AutoencoderPenalties.KLSparsity(activations, target), r.Tensor("penalty"), what: "penalty without a tape");
        var penalty = RunBackward(t => AutoencoderPenalties.KLSparsity(activations, target, t), r.Values("dy")[0], activations);
        TensorAssert.Close(penalty, r.Tensor("penalty"), what: "penalty");
        TensorAssert.Close(activations.Grad!, r.Tensor("grad.activations"), what: "gradient of the activations");
    }

    [Fact]
    public void L1_activity_matches_torch()
    {
        var r = ReferenceData.Load("autoencoder/l1_activity.json");
        var activations = r.Tensor("activations");
        TensorAssert.Close(AutoencoderPenalties.L1Activity(activations), r.Tensor("penalty"), what: "penalty without a tape");
        var penalty = RunBackward(t => AutoencoderPenalties.L1Activity(activations, t), r.Values("dy")[0], activations);
        TensorAssert.Close(penalty, r.Tensor("penalty"), what: "penalty");
        TensorAssert.Close(activations.Grad!, r.Tensor("grad.activations"), what: "gradient of the activations");
    }

    [Fact]
    public void Contractive_sigmoid_matches_torch()
    {
        var r = ReferenceData.Load("autoencoder/contractive.json");
        Tensor hidden = r.Tensor("hidden"), weight = r.Tensor("weight");
        float dy = r.Values("dy")[0];
        TensorAssert.Close(AutoencoderPenalties.ContractiveSigmoid(hidden, weight), r.Tensor("penalty"), what: "penalty without a tape");
        var penalty = RunBackward(t => AutoencoderPenalties.ContractiveSigmoid(hidden, weight, t), dy, hidden, weight);
        TensorAssert.Close(penalty, r.Tensor("penalty"), what: "penalty");
        TensorAssert.Close(hidden.Grad!, r.Tensor("grad.hidden"), what: "gradient of the hidden units");
        TensorAssert.Close(weight.Grad!, r.Tensor("grad.weight"), what: "gradient of the weight");
    }

    [Fact]
    public void Contractive_sigmoid_through_its_encoder_matches_torch()
    {
        var r = ReferenceData.Load("autoencoder/contractive.json");
        var encoder = new Linear(4, 3);
        encoder.Weight.CopyFrom(r.Tensor("weight"));
        encoder.Bias!.CopyFrom(r.Tensor("bias"));
        var x = r.Tensor("x");
        var penalty = RunBackward(t => AutoencoderPenalties.ContractiveSigmoid(Core.Ops.Activations.Sigmoid(encoder.Forward(x, t), t), encoder.Weight, t),
            r.Values("dy")[0], x, encoder.Weight, encoder.Bias);
        TensorAssert.Close(penalty, r.Tensor("chained.penalty"), what: "penalty");
        TensorAssert.Close(x.Grad!, r.Tensor("chained.grad.x"), what: "gradient of the input");
        TensorAssert.Close(encoder.Weight.Grad!, r.Tensor("chained.grad.weight"), what: "gradient of the weight");
        TensorAssert.Close(encoder.Bias.Grad!, r.Tensor("chained.grad.bias"), what: "gradient of the bias");
    }

    [Fact]
    public void Contractive_penalty_is_the_squared_Frobenius_norm_of_a_numeric_jacobian()
    {
        var encoder = new Linear(4, 3, random: new RandomSource(13));
        var x = Uniform(14, -1.5f, 1.5f, 3, 4);
        Tensor Encode(Tensor input) => Core.Ops.Activations.Sigmoid(encoder.Forward(input));
        var hidden = Encode(x);

        // ‖∂h_i/∂x_i‖²_F per row by central differences, averaged over the rows.
        const float step = 1e-2f;
        double norm = 0;
        for (int row = 0; row < x.Dim(0); row++)
            for (int d = 0; d < x.Dim(1); d++)
            {
                int index = row * x.Dim(1) + d;
                float original = x.Data[index];
                x.Data[index] = original + step;
                var plus = Encode(x);
                x.Data[index] = original - step;
                var minus = Encode(x);
                x.Data[index] = original;
                for (int j = 0; j < hidden.Dim(1); j++)
                {
                    double derivative = ((double)plus[row * 3 + j] - minus[row * 3 + j]) / (2.0 * step);
                    norm += derivative * derivative;
                }
            }
        norm /= x.Dim(0);

        double closed = AutoencoderPenalties.ContractiveSigmoid(hidden, encoder.Weight)[0];
        closed.Should().BeApproximately(norm, 1e-3 * norm);
    }

    [Fact]
    public void KL_sparsity_clamps_the_mean_activation_of_a_dead_unit_in_value_and_gradient()
    {
        const float target = 0.1f;
        // Unit 0 never fires (ρ̂ = 0, clamped to 1e−6); unit 1 fires at the target rate exactly.
        var activations = Tensor.FromValues([0f, 0.1f, 0f, 0.1f], 2, 2);
        var penalty = RunBackward(t => AutoencoderPenalties.KLSparsity(activations, target, t), 1f, activations);

        double rho = target, clamped = 1e-6;
        double expected = rho * Math.Log(rho / clamped) + (1 - rho) * Math.Log((1 - rho) / (1 - clamped));
        ((double)penalty[0]).Should().BeApproximately(expected, 1e-5 * expected);
        double deadGradient = (-rho / clamped + (1 - rho) / (1 - clamped)) / 2;
        ((double)activations.Grad![0]).Should().BeApproximately(deadGradient, 1e-5 * Math.Abs(deadGradient));
        activations.Grad![1].Should().BeApproximately(0f, 1e-5f, "a unit at the target rate contributes nothing");
    }

    [Fact]
    public void Gaussian_KL_vanishes_at_the_prior()
        => AutoencoderPenalties.GaussianKLDivergence(new Tensor(3, 4), new Tensor(3, 4))[0].Should().Be(0f);

    [Theory]
    [InlineData(0f)]
    [InlineData(1f)]
    [InlineData(-0.1f)]
    [InlineData(float.NaN)]
    public void KL_sparsity_rejects_a_target_outside_the_open_unit_interval(float target)
    {
        var act = () => AutoencoderPenalties.KLSparsity(new Tensor(2, 3), target);
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("target");
    }

    [Fact]
    public void Shapes_are_checked()
    {
        var matrix = new Tensor(2, 3);
        ((Action)(() => AutoencoderPenalties.Reparameterize(matrix, new Tensor(3, 2), matrix))).Should().Throw<ArgumentException>().WithParameterName("logVariance");
        ((Action)(() => AutoencoderPenalties.Reparameterize(matrix, matrix, new Tensor(2, 4)))).Should().Throw<ArgumentException>().WithParameterName("noise");
        ((Action)(() => AutoencoderPenalties.Reparameterize(new Tensor(6), new Tensor(6), new Tensor(6)))).Should().Throw<ArgumentException>().WithParameterName("mean");
        ((Action)(() => AutoencoderPenalties.GaussianKLDivergence(matrix, new Tensor(2, 4)))).Should().Throw<ArgumentException>().WithParameterName("logVariance");
        ((Action)(() => AutoencoderPenalties.GaussianKLDivergence(new Tensor(0, 3), new Tensor(0, 3)))).Should().Throw<ArgumentException>().WithParameterName("mean");
        ((Action)(() => AutoencoderPenalties.GaussianKLDivergencePerRow(matrix, matrix, new float[3]))).Should().Throw<ArgumentException>().WithParameterName("destination");
        ((Action)(() => AutoencoderPenalties.L1Activity(new Tensor(6)))).Should().Throw<ArgumentException>().WithParameterName("activations");
        ((Action)(() => AutoencoderPenalties.ContractiveSigmoid(matrix, new Tensor(2, 5)))).Should().Throw<ArgumentException>().WithParameterName("weight");
    }

    [Fact]
    public void A_repeated_step_allocates_nothing()
    {
        var mean = Uniform(15, -1f, 1f, 8, 4);
        var logVariance = Uniform(16, -1f, 1f, 8, 4);
        var noise = Uniform(17, -1f, 1f, 8, 4);
        var weight = Uniform(18, -1f, 1f, 4, 6);
        mean.RequiresGrad = logVariance.RequiresGrad = weight.RequiresGrad = true;
        var tape = new Tape();
        void Step()
        {
            tape.Reset();
            var z = AutoencoderPenalties.Reparameterize(mean, logVariance, noise, tape);
            var h = Core.Ops.Activations.Sigmoid(z, tape);
            var loss = TensorOps.Add(AutoencoderPenalties.GaussianKLDivergence(mean, logVariance, tape),
                TensorOps.Add(AutoencoderPenalties.KLSparsity(h, 0.05f, tape),
                    TensorOps.Add(AutoencoderPenalties.L1Activity(h, tape), AutoencoderPenalties.ContractiveSigmoid(h, weight, tape), tape), tape), tape);
            tape.Backward(loss);
        }
        Step();
        Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        Step();
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0, "outputs and saved coefficients come from the tape's arena");
    }
}
