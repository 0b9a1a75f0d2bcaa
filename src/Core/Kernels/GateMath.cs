using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MLNetExt.Core.Kernels;

/// <summary>
/// Single-precision exp, logistic sigmoid and tanh for the recurrent gate kernels, in scalar, <see cref="Vector128{T}"/>, <see cref="Vector256{T}"/>
/// and <see cref="Vector512{T}"/> form with the same operations in the same order, so every lane, every tail element
/// and every instruction set gets bitwise the same value; and the passes that apply them over a row of gates
/// (<see cref="ElementwiseLoop"/> with the operators at the end of this class).
/// </summary>
/// <remarks>
/// <para>Why not <c>TensorPrimitives</c>: its float exp, sigmoid and tanh widen to double for a correctly rounded
/// result, and on the LSTM's 5·H transcendental values per row and step that cost more than the recurrent GEMM.
/// These stay in float and are within a few ulp, far inside the 1e−5 relative parity with PyTorch.</para>
/// <para>exp(x): x is clamped to [−87, 88] (so 2ⁿ below stays a normal float); n = round(x·log₂e);
/// r = x − n·ln2 with ln2 split in a high part exact in float and a low correction (Cody–Waite), |r| ≤ ln2/2;
/// eʳ is its Taylor polynomial to r⁷ (truncation below 1e−8 relative); the result is eʳ·2ⁿ with 2ⁿ built in the
/// exponent bits.</para>
/// <para>σ(x) = 1 / (1 + e⁻ˣ). tanh(x) = sign(x)·(1 − 2/(e^{2|x|} + 1)) for |x| ≥ 0.5, and sign(x)·(its odd Taylor
/// series to |x|¹⁷) below that, where the subtraction would cancel (series truncation below 1e−9 relative).</para>
/// </remarks>
internal static class GateMath
{
    private const float MinExpArgument = -87f;
    private const float MaxExpArgument = 88f;
    private const float Log2E = 1.44269504088896341f;
    private const float Ln2High = 0.693359375f;
    private const float Ln2Low = -2.12194440e-4f;
    private const float TanhSeriesLimit = 0.5f;

    // 1/k! for k = 7 down to 2.
    private const float InverseFactorial7 = 1.98412698e-4f;
    private const float InverseFactorial6 = 1.38888889e-3f;
    private const float InverseFactorial5 = 8.33333333e-3f;
    private const float InverseFactorial4 = 4.16666667e-2f;
    private const float InverseFactorial3 = 1.66666667e-1f;
    private const float InverseFactorial2 = 0.5f;

    // tanh x = x + x·Σ T_k x^{2k}: T_k = 2^{2k+2}(2^{2k+2} − 1)B_{2k+2}/(2k+2)! for k = 8 down to 1.
    private const float Tanh17 = 5.90027441e-4f;
    private const float Tanh15 = -1.45583439e-3f;
    private const float Tanh13 = 3.59212804e-3f;
    private const float Tanh11 = -8.86323553e-3f;
    private const float Tanh9 = 2.18694885e-2f;
    private const float Tanh7 = -5.39682540e-2f;
    private const float Tanh5 = 1.33333333e-1f;
    private const float Tanh3 = -3.33333333e-1f;

    /// <summary>eˣ (see the class remarks); arguments past the clamp give e⁻⁸⁷ or e⁸⁸.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Exp(float x)
    {
        x = Math.Clamp(x, MinExpArgument, MaxExpArgument);
        float n = MathF.Round(x * Log2E);
        float r = MathF.FusedMultiplyAdd(n, -Ln2High, x);
        r = MathF.FusedMultiplyAdd(n, -Ln2Low, r);
        float p = MathF.FusedMultiplyAdd(InverseFactorial7, r, InverseFactorial6);
        p = MathF.FusedMultiplyAdd(p, r, InverseFactorial5);
        p = MathF.FusedMultiplyAdd(p, r, InverseFactorial4);
        p = MathF.FusedMultiplyAdd(p, r, InverseFactorial3);
        p = MathF.FusedMultiplyAdd(p, r, InverseFactorial2);
        p = MathF.FusedMultiplyAdd(p, r, 1f);
        p = MathF.FusedMultiplyAdd(p, r, 1f);
        return p * BitConverter.Int32BitsToSingle(((int)n + 127) << 23);
    }

