using MLNetExt.Transforms;

namespace MLNetExt.Data;

/// <summary>The column transforms of <c>mlContext.Transforms</c>, as ML.NET's <c>TransformExtensionsCatalog</c>.</summary>
public static class TransformExtensionsCatalog
{
    /// <summary>Concatenates columns of one item type into a vector; see <see cref="ColumnConcatenatingEstimator"/>.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">The vector column to add.</param>
    /// <param name="inputColumnNames">The scalar or vector columns, in order.</param>
    public static ColumnConcatenatingEstimator Concatenate(this TransformsCatalog catalog, string outputColumnName, params string[] inputColumnNames)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new ColumnConcatenatingEstimator(outputColumnName, inputColumnNames);
    }

    /// <summary>Copies a column under a new name; see <see cref="ColumnCopyingEstimator"/>.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">The copy to add.</param>
    /// <param name="inputColumnName">The column to copy.</param>
    public static ColumnCopyingEstimator CopyColumns(this TransformsCatalog catalog, string outputColumnName, string inputColumnName)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new ColumnCopyingEstimator(outputColumnName, inputColumnName);
    }

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
