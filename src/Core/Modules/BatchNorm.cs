using System.Numerics.Tensors;
using MLNetExt.Core.Autograd;
using MLNetExt.Core.Onnx;

namespace MLNetExt.Core.Modules;

/// <summary>
/// Batch normalization over the channel dimension (PyTorch's <c>_BatchNorm</c>); <see cref="BatchNorm1d"/> and
/// <see cref="BatchNorm2d"/> only fix the accepted input ranks.
/// Shapes: input [N, C, *] → output [N, C, *]; <c>weight</c>, <c>bias</c>, <c>running_mean</c>, <c>running_var</c> [C].
/// </summary>
/// <remarks>
/// <para>Per channel c, over the M = N·(product of *) values x of that channel:
/// μ = Σx/M, σ² = Σ(x − μ)²/M (biased), x̂ = (x − μ)/√(σ² + ε), y = γ·x̂ + β.</para>
/// <para>Training mode normalizes with the batch's μ and σ² and updates the running statistics:
/// running_mean ← (1 − m)·running_mean + m·μ and running_var ← (1 − m)·running_var + m·σ²·M/(M − 1)
/// (the unbiased variance), with m the momentum, or 1/num_batches_tracked when the momentum is null (a cumulative
/// average). Evaluation mode normalizes with running_mean and running_var; without tracked statistics it
/// uses the batch's, as PyTorch does.</para>
/// <para>Backward with batch statistics (the closed form of COURSE-NOTES' chain rule, the ∂/∂σ² and ∂/∂μ terms
/// collected): ∂x̂ = γ·∂y; ∂x = (∂x̂ − mean(∂x̂) − x̂·mean(∂x̂·x̂))/√(σ² + ε); ∂γ = Σ∂y·x̂; ∂β = Σ∂y.
/// With running statistics μ and σ² are constants and ∂x = ∂x̂/√(σ² + ε).</para>
/// </remarks>
public abstract class BatchNorm : Module, IOnnxExportable
{
    /// <summary>Creates the layer with γ = 1, β = 0, running_mean = 0, running_var = 1 and num_batches_tracked = 0.</summary>
    /// <param name="numFeatures">C, the number of channels, at least 1.</param>
    /// <param name="eps">ε added to the variance, positive.</param>
    /// <param name="momentum">The weight m of the newest batch in the running statistics, in [0, 1]; null for a cumulative average.</param>
    /// <param name="affine">Whether γ (<c>weight</c>) and β (<c>bias</c>) are learned.</param>
    /// <param name="trackRunningStats">Whether running statistics are kept (and used in evaluation mode).</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    protected BatchNorm(int numFeatures, float eps, float? momentum, bool affine, bool trackRunningStats)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numFeatures, 1);
        if (!(eps > 0f)) throw new ArgumentOutOfRangeException(nameof(eps), eps, "Epsilon must be positive.");
        if (momentum is float m && !(m >= 0f && m <= 1f))
            throw new ArgumentOutOfRangeException(nameof(momentum), m, "Momentum must be in [0, 1], or null for a cumulative average.");
        NumFeatures = numFeatures;
        Eps = eps;
        Momentum = momentum;
        if (affine)
        {
            Weight = RegisterParameter("weight", new Tensor(numFeatures));
            Weight.Fill(1f);
            Bias = RegisterParameter("bias", new Tensor(numFeatures));
        }
        if (trackRunningStats)
        {
            RunningMean = RegisterBuffer("running_mean", new Tensor(numFeatures));
            RunningVar = RegisterBuffer("running_var", new Tensor(numFeatures));
            RunningVar.Fill(1f);
            NumBatchesTracked = RegisterBuffer("num_batches_tracked", Tensor.Scalar(0f));
        }
    }

    /// <summary>C, the number of channels.</summary>
    public int NumFeatures { get; }

    /// <summary>ε, added to the variance before the square root.</summary>
    public float Eps { get; }

    /// <summary>The running statistics' momentum, or null for a cumulative average.</summary>
    public float? Momentum { get; }

    /// <summary>γ, [C], or null when not affine.</summary>
    public Tensor? Weight { get; }

    /// <summary>β, [C], or null when not affine.</summary>
    public Tensor? Bias { get; }

    /// <summary>The running mean, [C], or null when statistics are not tracked.</summary>
    public Tensor? RunningMean { get; }

    /// <summary>The running (unbiased) variance, [C], or null when statistics are not tracked.</summary>
    public Tensor? RunningVar { get; }

    /// <summary>
    /// The number of training batches seen, a scalar, or null when statistics are not tracked. Stored as a float
    /// (tensors are float32; PyTorch keeps an int64), which counts exactly up to 2²⁴ batches.
    /// </summary>
    public Tensor? NumBatchesTracked { get; }

    /// <summary>Whether this layer accepts an input of rank <paramref name="rank"/>.</summary>
    protected abstract bool AcceptsRank(int rank);

    /// <summary>The accepted input shapes, for error messages (e.g. <c>[N, 3] or [N, 3, L]</c>).</summary>
    protected abstract string ExpectedShape { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The input's shape is not accepted, or a training batch has a single value per channel.</exception>
    public override Tensor Forward(Tensor input, Tape? tape = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckInputShape(input.Shape);
        int batch = input.Dim(0), channels = NumFeatures, spatial = SpatialSize(input.Shape);
        int count = batch * spatial;
        bool useBatchStatistics = Training || RunningMean is null;
        if (useBatchStatistics && count <= 1)
            throw new ArgumentException(
                $"{GetType().Name} needs more than 1 value per channel when using batch statistics but got input [{string.Join(", ", input.Shape.ToArray())}].", nameof(input));

        // Rows: mean, 1/√(σ² + ε) (both read by backward), and the biased batch variance.
        var statistics = Tape.Allocate(tape, [3, channels], clear: false);
        var mean = statistics.Span[..channels];
        var invStd = statistics.Span.Slice(channels, channels);
        if (useBatchStatistics)
        {
            var variance = statistics.Span.Slice(2 * channels, channels);
            BatchStatistics(input.Span, batch, channels, spatial, Eps, mean, variance, invStd);
            if (Training && RunningMean is not null) UpdateRunningStatistics(mean, variance, batch * spatial);
        }
        else
        {
            var runningMean = RunningMean!.Span;
            var runningVar = RunningVar!.Span;
            for (int c = 0; c < channels; c++)
            {
                mean[c] = runningMean[c];
                invStd[c] = (float)(1.0 / Math.Sqrt((double)runningVar[c] + Eps));
            }
        }

        var y = Tape.Allocate(tape, input.Shape, clear: false);
        NormalizeForward(y.Span, input.Span, mean, invStd, Weight is null ? default : Weight.Span, Bias is null ? default : Bias.Span, batch, channels, spatial);
        if (Tape.ShouldRecord(tape, input, Weight, Bias))
            tape!.Record(new TapeNode(BatchNormBackward.Instance, y, input, Weight, Bias, IntArg: useBatchStatistics ? 1 : 0, Saved: statistics));
        return y;
    }

    /// <inheritdoc />
    public override int[] OutputShape(ReadOnlySpan<int> inputShape)
    {
        CheckInputShape(inputShape);
        return inputShape.ToArray();
    }

    private void CheckInputShape(ReadOnlySpan<int> shape)
    {
        if (!AcceptsRank(shape.Length) || shape[1] != NumFeatures)
            throw new ArgumentException($"{GetType().Name} expects input {ExpectedShape} but got [{string.Join(", ", shape.ToArray())}].", "input");
    }

    private static int SpatialSize(ReadOnlySpan<int> shape)
    {
        int size = 1;
        for (int axis = 2; axis < shape.Length; axis++) size *= shape[axis];
        return size;
    }

    private void UpdateRunningStatistics(ReadOnlySpan<float> mean, ReadOnlySpan<float> biasedVariance, int count)
    {
        var tracked = NumBatchesTracked!.Span;
        tracked[0] += 1f;
        double momentum = Momentum ?? 1.0 / tracked[0];
        double besselCorrection = (double)count / (count - 1);
        var runningMean = RunningMean!.Span;
        var runningVar = RunningVar!.Span;
        for (int c = 0; c < runningMean.Length; c++)
        {
            runningMean[c] = (float)((1 - momentum) * runningMean[c] + momentum * mean[c]);
            runningVar[c] = (float)((1 - momentum) * runningVar[c] + momentum * biasedVariance[c] * besselCorrection);
        }
    }

    // Shapes: x [N, C, S] → mean [C], variance [C] (biased), invStd [C] = 1/√(variance + ε).
    // Two passes accumulated in double, as PyTorch does on the CPU, so a large mean does not cancel the variance away.
    private static void BatchStatistics(ReadOnlySpan<float> x, int batch, int channels, int spatial, float eps,
        Span<float> mean, Span<float> variance, Span<float> invStd)
    {
        int count = batch * spatial;
        for (int c = 0; c < channels; c++)
        {
            double sum = 0;
            for (int n = 0; n < batch; n++)
            {
                var slice = x.Slice((n * channels + c) * spatial, spatial);
                for (int s = 0; s < slice.Length; s++) sum += slice[s];
            }
            double channelMean = sum / count;
            double squaredDeviations = 0;
            for (int n = 0; n < batch; n++)
            {
                var slice = x.Slice((n * channels + c) * spatial, spatial);
                for (int s = 0; s < slice.Length; s++)
                {
                    double deviation = slice[s] - channelMean;
                    squaredDeviations += deviation * deviation;
                }
            }
            double channelVariance = squaredDeviations / count;
            mean[c] = (float)channelMean;
            variance[c] = (float)channelVariance;
            invStd[c] = (float)(1.0 / Math.Sqrt(channelVariance + eps));
        }
    }

    // Shapes: x [N, C, S], mean [C], invStd [C], gamma [C] or empty, beta [C] or empty → y [N, C, S] = γ·(x − μ)·invStd + β.
    private static void NormalizeForward(Span<float> y, ReadOnlySpan<float> x, ReadOnlySpan<float> mean, ReadOnlySpan<float> invStd,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, int batch, int channels, int spatial)
    {
        for (int c = 0; c < channels; c++)
        {
            float scale = (gamma.IsEmpty ? 1f : gamma[c]) * invStd[c];
            float shift = (beta.IsEmpty ? 0f : beta[c]) - mean[c] * scale;
            for (int n = 0; n < batch; n++)
            {
                int offset = (n * channels + c) * spatial;
                var ySlice = y.Slice(offset, spatial);
                TensorPrimitives.Multiply(x.Slice(offset, spatial), scale, ySlice);
                TensorPrimitives.Add(ySlice, shift, ySlice);
            }
        }
    }

    // Shapes: x [N, C, S], dY [N, C, S], mean [C], invStd [C], gamma [C] or empty
    //   → dX [N, C, S] +=, dGamma [C] += Σ dY·x̂, dBeta [C] += Σ dY (each skipped when its span is empty).
    // With batch statistics dX = γ·invStd·(dY − mean(dY) − x̂·mean(dY·x̂)); with fixed statistics dX = γ·invStd·dY.
    private static void NormalizeBackward(Span<float> dX, Span<float> dGamma, Span<float> dBeta, ReadOnlySpan<float> dY,
        ReadOnlySpan<float> x, ReadOnlySpan<float> mean, ReadOnlySpan<float> invStd, ReadOnlySpan<float> gamma,
        int batch, int channels, int spatial, bool batchStatistics)
    {
        int count = batch * spatial;
        for (int c = 0; c < channels; c++)
        {
            float channelMean = mean[c], channelInvStd = invStd[c];
            double sumDy = 0, sumDyXHat = 0;
            for (int n = 0; n < batch; n++)
            {
                int offset = (n * channels + c) * spatial;
                for (int s = 0; s < spatial; s++)
                {
                    double dy = dY[offset + s];
                    sumDy += dy;
                    sumDyXHat += dy * ((x[offset + s] - channelMean) * channelInvStd);
                }
            }
            if (!dGamma.IsEmpty) dGamma[c] += (float)sumDyXHat;
            if (!dBeta.IsEmpty) dBeta[c] += (float)sumDy;
            if (dX.IsEmpty) continue;

            float scale = (gamma.IsEmpty ? 1f : gamma[c]) * channelInvStd;
            float meanDy = batchStatistics ? (float)(sumDy / count) : 0f;
            float xHatFactor = batchStatistics ? (float)(sumDyXHat / count) * channelInvStd : 0f;
            for (int n = 0; n < batch; n++)
            {
                int offset = (n * channels + c) * spatial;
                for (int s = 0; s < spatial; s++)
                    dX[offset + s] += scale * (dY[offset + s] - meanDy - (x[offset + s] - channelMean) * xHatFactor);
            }
        }
    }

    private sealed class BatchNormBackward : IBackward
    {
        public static readonly BatchNormBackward Instance = new();
        public void Backward(Tape tape, in TapeNode node)
        {
            Tensor x = node.A!, statistics = node.Saved!;
            Tensor? gamma = node.B, beta = node.C;
            int channels = statistics.Dim(1), batch = x.Dim(0), spatial = SpatialSize(x.Shape);
            NormalizeBackward(
                x.RequiresGrad ? Tape.GradOf(x) : default,
                gamma is { RequiresGrad: true } ? Tape.GradOf(gamma) : default,
                beta is { RequiresGrad: true } ? Tape.GradOf(beta) : default,
                node.Output.Grad!.Span, x.Span, statistics.Span[..channels], statistics.Span.Slice(channels, channels),
                gamma is null ? default : gamma.Span, batch, channels, spatial, node.IntArg == 1);
        }
    }

    /// <summary>
    /// Emits <c>BatchNormalization</c> (inference form) with the running statistics, ε, and γ and β (ones and zeros
    /// when not affine). Shapes: [N, C, *] → [N, C, *].
    /// </summary>
    /// <exception cref="NotSupportedException">Statistics are not tracked, so evaluation would use the batch's own.</exception>
    OnnxValue IOnnxExportable.ExportOnnx(OnnxGraphBuilder graph, OnnxValue input, string scope)
    {
        OnnxExport.RequireFloat(input, GetType().Name);
        if (!AcceptsRank(input.Rank) || !input.Shape[1].Equals(OnnxDim.Fixed(NumFeatures)))
            throw new ArgumentException($"{GetType().Name} expects input {ExpectedShape} but got {input}.", nameof(input));
        if (RunningMean is null || RunningVar is null)
            throw new NotSupportedException($"{GetType().Name} at '{scope}' tracks no running statistics, so its inference uses batch statistics, which ONNX's BatchNormalization does not compute.");
        var ones = new Tensor(NumFeatures);
        ones.Fill(1f);
        string scale = Weight is null ? graph.AddInitializer(OnnxExport.Join(scope, "onnx_scale"), ones).Name : OnnxExport.Parameter(graph, scope, "weight", Weight).Name;
        string shift = Bias is null ? graph.AddInitializer(OnnxExport.Join(scope, "onnx_shift"), new Tensor(NumFeatures)).Name : OnnxExport.Parameter(graph, scope, "bias", Bias).Name;
        string mean = OnnxExport.Parameter(graph, scope, "running_mean", RunningMean).Name;
        string variance = OnnxExport.Parameter(graph, scope, "running_var", RunningVar).Name;
        return input.As(graph.AddNode("BatchNormalization", [input.Name, scale, shift, mean, variance], scope, OnnxAttribute.Float("epsilon", Eps)));
    }
}
