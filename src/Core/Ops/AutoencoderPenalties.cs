using System.Numerics.Tensors;
using MLNetExt.Core.Autograd;

namespace MLNetExt.Core.Ops;

/// <summary>
/// The differentiable pieces of the regularized autoencoders: the variational autoencoder's reparameterization
/// and Gaussian KL term, the sparse autoencoder's KL sparsity and L1 activity penalties, and the contractive
/// autoencoder's Jacobian penalty. Each follows the op pattern of <see cref="TensorOps"/>: an optional
/// <see cref="Tape"/> last; with one, the output comes from its arena and the op is recorded when an input
/// requires a gradient.
/// </summary>
/// <remarks>
/// Batch inputs are matrices [N, K]: N rows (samples), K units. The penalties are scalars [] averaged over
/// the N rows, so that their weight in a loss does not depend on the batch size. Long sums accumulate in double.
/// </remarks>
public static class AutoencoderPenalties
{
    /// <summary>
    /// The reparameterization trick of the variational autoencoder: z = μ + exp(½·log σ²) ⊙ ε, a sample of
    /// N(μ, σ²) that is differentiable in μ and log σ². Shapes: mean [N, K], logVariance [N, K], noise [N, K]
    /// (ε, typically standard normal draws) → z [N, K].
    /// </summary>
    /// <remarks>
    /// Gradients: ∂z/∂μ = 1 and ∂z/∂log σ² = ½·exp(½·log σ²) ⊙ ε. The noise is a constant: it receives no
    /// gradient even when it requires one.
    /// </remarks>
    /// <exception cref="ArgumentException">An input is not a matrix, or the three shapes differ.</exception>
    public static Tensor Reparameterize(Tensor mean, Tensor logVariance, Tensor noise, Tape? tape = null)
    {
        RequireMatrix(mean, nameof(mean), nameof(Reparameterize));
        RequireSameShape(mean, logVariance, nameof(logVariance), nameof(Reparameterize));
        RequireSameShape(mean, noise, nameof(noise), nameof(Reparameterize));
        var z = Tape.Allocate(tape, mean.Shape, clear: false);
        var zs = z.Span;
        TensorPrimitives.Multiply(logVariance.Span, 0.5f, zs);
        TensorPrimitives.Exp(zs, zs);
        TensorPrimitives.FusedMultiplyAdd(zs, noise.Span, mean.Span, zs);
        if (Tape.ShouldRecord(tape, mean, logVariance))
            tape!.Record(new TapeNode(ReparameterizeBackward.Instance, z, mean, logVariance, noise));
        return z;
    }

    /// <summary>
    /// The KL divergence of the encoder's diagonal Gaussian N(μ, σ²) from the standard normal prior, summed over
    /// the K latent units and averaged over the N rows:
    /// KL = (1/N) Σᵢ ½ Σₖ (exp(lv_ik) + μ_ik² − 1 − lv_ik), with lv = log σ².
    /// Shapes: mean [N, K], logVariance [N, K] → [].
    /// </summary>
    /// <remarks>Gradients: ∂KL/∂μ = μ/N; ∂KL/∂lv = ½(exp(lv) − 1)/N.</remarks>
    /// <exception cref="ArgumentException">An input is not a matrix with at least one row, or the shapes differ.</exception>
    public static Tensor GaussianKLDivergence(Tensor mean, Tensor logVariance, Tape? tape = null)
    {
        RequireRows(mean, nameof(mean), nameof(GaussianKLDivergence));
        RequireSameShape(mean, logVariance, nameof(logVariance), nameof(GaussianKLDivergence));
        var y = Tape.Allocate(tape, [], clear: false);
        y.Data[0] = (float)(0.5 * GaussianKLSum(mean.Span, logVariance.Span) / mean.Dim(0));
        if (Tape.ShouldRecord(tape, mean, logVariance))
            tape!.Record(new TapeNode(GaussianKLBackward.Instance, y, mean, logVariance));
        return y;
    }

