namespace MLNetExt.Core.Detection;

/// <summary>The argument checks shared by the functions that read boxes as flat [N, 4] spans.</summary>
internal static class BoxSpans
{
    /// <summary>Throws unless <paramref name="boxes"/> holds a whole number of boxes; returns N.</summary>
    public static int RequireBoxes(ReadOnlySpan<float> boxes, string parameterName)
    {
        if (boxes.Length % 4 != 0)
            throw new ArgumentException($"{parameterName} holds {boxes.Length} values, not a multiple of 4 (boxes are [N, 4]).", parameterName);
        return boxes.Length / 4;
    }

    /// <summary>Throws unless <paramref name="values"/> holds one value per box.</summary>
    public static void RequirePerBox<T>(ReadOnlySpan<T> values, int boxCount, string parameterName)
    {
        if (values.Length != boxCount)
            throw new ArgumentException($"{parameterName} holds {values.Length} values for {boxCount} boxes.", parameterName);
    }
}
