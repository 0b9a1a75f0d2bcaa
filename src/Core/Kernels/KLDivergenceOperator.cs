using System.Runtime.Intrinsics;

namespace MLNetExt.Core.Kernels;

/// <summary>
/// KL-divergence per element with x = log q: operands (x, target). With probability targets it effectively computes
/// <c>destination[i] = t·log t − t·x</c> (0 where t = 0, PyTorch's xlogy); with log-probability targets
/// (<c>logTarget</c>) <c>destination[i] = eᵗ·(t − x)</c>.
/// </summary>
internal readonly struct KLDivergenceOperator(bool logTarget) : IBinaryOperator
{
    public float Invoke(float x, float target)
    {
        if (logTarget) return MathF.Exp(target) * (target - x);
        float entropyTerm = target == 0f ? 0f : target * MathF.Log(target);
        return entropyTerm - target * x;
    }

    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> target)
    {
        if (logTarget) return Vector128.Exp(target) * (target - x);
        var entropyTerm = Vector128.ConditionalSelect(Vector128.Equals(target, Vector128<float>.Zero), Vector128<float>.Zero, target * Vector128.Log(target));
        return entropyTerm - target * x;
    }

    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> target)
    {
        if (logTarget) return Vector256.Exp(target) * (target - x);
        var entropyTerm = Vector256.ConditionalSelect(Vector256.Equals(target, Vector256<float>.Zero), Vector256<float>.Zero, target * Vector256.Log(target));
        return entropyTerm - target * x;
    }

    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> target)
    {
        if (logTarget) return Vector512.Exp(target) * (target - x);
        var entropyTerm = Vector512.ConditionalSelect(Vector512.Equals(target, Vector512<float>.Zero), Vector512<float>.Zero, target * Vector512.Log(target));
        return entropyTerm - target * x;
    }
}
