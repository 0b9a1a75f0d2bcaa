using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using System.Runtime.InteropServices;
using MLNetExt.Core;
using MLNetExt.Core.Autograd;

namespace MLNetExt.Trainers.Sequence;

/// <summary>
/// Pools a recurrent layer's batch-first output over each sequence's valid steps (see <see cref="SequencePooling"/>),
/// a differentiable op recorded on the tape.
/// </summary>
/// <remarks>
/// Shapes: output [B, T, D·H] (D directions, the forward half first), lengths B values in [1, T] → pooled [B, D·H].
/// The lengths and, for max pooling, the arg-max step of every pooled element are kept in one arena tensor
/// [B, 1 + D·H] (int32 bits), so backward allocates nothing and padded steps never receive a gradient.
/// </remarks>
public static class SequencePoolingOp
{
    /// <summary>Pools <paramref name="output"/> [B, T, D·H] into [B, D·H].</summary>
    /// <param name="output">The top layer's outputs, batch first.</param>
    /// <param name="lengths">The valid steps of each sequence, B values in [1, T].</param>
    /// <param name="pooling">How to pool.</param>
    /// <param name="directions">D: 1, or 2 for a bidirectional layer (matters for <see cref="SequencePooling.Last"/>).</param>
    /// <param name="tape">Records the op when the output requires a gradient.</param>
    /// <exception cref="ArgumentException">The shapes or lengths do not agree, or D·H is not a multiple of D.</exception>
    public static Tensor Forward(Tensor output, ReadOnlySpan<int> lengths, SequencePooling pooling, int directions, Tape? tape = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (output.Rank != 3)
            throw new ArgumentException($"Pooling needs outputs [B, T, D·H] but got rank {output.Rank}.", nameof(output));
        int batch = output.Dim(0), steps = output.Dim(1), width = output.Dim(2);
        if (!Enum.IsDefined(pooling))
            throw new ArgumentOutOfRangeException(nameof(pooling), pooling, "Expected Last, Mean or Max.");
        if (directions is not (1 or 2) || width % directions != 0)
            throw new ArgumentException($"Directions must be 1 or 2 and divide the width {width}, but is {directions}.", nameof(directions));
        if (lengths.Length != batch)
            throw new ArgumentException($"There are {lengths.Length} lengths for a batch of {batch}.", nameof(lengths));
        for (int b = 0; b < batch; b++)
        {
            if (lengths[b] < 1 || lengths[b] > steps)
                throw new ArgumentOutOfRangeException(nameof(lengths), lengths[b], $"Sequence {b} has length {lengths[b]}; expected one in [1, {steps}].");
        }
        var pooled = Tape.Allocate(tape, [batch, width], clear: false);
        var saved = Tape.Allocate(tape, [batch, 1 + width], clear: false);
        var state = MemoryMarshal.Cast<float, int>(saved.Span);
        for (int b = 0; b < batch; b++)
        {
            state[b * (1 + width)] = lengths[b];
            PoolForward(output.Span.Slice(b * steps * width, steps * width), pooled.Span.Slice(b * width, width),
                state.Slice(b * (1 + width) + 1, width), lengths[b], width, pooling, directions);
        }
        if (Tape.ShouldRecord(tape, output))
            tape!.Record(new TapeNode(PoolingBackward.Instance, pooled, output, IntArg: (int)pooling * 2 + directions - 1, Saved: saved));
        return pooled;
    }

    // Shapes: x [T, W] (one sequence), y [W], argMax [W]; only steps 0 … length − 1 are read.
    private static void PoolForward(ReadOnlySpan<float> x, Span<float> y, Span<int> argMax, int length, int width,
        SequencePooling pooling, int directions)
    {
        switch (pooling)
        {
            case SequencePooling.Last:
                {
                    int half = width / directions;
                    x.Slice((length - 1) * width, half).CopyTo(y);
                    if (directions == 2)
                        x.Slice(half, half).CopyTo(y[half..]);
                    break;
                }
            case SequencePooling.Mean:
                x[..width].CopyTo(y);
                for (int t = 1; t < length; t++)
                    TensorPrimitives.Add(y, x.Slice(t * width, width), y);
                TensorPrimitives.Multiply(y, 1f / length, y);
                break;
            default:
                x[..width].CopyTo(y);
                argMax.Clear();
                for (int t = 1; t < length; t++)
                {
                    var row = x.Slice(t * width, width);
                    for (int j = 0; j < width; j++)
                    {
                        if (row[j] > y[j])
                        {
                            y[j] = row[j];
                            argMax[j] = t;
                        }
                    }
                }
                break;
        }
    }

    // Shapes: dY [W] (one sequence) → dX [T, W] accumulated at the steps the forward read.
    private static void PoolBackward(ReadOnlySpan<float> dY, Span<float> dX, ReadOnlySpan<int> argMax, int length, int width,
        SequencePooling pooling, int directions)
    {
        switch (pooling)
        {
            case SequencePooling.Last:
                {
                    int half = width / directions;
                    var last = dX.Slice((length - 1) * width, half);
                    TensorPrimitives.Add(last, dY[..half], last);
                    if (directions == 2)
                    {
                        var first = dX.Slice(half, half);
                        TensorPrimitives.Add(first, dY[half..], first);
                    }
                    break;
                }
            case SequencePooling.Mean:
                for (int t = 0; t < length; t++)
                {
                    var row = dX.Slice(t * width, width);
                    TensorPrimitives.MultiplyAdd(dY, 1f / length, row, row);
                }
                break;
            default:
                for (int j = 0; j < width; j++)
                    dX[argMax[j] * width + j] += dY[j];
                break;
        }
    }

    private sealed class PoolingBackward : IBackward
    {
        public static readonly PoolingBackward Instance = new();

        public void Backward(Tape tape, in TapeNode node)
        {
            var output = node.A!;
            if (!output.RequiresGrad) return;
            int batch = output.Dim(0), steps = output.Dim(1), width = output.Dim(2);
            var pooling = (SequencePooling)(node.IntArg / 2);
            int directions = node.IntArg % 2 + 1;
            var state = MemoryMarshal.Cast<float, int>(node.Saved!.Span);
            var dY = node.Output.Grad!.Span;
            var dX = Tape.GradOf(output);
            for (int b = 0; b < batch; b++)
            {
                PoolBackward(dY.Slice(b * width, width), dX.Slice(b * steps * width, steps * width),
                    state.Slice(b * (1 + width) + 1, width), state[b * (1 + width)], width, pooling, directions);
            }
        }
    }
}