    /// <summary>
    /// The per-row Gaussian KL divergence, for reporting (no gradient):
    /// destination[i] = ½ Σₖ (exp(lv_ik) + μ_ik² − 1 − lv_ik). Shapes: mean [N, K], logVariance [N, K];
    /// <paramref name="destination"/> holds N values.
    /// </summary>
    /// <exception cref="ArgumentException">An input is not a matrix, the shapes differ, or the destination's length is not N.</exception>
    public static void GaussianKLDivergencePerRow(Tensor mean, Tensor logVariance, Span<float> destination)
    {
        RequireMatrix(mean, nameof(mean), nameof(GaussianKLDivergencePerRow));
        RequireSameShape(mean, logVariance, nameof(logVariance), nameof(GaussianKLDivergencePerRow));
        int n = mean.Dim(0), k = mean.Dim(1);
        if (destination.Length != n)
            throw new ArgumentException($"{nameof(GaussianKLDivergencePerRow)} needs a destination of {n} values (one per row) but got {destination.Length}.", nameof(destination));
        for (int row = 0; row < n; row++)
            destination[row] = (float)(0.5 * GaussianKLSum(mean.Span.Slice(row * k, k), logVariance.Span.Slice(row * k, k)));
    }

    /// <summary>
    /// The sparse autoencoder's KL sparsity penalty: with ρ̂ⱼ the mean activation of hidden unit j over the N rows,
    /// Σⱼ ρ·log(ρ/ρ̂ⱼ) + (1 − ρ)·log((1 − ρ)/(1 − ρ̂ⱼ)), the KL divergence of Bernoulli(ρ̂ⱼ) from the target
    /// Bernoulli(ρ), summed over the K units. Shapes: activations [N, K] (sigmoid outputs, in (0, 1)) → [].
    /// </summary>
    /// <remarks>
    /// ρ̂ⱼ is clamped to [1e−6, 1 − 1e−6] so that a dead or saturated unit gives a large finite penalty rather than
    /// an infinity; the clamped value is used in both the value and the gradient,
    /// ∂/∂a_ij = (1/N)·(−ρ/ρ̂ⱼ + (1 − ρ)/(1 − ρ̂ⱼ)).
    /// </remarks>
    /// <exception cref="ArgumentException">The activations are not a matrix with at least one row.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="target"/> is not in (0, 1).</exception>
    public static Tensor KLSparsity(Tensor activations, float target, Tape? tape = null)
    {
        RequireRows(activations, nameof(activations), nameof(KLSparsity));
        if (!(target > 0f && target < 1f))
            throw new ArgumentOutOfRangeException(nameof(target), target, "The target activation ρ must lie in (0, 1).");
        int n = activations.Dim(0), k = activations.Dim(1);
        // The per-unit gradient coefficient does not depend on dy, so it is computed here and kept for backward.
        var coefficient = Tape.Allocate(tape, [k], clear: false);
        var a = activations.Span;
        var g = coefficient.Span;
        double rho = target, total = 0;
        for (int j = 0; j < k; j++)
        {
            double sum = 0;
            for (int i = j; i < a.Length; i += k) sum += a[i];
            double rhoHat = Math.Clamp(sum / n, SparsityClamp, 1 - SparsityClamp);
            total += rho * Math.Log(rho / rhoHat) + (1 - rho) * Math.Log((1 - rho) / (1 - rhoHat));
            g[j] = (float)((-rho / rhoHat + (1 - rho) / (1 - rhoHat)) / n);
        }
        var y = Tape.Allocate(tape, [], clear: false);
        y.Data[0] = (float)total;
        if (Tape.ShouldRecord(tape, activations))
            tape!.Record(new TapeNode(KLSparsityBackward.Instance, y, activations, Saved: coefficient));
        return y;
    }

    /// <summary>
    /// The L1 activity penalty of a sparse autoencoder: (1/N) Σᵢ Σⱼ |a_ij|. Shapes: activations [N, K] → [].
    /// </summary>
    /// <remarks>Gradient: sign(a)/N, with 0 at a = 0 as <c>torch.abs</c> gives.</remarks>
    /// <exception cref="ArgumentException">The activations are not a matrix with at least one row.</exception>
    public static Tensor L1Activity(Tensor activations, Tape? tape = null)
    {
        RequireRows(activations, nameof(activations), nameof(L1Activity));
        int n = activations.Dim(0), k = activations.Dim(1);
        double total = 0;
        for (int row = 0; row < n; row++) total += TensorPrimitives.SumOfMagnitudes<float>(activations.Span.Slice(row * k, k));
        var y = Tape.Allocate(tape, [], clear: false);
        y.Data[0] = (float)(total / n);
        if (Tape.ShouldRecord(tape, activations))
            tape!.Record(new TapeNode(L1ActivityBackward.Instance, y, activations));
        return y;
    }

