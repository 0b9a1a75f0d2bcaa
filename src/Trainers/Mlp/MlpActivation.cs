namespace MLNetExt.Trainers.Mlp;

/// <summary>The non-linearity after each hidden layer of a multi-layer perceptron.</summary>
public enum MlpActivation
{
    /// <summary>max(0, x).</summary>
    ReLU = 0,

    /// <summary>max(0, x) + 0.01·min(0, x).</summary>
    LeakyReLU = 1,

    /// <summary>tanh(x).</summary>
    Tanh = 2,

    /// <summary>x·Φ(x), Φ the standard normal distribution function (exact form).</summary>
    Gelu = 3,

    /// <summary>x for x &gt; 0, eˣ − 1 otherwise.</summary>
    Elu = 4,

    /// <summary>1 / (1 + e⁻ˣ).</summary>
    Sigmoid = 5,
}
