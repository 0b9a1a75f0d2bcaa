namespace MLNetExt.Core.Tests.EndToEnd;

/// <summary>
/// A synthetic image task for end-to-end tests: 10×10 single-channel images holding one stroke of length 5 at a
/// random position, on Gaussian noise. Four classes: horizontal, vertical, diagonal (↘) and anti-diagonal (↙).
/// Orientation, not position, decides the class, so the model must learn translation-invariant features.
/// </summary>
internal static class SyntheticImages
{
    public const int Size = 10;
    public const int Classes = 4;
    private const int StrokeLength = 5;

    public static (float[] Pixels, int[] Labels) Generate(int count, ulong seed, float noise = 0.3f)
    {
        var random = new RandomSource(seed);
        var pixels = new float[count * Size * Size];
        var labels = new int[count];
        (int Dy, int Dx)[] directions = [(0, 1), (1, 0), (1, 1), (1, -1)];
        for (int n = 0; n < count; n++)
        {
            var image = pixels.AsSpan(n * Size * Size, Size * Size);
            random.FillGaussian(image, 0f, noise);
            int label = random.NextInt(Classes);
            labels[n] = label;
            var (dy, dx) = directions[label];
            int rowSpan = dy * (StrokeLength - 1), colSpan = Math.Abs(dx) * (StrokeLength - 1);
            int row = random.NextInt(Size - rowSpan);
            int col = dx < 0 ? colSpan + random.NextInt(Size - colSpan) : random.NextInt(Size - colSpan);
            for (int i = 0; i < StrokeLength; i++)
                image[(row + i * dy) * Size + col + i * dx] += 1f;
        }
        return (pixels, labels);
    }
}
