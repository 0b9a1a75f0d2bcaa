using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using MLNetExt.Core;
using MLNetExt.Core.Autograd;

namespace MLNetExt.Trainers.Autoencoders;

/// <summary>
/// The anomaly score of a row and its per-feature parts: e_f = (x̂_f − x_f)² for squared error, or the binary
/// cross-entropy softplus(l_f) − l_f·x_f of the decoder's logit l_f (= −[x log σ(l) + (1 − x) log(1 − σ(l))]); the
/// score is the mean of the e_f plus the row's penalty share (the variational kind's β·KL/F).
/// </summary>
internal static class ReconstructionErrors
{
    /// <summary>Rows scored per network run when scoring many (bounded, so that memory does not grow with the data).</summary>
    private const int ChunkRows = 256;

    /// <summary>Writes the per-feature errors of one row.</summary>
    /// <param name="reconstruction">The decoder's output for the row [F].</param>
    /// <param name="input">The row as the network read it [F] (standardized when the model standardizes).</param>
    /// <param name="loss">How errors are measured.</param>
    /// <param name="errors">Receives the F errors.</param>
    public static void OfRow(ReadOnlySpan<float> reconstruction, ReadOnlySpan<float> input, AutoencoderReconstructionLoss loss, Span<float> errors)
    {
        if (loss == AutoencoderReconstructionLoss.MeanSquaredError)
        {
            TensorPrimitives.Subtract(reconstruction, input, errors);
            TensorPrimitives.Multiply(errors, errors, errors);
            return;
        }
        for (int f = 0; f < errors.Length; f++)
        {
            float logit = reconstruction[f];
            // softplus(l) = max(l, 0) + log(1 + e^−|l|), finite for any logit.
            errors[f] = MathF.Max(logit, 0f) + MathF.Log(1f + MathF.Exp(-MathF.Abs(logit))) - logit * input[f];
        }
    }

    /// <summary>
    /// The scores of every row of <paramref name="inputs"/> [N, F] (as the network reads them), with the network in
    /// evaluation mode, in chunks of bounded size.
    /// </summary>
    public static float[] ScoreRows(AutoencoderNetwork network, float[] inputs)
    {
        int features = network.FeatureCount, rows = inputs.Length / features;
        var scores = new float[rows];
        var errors = new float[Math.Min(ChunkRows, rows) * features];
        var tape = new Tape { IsRecording = false };
        network.Eval();
        Tensor? batch = null;
        for (int start = 0; start < rows; start += ChunkRows)
        {
            int count = Math.Min(ChunkRows, rows - start);
            // One input buffer for all full chunks (and one for the tail), not a new one per chunk.
            if (batch is null || batch.Dim(0) != count)
                batch = new Tensor(count, features);
            inputs.AsSpan(start * features, count * features).CopyTo(batch.Span);
            tape.Reset();
            var output = network.Forward(batch, tape).Span;
            var chunkScores = scores.AsSpan(start, count);
            var chunkErrors = errors.AsSpan(0, count * features);
            // The squared errors of the whole chunk in one pass (element-wise, so the same values as row by row).
            if (network.Architecture.ReconstructionLoss == AutoencoderReconstructionLoss.MeanSquaredError)
                OfRow(output, batch.Span, AutoencoderReconstructionLoss.MeanSquaredError, chunkErrors);
            for (int r = 0; r < count; r++)
            {
                var rowErrors = chunkErrors.Slice(r * features, features);
                if (network.Architecture.ReconstructionLoss != AutoencoderReconstructionLoss.MeanSquaredError)
                    OfRow(output.Slice(r * features, features), batch.Span.Slice(r * features, features), network.Architecture.ReconstructionLoss, rowErrors);
                chunkScores[r] = TensorPrimitives.Sum<float>(rowErrors) / features;
            }
            network.AddRowPenalties(chunkScores);
        }
        return scores;
    }

    /// <summary>
    /// The <paramref name="quantile"/> quantile of <paramref name="scores"/> with linear interpolation between the
    /// closest ranks (NumPy's default percentile, which PyOD's detectors use for their threshold).
    /// </summary>
    public static float Quantile(IReadOnlyList<float> scores, double quantile)
    {
        var sorted = scores.Order().ToArray();
        double position = quantile * (sorted.Length - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Length - 1);
        return (float)(sorted[below] + (position - below) * ((double)sorted[above] - sorted[below]));
    }
}
