namespace MLNetExt.Trainers.WordEmbeddings;

/// <summary>
/// σ(x) = 1 / (1 + e^(-x)) tabulated at 1000 points over [-6, 6), word2vec.c's <c>expTable</c>: outside that range
/// the caller treats σ as exactly 0 or 1.
/// </summary>
internal static class SigmoidTable
{
    /// <summary>|x| at or beyond which σ(x) is taken as saturated.</summary>
    public const float MaxExp = 6f;

    private const int Size = 1000;
    private const float Scale = Size / MaxExp / 2;
    private static readonly float[] s_table = Build();

    private static float[] Build()
    {
        var table = new float[Size];
        for (int i = 0; i < Size; i++)
        {
            double e = Math.Exp((i / (double)Size * 2 - 1) * MaxExp);
            table[i] = (float)(e / (e + 1));
        }
        return table;
    }

    /// <summary>σ(x) for -6 &lt; x &lt; 6.</summary>
    public static float Lookup(float x) => s_table[Math.Min((int)((x + MaxExp) * Scale), Size - 1)];
}
