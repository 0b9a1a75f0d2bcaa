using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using MLNetExt.Core.Autograd;
using MLNetExt.Core.Threading;
using MLNetExt.Core.Onnx;

namespace MLNetExt.Core.Modules;

/// <summary>
/// A lookup table, <c>torch.nn.Embedding</c>: y[…, :] = weight[id[…], :].
/// Shapes: ids [*] → output [*, embedding_dim]; <c>weight</c> [num_embeddings, embedding_dim].
/// </summary>
/// <remarks>
/// <para>Initialized as PyTorch does: weight ~ N(0, 1), with the padding row (if any) set to zero.</para>
/// <para>The padding row never receives a gradient, so it stays at whatever value it holds (zero unless set).</para>
/// <para>Backward: dW[id, :] += dY[position, :] for every position whose id is not the padding index. The ids of
/// each lookup are kept in an arena tensor of the tape, so several lookups in one step each back-propagate
/// their own ids.</para>
/// </remarks>
public sealed class Embedding : Module, IOnnxExportable
{
    /// <summary>Creates the table, drawing initial weights from <paramref name="random"/> (default: <see cref="RandomSource.Default"/>).</summary>
    /// <param name="numEmbeddings">The number of rows (the vocabulary size), at least 1.</param>
    /// <param name="embeddingDim">The width of each row, at least 1.</param>
    /// <param name="paddingIdx">The row that is zero and receives no gradient; negative values count from the end as in PyTorch.</param>
    /// <param name="random">The generator for the initial weights.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is less than 1, or <paramref name="paddingIdx"/> is outside [−num_embeddings, num_embeddings).</exception>
    public Embedding(int numEmbeddings, int embeddingDim, int? paddingIdx = null, RandomSource? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numEmbeddings, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(embeddingDim, 1);
        if (paddingIdx is int pad)
        {
            if (pad < -numEmbeddings || pad >= numEmbeddings)
                throw new ArgumentOutOfRangeException(nameof(paddingIdx), pad, $"The padding index must be in [{-numEmbeddings}, {numEmbeddings}).");
            PaddingIdx = pad < 0 ? pad + numEmbeddings : pad;
        }
        NumEmbeddings = numEmbeddings;
        EmbeddingDim = embeddingDim;
        Weight = RegisterParameter("weight", new Tensor(numEmbeddings, embeddingDim));
        (random ?? RandomSource.Default).FillGaussian(Weight.Span, 0f, 1f);
        if (PaddingIdx is int row) Weight.Span.Slice(row * embeddingDim, embeddingDim).Clear();
    }

    /// <summary>The number of rows in the table.</summary>
    public int NumEmbeddings { get; }

    /// <summary>The width of each row.</summary>
    public int EmbeddingDim { get; }

    /// <summary>The padding row (non-negative), or null.</summary>
    public int? PaddingIdx { get; }

    /// <summary>The table, [num_embeddings, embedding_dim].</summary>
    public Tensor Weight { get; }

    /// <summary>
    /// Looks up integer ids. Shapes: <paramref name="ids"/> holds product(<paramref name="idShape"/>) ids in
    /// row-major order → output [..idShape, embedding_dim].
    /// </summary>
    /// <exception cref="ArgumentException">The number of ids does not match <paramref name="idShape"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside [0, num_embeddings); the message names its position and value.</exception>
    public Tensor Forward(ReadOnlySpan<int> ids, ReadOnlySpan<int> idShape, Tape? tape = null)
    {
        int count = Tensor.CheckedLength(idShape);
        if (ids.Length != count)
            throw new ArgumentException($"{ids.Length} ids do not fill the id shape [{string.Join(", ", idShape.ToArray())}] ({count} ids).", nameof(ids));
        for (int i = 0; i < ids.Length; i++) CheckId(ids[i], i, idShape);

        bool record = Tape.ShouldRecord(tape, Weight);
        Tensor? saved = null;
        if (record)
        {
            saved = tape!.Allocate(idShape, clear: false);
            ids.CopyTo(AsIds(saved));
        }
        return Lookup(ids, idShape, saved, tape);
    }

    /// <summary>
    /// Looks up ids stored as floats (each must be a whole number in [0, num_embeddings)).
    /// Shapes: input [*] → output [*, embedding_dim].
    /// </summary>
    /// <exception cref="ArgumentException">An element is not a whole number.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside [0, num_embeddings); the message names its position and value.</exception>
    public override Tensor Forward(Tensor input, Tape? tape = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        // The ids live in float storage bit for bit as int32, so ids above 2²⁴ survive and nothing is allocated per step.
        var saved = Tape.Allocate(tape, input.Shape, clear: false);
        var ids = AsIds(saved);
        var values = input.Span;
        for (int i = 0; i < values.Length; i++)
        {
            float value = values[i];
            if (value != MathF.Round(value) || value < int.MinValue || value > int.MaxValue)
                throw new ArgumentException($"Embedding ids must be whole numbers but the element at position {i} (index {FormatPosition(i, input.Shape)}) is {value}.", nameof(input));
            ids[i] = (int)value;
            CheckId(ids[i], i, input.Shape);
        }
        return Lookup(ids, input.Shape, Tape.ShouldRecord(tape, Weight) ? saved : null, tape);
    }

    /// <inheritdoc />
    public override int[] OutputShape(ReadOnlySpan<int> inputShape) => [.. inputShape, EmbeddingDim];