    /// <summary>
    /// The contractive autoencoder's penalty for a sigmoid encoder layer h = σ(x·Wᵀ + b): the squared Frobenius
    /// norm of the Jacobian ∂h/∂x, averaged over the rows. Because ∂h_ij/∂x_id = h_ij(1 − h_ij)·W_jd, it has the
    /// closed form (1/N) Σᵢ Σⱼ (h_ij(1 − h_ij))²·Sⱼ with Sⱼ = Σ_d W_jd².
    /// Shapes: hidden [N, K] (the layer's sigmoid outputs), weight [K, D] (its <c>torch.nn.Linear</c> weight) → [].
    /// </summary>
    /// <remarks>
    /// Gradients: ∂/∂h_ij = (2/N)·h_ij(1 − h_ij)(1 − 2h_ij)·Sⱼ and ∂/∂W_jd = 2·W_jd·(1/N) Σᵢ (h_ij(1 − h_ij))².
    /// Both inputs may require a gradient; the hidden one usually does, through the encoder graph.
    /// </remarks>
    /// <exception cref="ArgumentException">An input is not a matrix, hidden has no rows, or the weight has not K rows.</exception>
    public static Tensor ContractiveSigmoid(Tensor hidden, Tensor weight, Tape? tape = null)
    {
        RequireRows(hidden, nameof(hidden), nameof(ContractiveSigmoid));
        RequireMatrix(weight, nameof(weight), nameof(ContractiveSigmoid));
        int n = hidden.Dim(0), k = hidden.Dim(1), d = weight.Dim(1);
        if (weight.Dim(0) != k)
            throw new ArgumentException($"{nameof(ContractiveSigmoid)} needs a weight [{k}, D] for hidden [{n}, {k}] but got {ShapeText.Of(weight.Shape)}.", nameof(weight));
        // Row 0: Sⱼ = Σ_d W_jd²; row 1: qⱼ = (1/N) Σᵢ (h_ij(1 − h_ij))². Backward needs both.
        var saved = Tape.Allocate(tape, [2, k], clear: false);
        var s = saved.Span[..k];
        var q = saved.Span[k..];
        var h = hidden.Span;
        var w = weight.Span;
        double total = 0;
        for (int j = 0; j < k; j++)
        {
            s[j] = TensorPrimitives.SumOfSquares<float>(w.Slice(j * d, d));
            double sum = 0;
            for (int i = j; i < h.Length; i += k)
            {
                double slope = h[i] * (1.0 - h[i]);
                sum += slope * slope;
            }
            q[j] = (float)(sum / n);
            total += sum / n * s[j];
        }
        var y = Tape.Allocate(tape, [], clear: false);
        y.Data[0] = (float)total;
        if (Tape.ShouldRecord(tape, hidden, weight))
            tape!.Record(new TapeNode(ContractiveSigmoidBackward.Instance, y, hidden, weight, Saved: saved));
        return y;
    }

    /// <summary>The lower clamp of the mean activation in <see cref="KLSparsity"/>; the upper one is 1 minus it.</summary>
    private const double SparsityClamp = 1e-6;

    /// <summary>Σ (exp(lv) + μ² − 1 − lv) over the elements, in double.</summary>
    private static double GaussianKLSum(ReadOnlySpan<float> mean, ReadOnlySpan<float> logVariance)
    {
        double sum = 0;
        for (int i = 0; i < mean.Length; i++)
        {
            double lv = logVariance[i], mu = mean[i];
            sum += Math.Exp(lv) + mu * mu - 1.0 - lv;
        }
        return sum;
    }

    private static void RequireMatrix(Tensor t, string name, string op)
    {
        ArgumentNullException.ThrowIfNull(t, name);
        if (t.Rank != 2)
            throw new ArgumentException($"{op} expects {name} [N, K] but got {ShapeText.Of(t.Shape)}.", name);
    }

    private static void RequireRows(Tensor t, string name, string op)
    {
        RequireMatrix(t, name, op);
        if (t.Dim(0) == 0)
            throw new ArgumentException($"{op} averages over the rows of {name}, which has none.", name);
    }

    private static void RequireSameShape(Tensor reference, Tensor t, string name, string op)
    {
        ArgumentNullException.ThrowIfNull(t, name);
        if (!t.HasShape(reference.Shape))
            throw new ArgumentException($"{op} needs {name} of the mean's shape {ShapeText.Of(reference.Shape)} but got {ShapeText.Of(t.Shape)}.", name);
    }

