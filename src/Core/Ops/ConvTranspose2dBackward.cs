using System.Collections.Concurrent;
using MLNetExt.Core.Autograd;

namespace MLNetExt.Core.Ops;

/// <summary>
/// Backward of <see cref="ConvTranspose2dOp"/>. One shared instance per stride/padding/dilation setting (a
/// flyweight), so recording allocates nothing in steady state; the node carries x (A), weight (B), bias (C) and the
/// forward's column workspace (Saved), which the backward reuses.
/// </summary>
internal sealed class ConvTranspose2dBackward : IBackward
{
    private static readonly ConcurrentDictionary<ConvolutionSettings, ConvTranspose2dBackward> s_instances = new();
    private readonly ConvolutionSettings _settings;

    private ConvTranspose2dBackward(ConvolutionSettings settings) => _settings = settings;

    public static ConvTranspose2dBackward For(in ConvolutionSettings settings)
        => s_instances.GetOrAdd(settings, static s => new ConvTranspose2dBackward(s));

    /// <summary>The geometry of the ordinary convolution from y-space back to x-space (see <see cref="TransposedConvolutionKernel"/>).</summary>
    public static ConvolutionGeometry Geometry(Tensor x, Tensor weight, Tensor y, in ConvolutionSettings s)
        => new(y.Dim(1), y.Dim(2), y.Dim(3), weight.Dim(2), weight.Dim(3), s.StrideHeight, s.StrideWidth,
            s.PaddingHeight, s.PaddingWidth, s.DilationHeight, s.DilationWidth, x.Dim(2), x.Dim(3));

    public static Tensor Run(Tensor x, Tensor weight, Tensor? bias, ReadOnlySpan<int> outputShape, in ConvolutionSettings settings, Tape? tape)
    {
        var y = Tape.Allocate(tape, outputShape, clear: true);
        var g = Geometry(x, weight, y, settings);
        int batch = x.Dim(0), inChannels = weight.Dim(0);
        bool record = Tape.ShouldRecord(tape, x, weight, bias);
        int workers = BatchParallel.WorkerCount(batch, ConvolutionKernel.WorkPerImage(g, inChannels));
        int columnsSize = ConvolutionKernel.ColumnsSize(g);
        int stride = ConvolutionKernel.WorkspaceStride(columnsSize, weight.Length, workers, record);
        var workspace = Tape.Allocate(tape, [workers * stride], clear: false);
        TransposedConvolutionKernel.Forward(g, batch, inChannels, x.Data, weight.Data, bias?.Data, y.Data, workspace.Data, workers);
        if (record) tape!.Record(new TapeNode(For(settings), y, x, weight, bias, Saved: workspace));
        return y;
    }

    public void Backward(Tape tape, in TapeNode node)
    {
        Tensor x = node.A!, weight = node.B!, y = node.Output, workspace = node.Saved!;
        var g = Geometry(x, weight, y, _settings);
        int batch = x.Dim(0), inChannels = weight.Dim(0);
        int columnsSize = ConvolutionKernel.ColumnsSize(g);
        int workers = ConvolutionKernel.FitWorkers(BatchParallel.WorkerCount(batch, ConvolutionKernel.WorkPerImage(g, inChannels)),
            workspace.Length, columnsSize, weight.Length, weight.RequiresGrad);
        TransposedConvolutionKernel.Backward(g, batch, inChannels, x.Data, weight.Data, y.Grad!.Data,
            x.RequiresGrad ? x.EnsureGrad().Data : null,
            weight.RequiresGrad ? weight.EnsureGrad().Data : null,
            node.C is { RequiresGrad: true } bias ? bias.EnsureGrad().Data : null,
            workspace.Data, workers);
    }
}
