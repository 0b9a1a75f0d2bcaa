using MLNetExt.Core.Autograd;
using MLNetExt.Core.Ops;

namespace MLNetExt.Core.Tests.Infrastructure;

/// <summary>
/// Finite-difference gradient checking. The function under test maps its inputs to any tensor y; the checker
/// reduces it to the scalar L = Σ yᵢ·rᵢ with a fixed random r (so every output element's Jacobian row counts),
/// back-propagates once, and compares each input gradient with the central difference
/// (L(x + h) − L(x − h)) / 2h accumulated in double precision.
/// </summary>
public static class GradCheck
{
    /// <summary>
    /// Asserts that analytic and numeric gradients agree for every element of every input in <paramref name="inputs"/>.
    /// Tolerance: |analytic − numeric| ≤ <paramref name="absoluteTolerance"/> + <paramref name="relativeTolerance"/>·|numeric|.
    /// </summary>
    public static void Check(Func<Tape?, Tensor> function, Tensor[] inputs, float step = 1e-2f,
        double absoluteTolerance = 2e-3, double relativeTolerance = 2e-2, ulong seed = 7)
    {
        foreach (var input in inputs) input.RequiresGrad = true;

        var probe = function(null);
        var weights = new float[probe.Length];
        new RandomSource(seed).FillUniform(weights, -1f, 1f);

        var tape = new Tape();
        foreach (var input in inputs) input.Grad = null;
        var output = function(tape);
        var loss = TensorOps.Sum(TensorOps.Multiply(output, Tensor.FromValues(weights, output.Shape), tape), tape);
        tape.Backward(loss);

        for (int inputIndex = 0; inputIndex < inputs.Length; inputIndex++)
        {
            var input = inputs[inputIndex];
            var analytic = input.Grad?.Span.ToArray() ?? new float[input.Length];
            for (int i = 0; i < input.Length; i++)
            {
                float original = input.Data[i];
                input.Data[i] = original + step;
                double plus = WeightedSum(function(null), weights);
                input.Data[i] = original - step;
                double minus = WeightedSum(function(null), weights);
                input.Data[i] = original;
                double numeric = (plus - minus) / (2.0 * step);
                double error = Math.Abs(analytic[i] - numeric);
                if (error > absoluteTolerance + relativeTolerance * Math.Abs(numeric))
                    throw new Xunit.Sdk.XunitException(
                        $"Gradient mismatch for input {inputIndex} ({input}) at flat index {i}: analytic {analytic[i]:G9}, numeric {numeric:G9}.");
            }
        }
    }

    private static double WeightedSum(Tensor y, float[] weights)
    {
        double sum = 0;
        var span = y.Span;
        for (int i = 0; i < span.Length; i++) sum += (double)span[i] * weights[i];
        return sum;
    }
}
