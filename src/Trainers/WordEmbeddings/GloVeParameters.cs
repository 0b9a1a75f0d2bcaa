using System.Numerics;
using System.Numerics.Tensors;
using MLNetExt.Core;

namespace MLNetExt.Trainers.WordEmbeddings;

/// <summary>
/// GloVe's parameters and AdaGrad state, with the per-entry update (see <see cref="GloVeTrainer"/> for the math).
/// Shared by the training threads without locks.
/// </summary>
internal sealed class GloVeParameters
{
    private readonly int _size;
    private readonly float[] _word, _context, _wordBias, _contextBias;
    private readonly float[] _wordGradSq, _contextGradSq, _wordBiasGradSq, _contextBiasGradSq;

    public GloVeParameters(int vocabularySize, int vectorSize, RandomSource random)
    {
        _size = vectorSize;
        _word = new float[(long)vocabularySize * vectorSize];
        _context = new float[_word.LongLength];
        _wordBias = new float[vocabularySize];
        _contextBias = new float[vocabularySize];
        float half = 0.5f / vectorSize;
        random.FillUniform(_word, -half, half);
        random.FillUniform(_context, -half, half);
        random.FillUniform(_wordBias, -half, half);
        random.FillUniform(_contextBias, -half, half);
        _wordGradSq = Ones(_word.LongLength);
        _contextGradSq = Ones(_word.LongLength);
        _wordBiasGradSq = Ones(vocabularySize);
        _contextBiasGradSq = Ones(vocabularySize);
    }

    private static float[] Ones(long length)
    {
        var a = new float[length];
        Array.Fill(a, 1f);
        return a;
    }

    /// <summary>One AdaGrad step for each entry in [from, to); returns Σ ½ f(x) e².</summary>
    public double TrainRange(int[] rows, int[] columns, float[] logX, float[] weight, int from, int to, float eta)
    {
        double cost = 0;
        int d = _size;
        for (int e = from; e < to; e++)
        {
            int i = rows[e], j = columns[e];
            var w = _word.AsSpan(i * d, d);
            var c = _context.AsSpan(j * d, d);
            float diff = TensorPrimitives.Dot(w, c) + _wordBias[i] + _contextBias[j] - logX[e];
            float fdiff = weight[e] * diff;
            if (!float.IsFinite(fdiff)) return double.NaN;
            cost += 0.5 * fdiff * diff;
            fdiff *= eta;
            Step(w, c, _wordGradSq.AsSpan(i * d, d), _contextGradSq.AsSpan(j * d, d), fdiff);
            _wordBias[i] -= fdiff / MathF.Sqrt(_wordBiasGradSq[i]);
            _contextBias[j] -= fdiff / MathF.Sqrt(_contextBiasGradSq[j]);
            _wordBiasGradSq[i] += fdiff * fdiff;
            _contextBiasGradSq[j] += fdiff * fdiff;
        }
        return cost;
    }

    // The C tool clips each vector gradient component to ±100.
    private const float GradientClip = 100f;

    // w[D], c[D], gw[D], gc[D]: dW = clip(g·c), dC = clip(g·w) (both from the old values); p -= dp / √G_p; G_p += dp².
    private static void Step(Span<float> w, Span<float> c, Span<float> gw, Span<float> gc, float g)
    {
        int k = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vg = new Vector<float>(g);
            var high = new Vector<float>(GradientClip);
            var low = -high;
            for (; k <= w.Length - Vector<float>.Count; k += Vector<float>.Count)
            {
                var wk = new Vector<float>(w[k..]);
                var ck = new Vector<float>(c[k..]);
                var gwk = new Vector<float>(gw[k..]);
                var gck = new Vector<float>(gc[k..]);
                var dw = Vector.Min(Vector.Max(vg * ck, low), high);
                var dc = Vector.Min(Vector.Max(vg * wk, low), high);
                (wk - dw / Vector.SquareRoot(gwk)).CopyTo(w[k..]);
                (ck - dc / Vector.SquareRoot(gck)).CopyTo(c[k..]);
                (gwk + dw * dw).CopyTo(gw[k..]);
                (gck + dc * dc).CopyTo(gc[k..]);
            }
        }
        for (; k < w.Length; k++)
        {
            float dw = Math.Clamp(g * c[k], -GradientClip, GradientClip), dc = Math.Clamp(g * w[k], -GradientClip, GradientClip);
            w[k] -= dw / MathF.Sqrt(gw[k]);
            c[k] -= dc / MathF.Sqrt(gc[k]);
            gw[k] += dw * dw;
            gc[k] += dc * dc;
        }
    }

    /// <summary>W + W̃, the vectors the C tool saves with <c>-model 2</c>.</summary>
    public float[] SumOfWordAndContext()
    {
        var sum = new float[_word.LongLength];
        TensorPrimitives.Add(_word, _context, sum);
        return sum;
    }
}
