namespace MLNetExt.Trainers.SequenceToSequence;

/// <summary>How <see cref="BeamSearch"/> turns a source into an output.</summary>
public sealed record DecodingOptions
{
    /// <summary>B, the partial outputs kept at each step; 1 is greedy decoding. In [1, 256].</summary>
    public int BeamWidth { get; init; } = 5;

    /// <summary>α of the length normalization (1/T^α)·Σ log P that ranks finished outputs (T counts <c>&lt;eos&gt;</c>); 0 ranks by Σ log P. In [0, 4].</summary>
    public double LengthPenalty { get; init; } = 0.7;

    /// <summary>The most tokens an output may have before it is cut (without <c>&lt;eos&gt;</c>); null means 2 × the source's tokens + 10.</summary>
    public int? MaximumLength { get; init; }

    /// <summary>When above 0, no output repeats an n-gram of this size (0 turns the rule off).</summary>
    public int NoRepeatNGramSize { get; init; }

    /// <summary>The longest output allowed, whatever <see cref="MaximumLength"/> says.</summary>
    public const int LengthLimit = 10_000;

    /// <summary>Checks the settings; <paramref name="parameterName"/> names the argument in the error.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public void Check(string parameterName)
    {
        if (BeamWidth is < 1 or > 256)
            throw new ArgumentOutOfRangeException(parameterName, BeamWidth, $"{nameof(BeamWidth)} must be in [1, 256].");
        if (!(LengthPenalty is >= 0 and <= 4))
            throw new ArgumentOutOfRangeException(parameterName, LengthPenalty, $"{nameof(LengthPenalty)} must be in [0, 4].");
        if (MaximumLength is < 1 or > LengthLimit)
            throw new ArgumentOutOfRangeException(parameterName, MaximumLength, $"{nameof(MaximumLength)} must be in [1, {LengthLimit:N0}].");
        if (NoRepeatNGramSize is < 0 or > 64)
            throw new ArgumentOutOfRangeException(parameterName, NoRepeatNGramSize, $"{nameof(NoRepeatNGramSize)} must be in [0, 64].");
    }

    /// <summary>The length limit for a source of <paramref name="sourceLength"/> ids.</summary>
    public int LengthFor(int sourceLength) => Math.Min(MaximumLength ?? 2 * sourceLength + 10, LengthLimit);
}
