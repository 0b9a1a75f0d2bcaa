using System.Numerics;

namespace MLNetExt.Core;

/// <summary>
/// A small, fast, seedable generator (xoshiro256**, seeded through SplitMix64) whose sequence is fixed by the seed
/// on every platform and runtime: the same seed gives the same initial weights, shuffles and dropout masks.
/// </summary>
public sealed class RandomSource
{
    private ulong _s0, _s1, _s2, _s3;
    private float _spareGaussian;
    private bool _hasSpare;

    [ThreadStatic] private static RandomSource? t_default;

    /// <summary>
    /// The generator layers and initializers use when none is passed: one per thread, seeded with 0 until
    /// <see cref="ManualSeed"/> is called (PyTorch's <c>torch.manual_seed</c>).
    /// </summary>
    public static RandomSource Default => t_default ??= new RandomSource(0);

    /// <summary>Reseeds this thread's <see cref="Default"/> generator.</summary>
    public static void ManualSeed(ulong seed) => t_default = new RandomSource(seed);

    /// <summary>Creates a generator whose whole sequence is determined by <paramref name="seed"/>.</summary>
    public RandomSource(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix(ref x); _s1 = SplitMix(ref x); _s2 = SplitMix(ref x); _s3 = SplitMix(ref x);
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0; _s3 ^= _s1; _s1 ^= _s2; _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniform float in [0, 1), with 24 random bits.</summary>
    public float NextSingle() => (NextUInt64() >> 40) * (1.0f / (1 << 24));

    /// <summary>A uniform double in [0, 1), with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform float in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public float NextUniform(float low, float high) => low + (high - low) * NextSingle();

    /// <summary>A uniform integer in [0, <paramref name="exclusiveMax"/>), without modulo bias (Lemire's method).</summary>
    public int NextInt(int exclusiveMax)
    {
        if (exclusiveMax <= 0) throw new ArgumentOutOfRangeException(nameof(exclusiveMax), exclusiveMax, "The upper bound must be positive.");
        ulong bound = (ulong)exclusiveMax;
        ulong threshold = (0UL - bound) % bound;
        while (true)
        {
            ulong r = NextUInt64();
            UInt128 product = (UInt128)r * bound;
            if ((ulong)product >= threshold) return (int)(product >> 64);
        }
    }

    /// <summary>A standard normal sample (Box–Muller; the second value of each pair is kept for the next call).</summary>
    public float NextGaussian()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spareGaussian;
        }
        double u1;
        do u1 = NextDouble(); while (u1 <= double.Epsilon);
        double u2 = NextDouble();
        double radius = Math.Sqrt(-2.0 * Math.Log(u1));
        _spareGaussian = (float)(radius * Math.Sin(2 * Math.PI * u2));
        _hasSpare = true;
        return (float)(radius * Math.Cos(2 * Math.PI * u2));
    }

    /// <summary>Fills <paramref name="destination"/> with uniform samples in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public void FillUniform(Span<float> destination, float low, float high)
    {
        for (int i = 0; i < destination.Length; i++) destination[i] = NextUniform(low, high);
    }

    /// <summary>Fills <paramref name="destination"/> with normal samples of the given mean and standard deviation.</summary>
    public void FillGaussian(Span<float> destination, float mean, float std)
    {
        for (int i = 0; i < destination.Length; i++) destination[i] = mean + std * NextGaussian();
    }

    /// <summary>
    /// Fills an inverted-dropout mask: element i is 1/(1 − p) when the i-th draw <see cref="NextSingle"/> is below
    /// 1 − p, else 0 (all zero when p = 1). The values are exactly those of that loop over <see cref="NextSingle"/>,
    /// and the generator ends in the same state; the state is kept in registers and the choice is made without a
    /// branch (k·2⁻²⁴ &lt; 1 − p exactly when the 24-bit draw k is below ⌈(1 − p)·2²⁴⌉), which makes a dropout layer's
    /// mask several times cheaper.
    /// </summary>
    internal void FillDropoutMask(Span<float> mask, float p)
    {
        float keep = 1f - p;
        int scaleBits = BitConverter.SingleToInt32Bits(keep > 0f ? 1f / keep : 0f);
        ulong threshold = (ulong)Math.Ceiling((double)keep * (1 << 24));
        ulong s0 = _s0, s1 = _s1, s2 = _s2, s3 = _s3;
        for (int i = 0; i < mask.Length; i++)
        {
            ulong result = BitOperations.RotateLeft(s1 * 5, 7) * 9;
            ulong t = s1 << 17;
            s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3;
            s2 ^= t;
            s3 = BitOperations.RotateLeft(s3, 45);
            int kept = (int)((long)((result >> 40) - threshold) >> 63);  // −1 (all bits) when k < threshold, else 0
            mask[i] = BitConverter.Int32BitsToSingle(kept & scaleBits);
        }
        (_s0, _s1, _s2, _s3) = (s0, s1, s2, s3);
    }

    /// <summary>Shuffles <paramref name="items"/> in place (Fisher–Yates).</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>A new generator seeded from this one, for an independent stream (e.g. one per worker).</summary>
    public RandomSource Fork() => new(NextUInt64());
}
