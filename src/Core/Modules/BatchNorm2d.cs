namespace MLNetExt.Core.Modules;

/// <summary>
/// Batch normalization of images, <c>torch.nn.BatchNorm2d</c> (see <see cref="BatchNorm"/> for the math).
/// Shapes: input [N, C, H, W] → output [N, C, H, W]; statistics per channel C over N, H and W.
/// </summary>
public sealed class BatchNorm2d : BatchNorm
{
    /// <summary>Creates the layer with PyTorch's defaults: ε = 1e−5, momentum 0.1, affine, tracking running statistics.</summary>
    /// <param name="numFeatures">C, the number of channels, at least 1.</param>
    /// <param name="eps">ε added to the variance, positive.</param>
    /// <param name="momentum">The weight of the newest batch in the running statistics, in [0, 1]; null for a cumulative average.</param>
    /// <param name="affine">Whether γ (<c>weight</c>) and β (<c>bias</c>) are learned.</param>
    /// <param name="trackRunningStats">Whether running statistics are kept (and used in evaluation mode).</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public BatchNorm2d(int numFeatures, float eps = 1e-5f, float? momentum = 0.1f, bool affine = true, bool trackRunningStats = true)
        : base(numFeatures, eps, momentum, affine, trackRunningStats)
    {
    }

    /// <inheritdoc />
    protected override bool AcceptsRank(int rank) => rank == 4;

    /// <inheritdoc />
    protected override string ExpectedShape => $"[N, {NumFeatures}, H, W]";
}