    /// <inheritdoc cref="Exp(float)"/>
    /// <remarks>
    /// The native min, max and conversion instructions are used on purpose: the IEEE-exact forms cost ten
    /// instructions each here, more than the polynomial. NaN never reaches them unchecked: the last select returns a
    /// NaN argument as it came in.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Exp(Vector128<float> x)
    {
        var clamped = Vector128.MinNative(Vector128.MaxNative(x, Vector128.Create(MinExpArgument)), Vector128.Create(MaxExpArgument));
        var n = Vector128.Round(clamped * Vector128.Create(Log2E));
        var r = Vector128.FusedMultiplyAdd(n, Vector128.Create(-Ln2High), clamped);
        r = Vector128.FusedMultiplyAdd(n, Vector128.Create(-Ln2Low), r);
        var p = Vector128.FusedMultiplyAdd(Vector128.Create(InverseFactorial7), r, Vector128.Create(InverseFactorial6));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(InverseFactorial5));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(InverseFactorial4));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(InverseFactorial3));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(InverseFactorial2));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128<float>.One);
        p = Vector128.FusedMultiplyAdd(p, r, Vector128<float>.One);
        var scale = Vector128.ShiftLeft(Vector128.ConvertToInt32Native(n) + Vector128.Create(127), 23).AsSingle();
        return Vector128.ConditionalSelect(Vector128.Equals(x, x), p * scale, x);
    }

    public static Vector256<float> Exp(Vector256<float> x)
    {
        var clamped = Vector256.MinNative(Vector256.MaxNative(x, Vector256.Create(MinExpArgument)), Vector256.Create(MaxExpArgument));
        var n = Vector256.Round(clamped * Vector256.Create(Log2E));
        var r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2High), clamped);
        r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2Low), r);
        var p = Vector256.FusedMultiplyAdd(Vector256.Create(InverseFactorial7), r, Vector256.Create(InverseFactorial6));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(InverseFactorial5));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(InverseFactorial4));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(InverseFactorial3));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(InverseFactorial2));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256<float>.One);
        p = Vector256.FusedMultiplyAdd(p, r, Vector256<float>.One);
        var scale = Vector256.ShiftLeft(Vector256.ConvertToInt32Native(n) + Vector256.Create(127), 23).AsSingle();
        return Vector256.ConditionalSelect(Vector256.Equals(x, x), p * scale, x);
    }

    /// <summary>destination[j] ← σ(source[j] + bias[j]) for j in [0, length); bias may be null, and destination may be source.</summary>
    public static unsafe void Sigmoid(float* source, float* bias, float* destination, int length)
    {
        var x = new ReadOnlySpan<float>(source, length);
        var y = new Span<float>(destination, length);
        if (bias == null) ElementwiseLoop.Map(x, y, default(SigmoidOperator));
        else ElementwiseLoop.Map(x, new ReadOnlySpan<float>(bias, length), y, default(BiasedSigmoidOperator));
    }

    /// <summary>destination[j] ← tanh(source[j] + bias[j]) for j in [0, length); bias may be null, and destination may be source.</summary>
    public static unsafe void Tanh(float* source, float* bias, float* destination, int length)
    {
        var x = new ReadOnlySpan<float>(source, length);
        var y = new Span<float>(destination, length);
        if (bias == null) ElementwiseLoop.Map(x, y, default(TanhOperator));
        else ElementwiseLoop.Map(x, new ReadOnlySpan<float>(bias, length), y, default(BiasedTanhOperator));
    }

    /// <summary>σ(x) = 1 / (1 + e⁻ˣ).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sigmoid(float x) => 1f / (1f + Exp(-x));

    /// <inheritdoc cref="Sigmoid(float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Sigmoid(Vector128<float> x) => Vector128<float>.One / (Vector128<float>.One + Exp(-x));
    public static Vector256<float> Sigmoid(Vector256<float> x) => Vector256<float>.One / (Vector256<float>.One + Exp(-x));

    /// <summary>tanh x (see the class remarks); evaluated on |x| and given x's sign, so −0 stays −0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Tanh(float x)
    {
        float magnitude = MathF.Abs(x);
        float result = magnitude < TanhSeriesLimit ? TanhSeries(magnitude) : 1f - 2f / (Exp(magnitude + magnitude) + 1f);
        return MathF.CopySign(result, x);
    }

    /// <inheritdoc cref="Tanh(float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Tanh(Vector128<float> x)
    {
        var magnitude = Vector128.Abs(x);
        var far = Vector128<float>.One - Vector128.Create(2f) / (Exp(magnitude + magnitude) + Vector128<float>.One);
        var result = Vector128.ConditionalSelect(Vector128.LessThan(magnitude, Vector128.Create(TanhSeriesLimit)), TanhSeries(magnitude), far);
        return Vector128.ConditionalSelect(Vector128.Create(-0f), x, result);
    }

    public static Vector256<float> Tanh(Vector256<float> x)
    {
        var magnitude = Vector256.Abs(x);
        var far = Vector256<float>.One - Vector256.Create(2f) / (Exp(magnitude + magnitude) + Vector256<float>.One);
        var result = Vector256.ConditionalSelect(Vector256.LessThan(magnitude, Vector256.Create(TanhSeriesLimit)), TanhSeries(magnitude), far);
        return Vector256.ConditionalSelect(Vector256.Create(-0f), x, result);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float TanhSeries(float x)
    {
        float s = x * x;
        float p = MathF.FusedMultiplyAdd(Tanh17, s, Tanh15);
        p = MathF.FusedMultiplyAdd(p, s, Tanh13);
        p = MathF.FusedMultiplyAdd(p, s, Tanh11);
        p = MathF.FusedMultiplyAdd(p, s, Tanh9);
        p = MathF.FusedMultiplyAdd(p, s, Tanh7);
        p = MathF.FusedMultiplyAdd(p, s, Tanh5);
        p = MathF.FusedMultiplyAdd(p, s, Tanh3);
        return MathF.FusedMultiplyAdd(p * s, x, x);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> TanhSeries(Vector128<float> x)
    {
        var s = x * x;
        var p = Vector128.FusedMultiplyAdd(Vector128.Create(Tanh17), s, Vector128.Create(Tanh15));
        p = Vector128.FusedMultiplyAdd(p, s, Vector128.Create(Tanh13));
        p = Vector128.FusedMultiplyAdd(p, s, Vector128.Create(Tanh11));
        p = Vector128.FusedMultiplyAdd(p, s, Vector128.Create(Tanh9));
        p = Vector128.FusedMultiplyAdd(p, s, Vector128.Create(Tanh7));
        p = Vector128.FusedMultiplyAdd(p, s, Vector128.Create(Tanh5));
        p = Vector128.FusedMultiplyAdd(p, s, Vector128.Create(Tanh3));
        return Vector128.FusedMultiplyAdd(p * s, x, x);
    }

    private static Vector256<float> TanhSeries(Vector256<float> x)
    {
        var s = x * x;
        var p = Vector256.FusedMultiplyAdd(Vector256.Create(Tanh17), s, Vector256.Create(Tanh15));
        p = Vector256.FusedMultiplyAdd(p, s, Vector256.Create(Tanh13));
        p = Vector256.FusedMultiplyAdd(p, s, Vector256.Create(Tanh11));
        p = Vector256.FusedMultiplyAdd(p, s, Vector256.Create(Tanh9));
        p = Vector256.FusedMultiplyAdd(p, s, Vector256.Create(Tanh7));
        p = Vector256.FusedMultiplyAdd(p, s, Vector256.Create(Tanh5));
        p = Vector256.FusedMultiplyAdd(p, s, Vector256.Create(Tanh3));
        return Vector256.FusedMultiplyAdd(p * s, x, x);
    }

    /// <inheritdoc cref="Exp(Vector256{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> x)
    {
        var clamped = Vector512.MinNative(Vector512.MaxNative(x, Vector512.Create(MinExpArgument)), Vector512.Create(MaxExpArgument));
        var n = Vector512.Round(clamped * Vector512.Create(Log2E));
        var r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2High), clamped);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2Low), r);
        var p = Vector512.FusedMultiplyAdd(Vector512.Create(InverseFactorial7), r, Vector512.Create(InverseFactorial6));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(InverseFactorial5));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(InverseFactorial4));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(InverseFactorial3));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(InverseFactorial2));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512<float>.One);
        p = Vector512.FusedMultiplyAdd(p, r, Vector512<float>.One);
        var scale = Vector512.ShiftLeft(Vector512.ConvertToInt32Native(n) + Vector512.Create(127), 23).AsSingle();
        return Vector512.ConditionalSelect(Vector512.Equals(x, x), p * scale, x);
    }

    /// <inheritdoc cref="Sigmoid(float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sigmoid(Vector512<float> x) => Vector512<float>.One / (Vector512<float>.One + Exp(-x));

    /// <inheritdoc cref="Tanh(float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Tanh(Vector512<float> x)
    {
        var magnitude = Vector512.Abs(x);
        var far = Vector512<float>.One - Vector512.Create(2f) / (Exp(magnitude + magnitude) + Vector512<float>.One);
        var result = Vector512.ConditionalSelect(Vector512.LessThan(magnitude, Vector512.Create(TanhSeriesLimit)), TanhSeries(magnitude), far);
        return Vector512.ConditionalSelect(Vector512.Create(-0f), x, result);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> TanhSeries(Vector512<float> x)
    {
        var s = x * x;
        var p = Vector512.FusedMultiplyAdd(Vector512.Create(Tanh17), s, Vector512.Create(Tanh15));
        p = Vector512.FusedMultiplyAdd(p, s, Vector512.Create(Tanh13));
        p = Vector512.FusedMultiplyAdd(p, s, Vector512.Create(Tanh11));
        p = Vector512.FusedMultiplyAdd(p, s, Vector512.Create(Tanh9));
        p = Vector512.FusedMultiplyAdd(p, s, Vector512.Create(Tanh7));
        p = Vector512.FusedMultiplyAdd(p, s, Vector512.Create(Tanh5));
        p = Vector512.FusedMultiplyAdd(p, s, Vector512.Create(Tanh3));
        return Vector512.FusedMultiplyAdd(p * s, x, x);
    }

    private readonly struct SigmoidOperator : IUnaryOperator
    {
        public float Invoke(float x) => Sigmoid(x);
        public Vector128<float> Invoke(Vector128<float> x) => Sigmoid(x);
        public Vector256<float> Invoke(Vector256<float> x) => Sigmoid(x);
        public Vector512<float> Invoke(Vector512<float> x) => Sigmoid(x);
    }

    private readonly struct BiasedSigmoidOperator : IBinaryOperator
    {
        public float Invoke(float x, float bias) => Sigmoid(x + bias);
        public Vector128<float> Invoke(Vector128<float> x, Vector128<float> bias) => Sigmoid(x + bias);
        public Vector256<float> Invoke(Vector256<float> x, Vector256<float> bias) => Sigmoid(x + bias);
        public Vector512<float> Invoke(Vector512<float> x, Vector512<float> bias) => Sigmoid(x + bias);
    }

    private readonly struct TanhOperator : IUnaryOperator
    {
        public float Invoke(float x) => Tanh(x);
        public Vector128<float> Invoke(Vector128<float> x) => Tanh(x);
        public Vector256<float> Invoke(Vector256<float> x) => Tanh(x);
        public Vector512<float> Invoke(Vector512<float> x) => Tanh(x);
    }

    private readonly struct BiasedTanhOperator : IBinaryOperator
    {
        public float Invoke(float x, float bias) => Tanh(x + bias);
        public Vector128<float> Invoke(Vector128<float> x, Vector128<float> bias) => Tanh(x + bias);
        public Vector256<float> Invoke(Vector256<float> x, Vector256<float> bias) => Tanh(x + bias);
        public Vector512<float> Invoke(Vector512<float> x, Vector512<float> bias) => Tanh(x + bias);
    }
}
