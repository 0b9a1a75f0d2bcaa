namespace MLNetExt.Core.Losses;

/// <summary>How a loss combines its per-element values: PyTorch's <c>reduction</c> argument.</summary>
public enum Reduction
{
    /// <summary>No reduction: the loss has one value per element (per row for cross-entropy).</summary>
    None,

    /// <summary>The mean of the per-element values (cross-entropy with class weights: the weighted mean).</summary>
    Mean,

    /// <summary>The sum of the per-element values.</summary>
    Sum,

    /// <summary>The sum divided by the batch size (dimension 0); only <see cref="KLDivLoss"/> accepts it.</summary>
    BatchMean,
}
