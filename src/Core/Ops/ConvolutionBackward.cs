using System.Collections.Concurrent;
using MLNetExt.Core.Autograd;

namespace MLNetExt.Core.Ops;

/// <summary>
/// Backward of <see cref="Conv1dOp"/> and <see cref="Conv2dOp"/>. One shared instance per stride/padding/dilation
/// setting (a flyweight), so recording a node allocates nothing in steady state; the node carries x (A),
/// weight (B), bias (C) and the forward's im2col workspace (Saved), which the backward reuses.
/// </summary>
internal sealed class ConvolutionBackward : IBackward
{
    private static readonly ConcurrentDictionary<ConvolutionSettings, ConvolutionBackward> s_instances = new();
    private readonly ConvolutionSettings _settings;

    private ConvolutionBackward(ConvolutionSettings settings) => _settings = settings;

    public static ConvolutionBackward For(in ConvolutionSettings settings)
        => s_instances.GetOrAdd(settings, static s => new ConvolutionBackward(s));

    /// <summary>The geometry of one image, reading a rank-3 input [N, C, L] as [N, C, 1, L].</summary>
    public static ConvolutionGeometry Geometry(Tensor x, Tensor weight, Tensor y, in ConvolutionSettings s)
        => x.Rank == 3
            ? new(x.Dim(1), 1, x.Dim(2), 1, weight.Dim(2), 1, s.StrideWidth, 0, s.PaddingWidth, 1, s.DilationWidth, 1, y.Dim(2))
            : new(x.Dim(1), x.Dim(2), x.Dim(3), weight.Dim(2), weight.Dim(3), s.StrideHeight, s.StrideWidth,
                s.PaddingHeight, s.PaddingWidth, s.DilationHeight, s.DilationWidth, y.Dim(2), y.Dim(3));

    /// <summary>Runs the forward pass shared by the 1-D and 2-D ops (shapes already validated) and records it.</summary>
    public static Tensor Run(Tensor x, Tensor weight, Tensor? bias, ReadOnlySpan<int> outputShape, in ConvolutionSettings settings, Tape? tape)
    {
        var y = Tape.Allocate(tape, outputShape, clear: false);
        var g = Geometry(x, weight, y, settings);
        int batch = x.Dim(0), filters = weight.Dim(0);
        bool record = Tape.ShouldRecord(tape, x, weight, bias);
        int workers = BatchParallel.WorkerCount(batch, ConvolutionKernel.WorkPerImage(g, filters));
        int columnsSize = ConvolutionKernel.ColumnsSize(g);
        int stride = ConvolutionKernel.WorkspaceStride(columnsSize, weight.Length, workers, record);
        var workspace = Tape.Allocate(tape, [workers * stride], clear: false);
        ConvolutionKernel.Forward(g, batch, filters, x.Data, weight.Data, bias?.Data, y.Data, workspace.Data, workers);
        if (record) tape!.Record(new TapeNode(For(settings), y, x, weight, bias, Saved: workspace));
        return y;
    }

    public void Backward(Tape tape, in TapeNode node)
    {
        Tensor x = node.A!, weight = node.B!, y = node.Output, workspace = node.Saved!;
        var g = Geometry(x, weight, y, _settings);
        int batch = x.Dim(0), filters = weight.Dim(0);
        int columnsSize = ConvolutionKernel.ColumnsSize(g);
        int workers = ConvolutionKernel.FitWorkers(BatchParallel.WorkerCount(batch, ConvolutionKernel.WorkPerImage(g, filters)),
            workspace.Length, columnsSize, weight.Length, weight.RequiresGrad);
        ConvolutionKernel.Backward(g, batch, filters, x.Data, weight.Data, y.Grad!.Data,
            x.RequiresGrad ? x.EnsureGrad().Data : null,
            weight.RequiresGrad ? weight.EnsureGrad().Data : null,
            node.C is { RequiresGrad: true } bias ? bias.EnsureGrad().Data : null,
            workspace.Data, workers);
    }
}
