using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MLNetExt.Trainers.WordEmbeddings;

/// <summary>
/// The three vector operations of the word2vec hot loop, on raw pointers to rows of the weight matrices
/// (rows are short, e.g. 100 floats, so call overhead and bounds checks matter more than in long loops).
/// Vector512 when the hardware accelerates it, then Vector256, then Vector128 (ARM64, x64 without AVX2), then scalar;
/// the same code on every path.
/// </summary>
internal static unsafe class EmbeddingKernels
{
    // Dot: a[n], b[n] -> Σ a[k]·b[k]
    /// <summary>Σ a[k]·b[k] over k &lt; n.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(float* a, float* b, int n)
    {
        int k = 0;
        float sum = 0f;
        if (Vector512.IsHardwareAccelerated && n >= Vector512<float>.Count)
        {
            var acc = Vector512<float>.Zero;
            for (; k <= n - Vector512<float>.Count; k += Vector512<float>.Count)
                acc = Vector512.FusedMultiplyAdd(Vector512.Load(a + k), Vector512.Load(b + k), acc);
            sum = Vector512.Sum(acc);
        }
        else if (Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count)
        {
            var acc = Vector256<float>.Zero;
            for (; k <= n - Vector256<float>.Count; k += Vector256<float>.Count)
                acc = Vector256.FusedMultiplyAdd(Vector256.Load(a + k), Vector256.Load(b + k), acc);
            sum = Vector256.Sum(acc);
        }
        else if (Vector128.IsHardwareAccelerated && n >= Vector128<float>.Count)
        {
            var acc = Vector128<float>.Zero;
            for (; k <= n - Vector128<float>.Count; k += Vector128<float>.Count)
                acc = Vector128.FusedMultiplyAdd(Vector128.Load(a + k), Vector128.Load(b + k), acc);
            sum = Vector128.Sum(acc);
        }
        for (; k < n; k++) sum += a[k] * b[k];
        return sum;
    }

    // AddScaled: y[n] += alpha · x[n]
    /// <summary>y[k] += alpha·x[k] over k &lt; n.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddScaled(float* y, float* x, float alpha, int n)
    {
        int k = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var va = Vector512.Create(alpha);
            for (; k <= n - Vector512<float>.Count; k += Vector512<float>.Count)
                Vector512.FusedMultiplyAdd(va, Vector512.Load(x + k), Vector512.Load(y + k)).Store(y + k);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var va = Vector256.Create(alpha);
            for (; k <= n - Vector256<float>.Count; k += Vector256<float>.Count)
                Vector256.FusedMultiplyAdd(va, Vector256.Load(x + k), Vector256.Load(y + k)).Store(y + k);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            var va = Vector128.Create(alpha);
            for (; k <= n - Vector128<float>.Count; k += Vector128<float>.Count)
                Vector128.FusedMultiplyAdd(va, Vector128.Load(x + k), Vector128.Load(y + k)).Store(y + k);
        }
        for (; k < n; k++) y[k] += alpha * x[k];
    }

    // PairUpdate: input[n], output[n], dInput[n]; g = scaled gradient of one (input, output) pair
    //   dInput += g · output      (the input row's gradient is applied later, once per input word)
    //   output += g · input
    /// <summary>The fused backward step of one output row: dInput += g·output, then output += g·input (old output used for dInput).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void PairUpdate(float* input, float* output, float* dInput, float g, int n)
    {
        int k = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var vg = Vector512.Create(g);
            for (; k <= n - Vector512<float>.Count; k += Vector512<float>.Count)
            {
                var o = Vector512.Load(output + k);
                Vector512.FusedMultiplyAdd(vg, o, Vector512.Load(dInput + k)).Store(dInput + k);
                Vector512.FusedMultiplyAdd(vg, Vector512.Load(input + k), o).Store(output + k);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var vg = Vector256.Create(g);
            for (; k <= n - Vector256<float>.Count; k += Vector256<float>.Count)
            {
                var o = Vector256.Load(output + k);
                Vector256.FusedMultiplyAdd(vg, o, Vector256.Load(dInput + k)).Store(dInput + k);
                Vector256.FusedMultiplyAdd(vg, Vector256.Load(input + k), o).Store(output + k);
            }
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            var vg = Vector128.Create(g);
            for (; k <= n - Vector128<float>.Count; k += Vector128<float>.Count)
            {
                var o = Vector128.Load(output + k);
                Vector128.FusedMultiplyAdd(vg, o, Vector128.Load(dInput + k)).Store(dInput + k);
                Vector128.FusedMultiplyAdd(vg, Vector128.Load(input + k), o).Store(output + k);
            }
        }
        for (; k < n; k++)
        {
            float o = output[k];
            dInput[k] += g * o;
            output[k] = o + g * input[k];
        }
    }
}
