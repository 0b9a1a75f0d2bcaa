namespace MLNetExt.Trainers.TextGeneration;

/// <summary>The settings of a BLEU score.</summary>
public sealed record BleuOptions
{
    /// <summary>N, the highest n-gram order; the orders 1..N are weighted equally (BLEU-4 by default, BLEU-2 with 2). In [1, 16].</summary>
    public int MaxOrder { get; init; } = 4;

    /// <summary>What an order with no match contributes; see <see cref="BleuSmoothing"/>.</summary>
    public BleuSmoothing Smoothing { get; init; } = BleuSmoothing.None;

    /// <summary>ε of <see cref="BleuSmoothing.Floor"/>; in (0, 1].</summary>
    public double FloorEpsilon { get; init; } = 0.1;

    /// <summary>k of <see cref="BleuSmoothing.AddK"/>; positive.</summary>
    public double AddK { get; init; } = 1;

    /// <summary>Checks the settings; <paramref name="parameterName"/> names the argument in the error.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of its range.</exception>
    public void Check(string parameterName)
    {
        if (MaxOrder is < 1 or > 16)
            throw new ArgumentOutOfRangeException(parameterName, MaxOrder, $"{nameof(MaxOrder)} must be in [1, 16].");
        if (!Enum.IsDefined(Smoothing))
            throw new ArgumentOutOfRangeException(parameterName, Smoothing, $"{nameof(Smoothing)} is not a {nameof(BleuSmoothing)}.");
        if (!(FloorEpsilon is > 0 and <= 1))
            throw new ArgumentOutOfRangeException(parameterName, FloorEpsilon, $"{nameof(FloorEpsilon)} must be in (0, 1].");
        if (!(AddK > 0 && double.IsFinite(AddK)))
            throw new ArgumentOutOfRangeException(parameterName, AddK, $"{nameof(AddK)} must be a positive number.");
    }
}