    // dμ += dz; dlv += dz ⊙ ½·exp(½·lv) ⊙ ε, recomputed rather than kept.
    private sealed class ReparameterizeBackward : IBackward
    {
        public static readonly ReparameterizeBackward Instance = new();
        public void Backward(Tape tape, in TapeNode node)
        {
            var dz = node.Output.Grad!.Span;
            if (node.A!.RequiresGrad) TensorPrimitives.Add(Tape.GradOf(node.A), dz, Tape.GradOf(node.A));
            if (node.B!.RequiresGrad)
            {
                var dlv = Tape.GradOf(node.B);
                var lv = node.B.Span;
                var eps = node.C!.Span;
                for (int i = 0; i < dlv.Length; i++) dlv[i] += dz[i] * 0.5f * MathF.Exp(0.5f * lv[i]) * eps[i];
            }
        }
    }

    // dμ += dy·μ/N; dlv += dy·½(exp(lv) − 1)/N.
    private sealed class GaussianKLBackward : IBackward
    {
        public static readonly GaussianKLBackward Instance = new();
        public void Backward(Tape tape, in TapeNode node)
        {
            float scale = node.Output.Grad!.Data[0] / node.A!.Dim(0);
            if (node.A.RequiresGrad)
            {
                var dmu = Tape.GradOf(node.A);
                TensorPrimitives.FusedMultiplyAdd(node.A.Span, scale, dmu, dmu);
            }
            if (node.B!.RequiresGrad)
            {
                var dlv = Tape.GradOf(node.B);
                var lv = node.B.Span;
                float half = 0.5f * scale;
                for (int i = 0; i < dlv.Length; i++) dlv[i] += half * (MathF.Exp(lv[i]) - 1f);
            }
        }
    }

    // da_ij += dy·gⱼ, with gⱼ = (1/N)(−ρ/ρ̂ⱼ + (1 − ρ)/(1 − ρ̂ⱼ)) kept by the forward pass.
    private sealed class KLSparsityBackward : IBackward
    {
        public static readonly KLSparsityBackward Instance = new();
        public void Backward(Tape tape, in TapeNode node)
        {
            float dy = node.Output.Grad!.Data[0];
            var g = node.Saved!.Span;
            var da = Tape.GradOf(node.A!);
            for (int offset = 0; offset < da.Length; offset += g.Length)
            {
                var row = da.Slice(offset, g.Length);
                TensorPrimitives.FusedMultiplyAdd(g, dy, row, row);
            }
        }
    }

    // da += dy·sign(a)/N.
    private sealed class L1ActivityBackward : IBackward
    {
        public static readonly L1ActivityBackward Instance = new();
        public void Backward(Tape tape, in TapeNode node)
        {
            float scale = node.Output.Grad!.Data[0] / node.A!.Dim(0);
            var a = node.A.Span;
            var da = Tape.GradOf(node.A);
            for (int i = 0; i < da.Length; i++)
            {
                if (a[i] > 0f) da[i] += scale;
                else if (a[i] < 0f) da[i] -= scale;
            }
        }
    }

    // dh_ij += dy·(2/N)·h(1 − h)(1 − 2h)·Sⱼ; dW_jd += dy·2·qⱼ·W_jd, with S and q kept by the forward pass.
    private sealed class ContractiveSigmoidBackward : IBackward
    {
        public static readonly ContractiveSigmoidBackward Instance = new();
        public void Backward(Tape tape, in TapeNode node)
        {
            Tensor hidden = node.A!, weight = node.B!;
            float dy = node.Output.Grad!.Data[0];
            int n = hidden.Dim(0), k = hidden.Dim(1), d = weight.Dim(1);
            var s = node.Saved!.Span[..k];
            var q = node.Saved.Span[k..];
            if (hidden.RequiresGrad)
            {
                var h = hidden.Span;
                var dh = Tape.GradOf(hidden);
                float scale = 2f * dy / n;
                for (int offset = 0; offset < dh.Length; offset += k)
                    for (int j = 0; j < k; j++)
                    {
                        float hij = h[offset + j];
                        dh[offset + j] += scale * hij * (1f - hij) * (1f - 2f * hij) * s[j];
                    }
            }
            if (weight.RequiresGrad)
            {
                var w = weight.Span;
                var dw = Tape.GradOf(weight);
                for (int j = 0; j < k; j++)
                {
                    var row = dw.Slice(j * d, d);
                    TensorPrimitives.FusedMultiplyAdd(w.Slice(j * d, d), 2f * dy * q[j], row, row);
                }
            }
        }
    }
}
