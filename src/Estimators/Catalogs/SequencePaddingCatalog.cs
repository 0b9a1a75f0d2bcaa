using MLNetExt.Transforms;

namespace Microsoft.ML;

/// <summary>The column transforms of <c>mlContext.Transforms</c>, added by MLNetExt.</summary>
public static class SequencePaddingCatalog
{
    /// <summary>Pads or truncates sequences to a fixed length; see <see cref="SequencePaddingEstimator"/>.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">The fixed-size vector to add.</param>
    /// <param name="inputColumnName">The sequence column (a vector of Single, Int32 or keys); null means <paramref name="outputColumnName"/>.</param>
    /// <param name="maximumLength">The output length; at least 1.</param>
    /// <param name="padValue">The padding item; a whole number for Int32 items, a key in [0, count] for keys.</param>
    /// <param name="paddingSide">Where padding goes.</param>
    /// <param name="truncationSide">Which end of a too-long sequence is cut off.</param>
    /// <param name="lengthColumnName">An Int32 column to add with the number of real items kept; null adds none.</param>
    /// <param name="maskColumnName">A Single vector column to add, 1 for real items and 0 for padding; null adds none.</param>
    public static SequencePaddingEstimator PadSequence(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName,
        int maximumLength, float padValue = 0,
        SequencePaddingEstimator.PaddingSide paddingSide = SequencePaddingEstimator.PaddingSide.Right,
        SequencePaddingEstimator.TruncationSide truncationSide = SequencePaddingEstimator.TruncationSide.Right,
        string? lengthColumnName = null, string? maskColumnName = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new SequencePaddingEstimator(new SequencePaddingEstimator.Options
        {
            OutputColumnName = outputColumnName,
            InputColumnName = inputColumnName,
            MaximumLength = maximumLength,
            PadValue = padValue,
            PaddingSide = paddingSide,
            TruncationSide = truncationSide,
            LengthColumnName = lengthColumnName,
            MaskColumnName = maskColumnName,
        });
    }

    /// <summary>Pads or truncates sequences to a fixed length; see <see cref="SequencePaddingEstimator"/>.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="options">The settings; validated here.</param>
    public static SequencePaddingEstimator PadSequence(this TransformsCatalog catalog, SequencePaddingEstimator.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new SequencePaddingEstimator(options);
    }
}