    private Tensor Lookup(ReadOnlySpan<int> ids, ReadOnlySpan<int> idShape, Tensor? savedIds, Tape? tape)
    {
        Span<int> outputShape = stackalloc int[idShape.Length + 1];
        idShape.CopyTo(outputShape);
        outputShape[^1] = EmbeddingDim;
        var y = Tape.Allocate(tape, outputShape, clear: false);
        LookupForward(y.Span, Weight.Span, ids, EmbeddingDim);
        if (savedIds is not null)
            tape!.Record(new TapeNode(EmbeddingBackward.Instance, y, Weight, IntArg: PaddingIdx ?? -1, Saved: savedIds));
        return y;
    }

    // Shapes: ids [B], weight [V, D] → y [B, D]. Large lookups (a batch of long sequences) are shared among the
    // engine's threads in blocks of positions: the row reads miss the cache and overlap better on two cores.
    private static unsafe void LookupForward(Span<float> y, ReadOnlySpan<float> weight, ReadOnlySpan<int> ids, int dim)
    {
        fixed (float* output = y, table = weight)
        fixed (int* positions = ids)
        {
            var job = new LookupJob(output, table, positions, ids.Length, dim);
            int blocks = (ids.Length + LookupBlock - 1) / LookupBlock;
            int threads = (long)ids.Length * dim < ParallelLookupFloats ? 1 : Engine.ThreadCount;
            WorkerPool.ParallelFor(blocks, threads, in job, &LookupRows);
        }
    }

    private const int LookupBlock = 256;
    private const long ParallelLookupFloats = 64 * 1024;

    private static unsafe void LookupRows(in LookupJob job, int block)
    {
        int end = Math.Min(job.Count, (block + 1) * LookupBlock);
        for (int position = block * LookupBlock; position < end; position++)
            new ReadOnlySpan<float>(job.Table + (long)job.Ids[position] * job.Dim, job.Dim)
                .CopyTo(new Span<float>(job.Output + (long)position * job.Dim, job.Dim));
    }

    private readonly unsafe struct LookupJob(float* output, float* table, int* ids, int count, int dim)
    {
        public readonly float* Output = output, Table = table;
        public readonly int* Ids = ids;
        public readonly int Count = count, Dim = dim;
    }

    // Shapes: ids [B], dY [B, D] → dW [V, D] += scatter of dY rows; the padding row (paddingIdx ≥ 0) is skipped.
    private static void LookupBackward(Span<float> dW, ReadOnlySpan<float> dY, ReadOnlySpan<int> ids, int dim, int paddingIdx)
    {
        for (int position = 0; position < ids.Length; position++)
        {
            int id = ids[position];
            if (id == paddingIdx) continue;
            var row = dW.Slice(id * dim, dim);
            TensorPrimitives.Add(row, dY.Slice(position * dim, dim), row);
        }
    }

    private static Span<int> AsIds(Tensor saved) => MemoryMarshal.Cast<float, int>(saved.Span);

    private void CheckId(int id, int position, ReadOnlySpan<int> idShape)
    {
        if ((uint)id >= (uint)NumEmbeddings)
            throw new ArgumentOutOfRangeException("ids", id,
                $"Embedding id at position {position} (index {FormatPosition(position, idShape)}) is {id} but must be in [0, {NumEmbeddings}).");
    }

    private static string FormatPosition(int flatIndex, ReadOnlySpan<int> shape)
    {
        var index = new int[shape.Length];
        for (int axis = shape.Length - 1; axis >= 0; axis--)
        {
            index[axis] = flatIndex % shape[axis];
            flatIndex /= shape[axis];
        }
        return $"[{string.Join(", ", index)}]";
    }

    private sealed class EmbeddingBackward : IBackward
    {
        public static readonly EmbeddingBackward Instance = new();
        public void Backward(Tape tape, in TapeNode node)
        {
            var weight = node.A!;
            LookupBackward(Tape.GradOf(weight), node.Output.Grad!.Span, AsIds(node.Saved!), weight.Dim(1), node.IntArg);
        }
    }

    /// <summary>
    /// Emits <c>Gather</c>(weight, ids) on axis 0, after a <c>Cast</c> to int64 unless the ids are int64 or int32
    /// already (float ids, as <see cref="Forward(Tensor, Tape?)"/> takes them, or ML.NET's uint32 keys).
    /// Shapes: ids [*] → [*, embedding_dim]. Out-of-range ids are the runtime's to reject.
    /// </summary>
    OnnxValue IOnnxExportable.ExportOnnx(OnnxGraphBuilder graph, OnnxValue input, string scope)
    {
        if (input.ElementType is OnnxElementType.String or OnnxElementType.Bool)
            throw new ArgumentException($"Embedding needs numeric ids but '{input.Name}' holds {input.ElementType}.", nameof(input));
        string ids = input.ElementType is OnnxElementType.Int64 or OnnxElementType.Int32
            ? input.Name
            : graph.AddNode("Cast", [input.Name], scope, OnnxAttribute.Int("to", (long)OnnxElementType.Int64));
        string weight = OnnxExport.Parameter(graph, scope, "weight", Weight).Name;
        return new OnnxValue(graph.AddNode("Gather", [weight, ids], scope, OnnxAttribute.Int("axis", 0)), OnnxElementType.Float, [.. input.Shape, EmbeddingDim]);
    }
}
