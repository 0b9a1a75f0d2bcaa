using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using MLNetExt.Core;
using System.Runtime.InteropServices;
using MLNetExt.Core.Autograd;
using MLNetExt.Core.Threading;

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
    /// <remarks>
    /// With <see cref="Engine.ThreadCount"/> above 1, a dense network (whose evaluation forward keeps no state between
    /// calls that scoring reads) scores whole chunks on each thread of the <see cref="WorkerPool"/>, the products inside a
    /// chunk running on that thread: no hand-out and wait per product, and a busy core delays one chunk, not every
    /// product. A chunk's scores do not depend on the thread that computes it (the engine's products give bitwise the
    /// same sums for any thread count), so the scores are those of the sequential path.
    /// </remarks>
    public static float[] ScoreRows(AutoencoderNetwork network, float[] inputs)
    {
        int features = network.FeatureCount, rows = inputs.Length / features;
        var scores = new float[rows];
        network.Eval();
        int chunks = (rows + ChunkRows - 1) / ChunkRows;
        if (network is DenseAutoencoder && Engine.ThreadCount > 1 && chunks > 1)
        {
            ScoreChunksInParallel(new ChunkScoring(network, inputs, scores), chunks);
            return scores;
        }
        var scratch = new ChunkScratch();
        for (int start = 0; start < rows; start += ChunkRows)
            ScoreChunk(network, inputs, scores, start, Math.Min(ChunkRows, rows - start), scratch);
        return scores;
    }

    // Scores rows [start, start + count) into scores[start..]: one network run over the chunk, then each row's mean error.
    private static void ScoreChunk(AutoencoderNetwork network, float[] inputs, float[] scores, int start, int count, ChunkScratch scratch)
    {
        int features = network.FeatureCount;
        // One input buffer for all full chunks (and one for the tail), not a new one per chunk.
        var batch = scratch.Batch is { } held && held.Dim(0) == count && held.Dim(1) == features ? held : scratch.Batch = new Tensor(count, features);
        if (scratch.Errors.Length < count * features)
            scratch.Errors = new float[count * features];
        inputs.AsSpan(start * features, count * features).CopyTo(batch.Span);
        scratch.Tape.Reset();
        var output = network.Forward(batch, scratch.Tape).Span;
        var chunkScores = scores.AsSpan(start, count);
        var chunkErrors = scratch.Errors.AsSpan(0, count * features);
        var loss = network.Architecture.ReconstructionLoss;
        // The squared errors of the whole chunk in one pass (element-wise, so the same values as row by row).
        if (loss == AutoencoderReconstructionLoss.MeanSquaredError)
            OfRow(output, batch.Span, loss, chunkErrors);
        for (int r = 0; r < count; r++)
        {
            var rowErrors = chunkErrors.Slice(r * features, features);
            if (loss != AutoencoderReconstructionLoss.MeanSquaredError)
                OfRow(output.Slice(r * features, features), batch.Span.Slice(r * features, features), loss, rowErrors);
            chunkScores[r] = TensorPrimitives.Sum<float>(rowErrors) / features;
        }
        network.AddRowPenalties(chunkScores);
    }

    private static unsafe void ScoreChunksInParallel(ChunkScoring job, int chunks)
    {
        var handle = GCHandle.Alloc(job);
        try
        {
            var state = new ChunkJob(GCHandle.ToIntPtr(handle));
            WorkerPool.ParallelFor(chunks, in state, &ScoreChunkTask);
        }
        finally
        {
            handle.Free();
        }
    }

    private static void ScoreChunkTask(in ChunkJob state, int chunk)
    {
        var job = (ChunkScoring)GCHandle.FromIntPtr(state.Scoring).Target!;
        int rows = job.Scores.Length, start = chunk * ChunkRows;
        ScoreChunk(job.Network, job.Inputs, job.Scores, start, Math.Min(ChunkRows, rows - start), t_scratch ??= new ChunkScratch());
    }

    /// <summary>The buffers one thread scores chunks with (its tape's arena, the input copy, the errors), kept per thread across calls.</summary>
    [ThreadStatic] private static ChunkScratch? t_scratch;

    private sealed class ChunkScratch
    {
        public Tape Tape { get; } = new() { IsRecording = false };

        public Tensor? Batch { get; set; }

        public float[] Errors { get; set; } = [];
    }

    private sealed record ChunkScoring(AutoencoderNetwork Network, float[] Inputs, float[] Scores);

    private readonly record struct ChunkJob(nint Scoring);

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
