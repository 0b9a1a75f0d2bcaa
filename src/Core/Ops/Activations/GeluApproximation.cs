namespace MLNetExt.Core.Ops;

/// <summary>How GELU is evaluated: PyTorch's <c>approximate</c> argument.</summary>
public enum GeluApproximation
{
    /// <summary>The exact form x·Φ(x) = ½x(1 + erf(x/√2)) (<c>approximate='none'</c>).</summary>
    None,

    /// <summary>½x(1 + tanh(√(2/π)(x + 0.044715x³))) (<c>approximate='tanh'</c>).</summary>
    Tanh,
}
