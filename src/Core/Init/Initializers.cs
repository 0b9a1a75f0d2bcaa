namespace MLNetExt.Core;

/// <summary>
/// Weight initializers with the semantics of <c>torch.nn.init</c>. Each fills a tensor in place and returns it.
/// </summary>
/// <remarks>
/// <para>Fans follow PyTorch's <c>_calculate_fan_in_and_fan_out</c>: for a weight of shape
/// [out, in, k₁, k₂, …] the receptive field is k₁·k₂·…, fan_in = in·receptive and fan_out = out·receptive.
/// A tensor needs at least two dimensions to have fans.</para>
/// <para>Random initializers draw from <c>random</c> (default: <see cref="RandomSource.Default"/>). The samples
/// cannot match PyTorch's generator bit for bit; the distributions are the same.</para>
/// <para>The class lives in <c>MLNetExt.Core</c> (not a namespace of its own) so that <c>Init.XavierUniform</c>
/// reads as <c>nn.init.xavier_uniform_</c> from anywhere in the engine.</para>
/// </remarks>
public static class Init
{
    /// <summary>
    /// The recommended gain for a nonlinearity, <c>torch.nn.init.calculate_gain</c>: 1 for <c>linear</c>,
    /// <c>conv1d/2d/3d</c>, <c>conv_transpose1d/2d/3d</c> and <c>sigmoid</c>; 5/3 for <c>tanh</c>; √2 for <c>relu</c>;
    /// √(2 / (1 + slope²)) for <c>leaky_relu</c> (slope = <paramref name="param"/>, default 0.01); 3/4 for <c>selu</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The nonlinearity is not one of those names.</exception>
    public static float CalculateGain(string nonlinearity, float? param = null)
    {
        ArgumentNullException.ThrowIfNull(nonlinearity);
        switch (nonlinearity)
        {
            case "linear" or "conv1d" or "conv2d" or "conv3d" or "conv_transpose1d" or "conv_transpose2d" or "conv_transpose3d" or "sigmoid":
                return 1f;
            case "tanh":
                return 5f / 3f;
            case "relu":
                return MathF.Sqrt(2f);
            case "leaky_relu":
                float slope = param ?? 0.01f;
                return MathF.Sqrt(2f / (1f + slope * slope));
            case "selu":
                return 3f / 4f;
            default:
                throw new ArgumentException(
                    $"Unsupported nonlinearity '{nonlinearity}'; expected linear, conv1d, conv2d, conv3d, conv_transpose1d, conv_transpose2d, conv_transpose3d, sigmoid, tanh, relu, leaky_relu or selu.",
                    nameof(nonlinearity));
        }
    }

    /// <summary>
    /// fan_in = shape[1]·receptive and fan_out = shape[0]·receptive, where receptive is the product of
    /// shape[2..] (1 for a matrix).
    /// </summary>
    /// <exception cref="ArgumentException">The shape has fewer than two dimensions.</exception>
    public static (int FanIn, int FanOut) CalculateFanInAndFanOut(ReadOnlySpan<int> shape)
    {
        if (shape.Length < 2)
            throw new ArgumentException(
                $"Fan in and fan out need a tensor with at least 2 dimensions but the shape is [{string.Join(", ", shape.ToArray())}].", nameof(shape));
        long receptive = 1;
        for (int i = 2; i < shape.Length; i++) receptive *= shape[i];
        return ((int)(shape[1] * receptive), (int)(shape[0] * receptive));
    }

    /// <summary>
    /// Glorot/Xavier uniform: U(−a, a) with a = gain·√(6 / (fan_in + fan_out)), <c>xavier_uniform_</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The tensor has fewer than two dimensions.</exception>
    public static Tensor XavierUniform(Tensor tensor, float gain = 1f, RandomSource? random = null)
    {
        float std = XavierStd(tensor, gain);
        float bound = MathF.Sqrt(3f) * std;
        (random ?? RandomSource.Default).FillUniform(tensor.Span, -bound, bound);
        return tensor;
    }

    /// <summary>
    /// Glorot/Xavier normal: N(0, std²) with std = gain·√(2 / (fan_in + fan_out)), <c>xavier_normal_</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The tensor has fewer than two dimensions.</exception>
    public static Tensor XavierNormal(Tensor tensor, float gain = 1f, RandomSource? random = null)
    {
        float std = XavierStd(tensor, gain);
        (random ?? RandomSource.Default).FillGaussian(tensor.Span, 0f, std);
        return tensor;
    }

    /// <summary>
    /// He/Kaiming uniform: U(−b, b) with b = √3·gain/√fan, gain = <see cref="CalculateGain"/>(nonlinearity, a) and
    /// fan the fan_in or fan_out picked by <paramref name="mode"/> (<c>"fan_in"</c> or <c>"fan_out"</c>),
    /// <c>kaiming_uniform_</c>. A tensor with no elements is left as it is.
    /// </summary>
    /// <param name="tensor">The weight to fill, at least two dimensions.</param>
    /// <param name="a">The negative slope of the rectifier that follows (used only with <c>leaky_relu</c>).</param>
    /// <param name="mode"><c>"fan_in"</c> preserves the variance of the forward pass, <c>"fan_out"</c> that of the backward pass.</param>
    /// <param name="nonlinearity">A name accepted by <see cref="CalculateGain"/>.</param>
    /// <param name="random">The generator; default <see cref="RandomSource.Default"/>.</param>
    /// <exception cref="ArgumentException">The tensor has fewer than two dimensions, or mode or nonlinearity is unknown.</exception>
    public static Tensor KaimingUniform(Tensor tensor, float a = 0f, string mode = "fan_in", string nonlinearity = "leaky_relu", RandomSource? random = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.Length == 0) return tensor;
        float bound = MathF.Sqrt(3f) * KaimingStd(tensor, a, mode, nonlinearity);
        (random ?? RandomSource.Default).FillUniform(tensor.Span, -bound, bound);
        return tensor;
    }

    /// <summary>
    /// He/Kaiming normal: N(0, std²) with std = gain/√fan (see <see cref="KaimingUniform"/> for the arguments),
    /// <c>kaiming_normal_</c>. A tensor with no elements is left as it is.
    /// </summary>
    /// <exception cref="ArgumentException">The tensor has fewer than two dimensions, or mode or nonlinearity is unknown.</exception>
    public static Tensor KaimingNormal(Tensor tensor, float a = 0f, string mode = "fan_in", string nonlinearity = "leaky_relu", RandomSource? random = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.Length == 0) return tensor;
        float std = KaimingStd(tensor, a, mode, nonlinearity);
        (random ?? RandomSource.Default).FillGaussian(tensor.Span, 0f, std);
        return tensor;
    }

    /// <summary>LeCun normal: N(0, std²) with std = 1/√fan_in (the initializer SELU networks expect).</summary>
    /// <exception cref="ArgumentException">The tensor has fewer than two dimensions.</exception>
    public static Tensor LeCunNormal(Tensor tensor, RandomSource? random = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.Length == 0) return tensor;
        var (fanIn, _) = CalculateFanInAndFanOut(tensor.Shape);
        (random ?? RandomSource.Default).FillGaussian(tensor.Span, 0f, 1f / MathF.Sqrt(fanIn));
        return tensor;
    }

    /// <summary>
    /// A (semi-)orthogonal matrix scaled by <paramref name="gain"/>, <c>orthogonal_</c>. The tensor is viewed as
    /// [rows, cols] with rows = shape[0] and cols = the product of the rest. A Gaussian matrix of that shape
    /// (transposed when rows &lt; cols, so it is tall) is factored as Q·R by Householder reflections, Q's columns
    /// are multiplied by sign(diag R) so the factorization is unique (as PyTorch does), and Q (transposed back)
    /// fills the tensor. Then QᵀQ = gain²·I when rows ≥ cols, and Q·Qᵀ = gain²·I otherwise.
    /// </summary>
    /// <exception cref="ArgumentException">The tensor has fewer than two dimensions.</exception>
    public static Tensor Orthogonal(Tensor tensor, float gain = 1f, RandomSource? random = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.Rank < 2)
            throw new ArgumentException(
                $"Orthogonal initialization needs a tensor with at least 2 dimensions but the shape is [{string.Join(", ", tensor.Shape.ToArray())}].", nameof(tensor));
        if (tensor.Length == 0) return tensor;
        random ??= RandomSource.Default;
        int rows = tensor.Dim(0), cols = tensor.Length / rows;
        bool transposed = rows < cols;
        int m = transposed ? cols : rows, n = transposed ? rows : cols;
        var a = new double[m * n];
        for (int i = 0; i < a.Length; i++) a[i] = random.NextGaussian();
        // As PyTorch: draw the [rows, cols] matrix, and factor its transpose when it is wide.
        if (transposed) a = Transpose(a, n, m);
        double[] q = OrthonormalFactor(a, m, n);
        var destination = tensor.Span;
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                float value = (float)(gain * q[i * n + j]);
                if (transposed) destination[j * m + i] = value;
                else destination[i * n + j] = value;
            }
        return tensor;
    }

    /// <summary>Fills the tensor with zeros, <c>zeros_</c>.</summary>
    public static Tensor Zeros(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        tensor.Span.Clear();
        return tensor;
    }

    /// <summary>Fills the tensor with ones, <c>ones_</c>.</summary>
    public static Tensor Ones(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        tensor.Fill(1f);
        return tensor;
    }

    /// <summary>Fills the tensor with samples of U(<paramref name="low"/>, <paramref name="high"/>), <c>uniform_</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="low"/> is greater than <paramref name="high"/>.</exception>
    public static Tensor Uniform(Tensor tensor, float low = 0f, float high = 1f, RandomSource? random = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (!(low <= high))
            throw new ArgumentException($"The uniform range needs low ≤ high but got low {low} and high {high}.", nameof(low));
        (random ?? RandomSource.Default).FillUniform(tensor.Span, low, high);
        return tensor;
    }

    /// <summary>Fills the tensor with samples of N(<paramref name="mean"/>, <paramref name="std"/>²), <c>normal_</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="std"/> is negative.</exception>
    public static Tensor Normal(Tensor tensor, float mean = 0f, float std = 1f, RandomSource? random = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (!(std >= 0f))
            throw new ArgumentOutOfRangeException(nameof(std), std, "The standard deviation must be non-negative.");
        (random ?? RandomSource.Default).FillGaussian(tensor.Span, mean, std);
        return tensor;
    }

    /// <summary>
    /// The Q of the reduced QR factorization of a tall matrix a [m, n] (m ≥ n, row-major, overwritten), with each
    /// column multiplied by the sign of R's diagonal entry so that R's diagonal is non-negative. Returns Q [m, n].
    /// </summary>
    internal static double[] OrthonormalFactor(double[] a, int m, int n)
    {
        // Householder: reflector k maps a[k.., k] onto −sign(a[k,k])·‖a[k.., k]‖·e₁ (the sign avoids cancellation);
        // the unit vectors v_k are kept to build Q = H₀·H₁·…·H(n−1) applied to the first n columns of I.
        var reflectors = new double[n * m];
        var diagonal = new double[n];
        for (int k = 0; k < n; k++)
        {
            var v = reflectors.AsSpan(k * m, m);
            double norm = 0;
            for (int i = k; i < m; i++) norm += a[i * n + k] * a[i * n + k];
            norm = Math.Sqrt(norm);
            if (norm == 0)
            {
                diagonal[k] = 0;
                continue;
            }
            double alpha = a[k * n + k] > 0 ? -norm : norm;
            diagonal[k] = alpha;
            for (int i = k; i < m; i++) v[i] = a[i * n + k];
            v[k] -= alpha;
            double vNorm = 0;
            for (int i = k; i < m; i++) vNorm += v[i] * v[i];
            vNorm = Math.Sqrt(vNorm);
            for (int i = k; i < m; i++) v[i] /= vNorm;
            for (int j = k + 1; j < n; j++)
            {
                double dot = 0;
                for (int i = k; i < m; i++) dot += v[i] * a[i * n + j];
                for (int i = k; i < m; i++) a[i * n + j] -= 2 * dot * v[i];
            }
        }

        var q = new double[m * n];
        for (int j = 0; j < n; j++) q[j * n + j] = 1;
        for (int k = n - 1; k >= 0; k--)
        {
            var v = reflectors.AsSpan(k * m, m);
            for (int j = 0; j < n; j++)
            {
                double dot = 0;
                for (int i = k; i < m; i++) dot += v[i] * q[i * n + j];
                for (int i = k; i < m; i++) q[i * n + j] -= 2 * dot * v[i];
            }
        }

        // A zero pivot (probability zero for a Gaussian draw) keeps its column as is, so Q stays orthonormal.
        for (int j = 0; j < n; j++)
        {
            if (diagonal[j] >= 0) continue;
            for (int i = 0; i < m; i++) q[i * n + j] = -q[i * n + j];
        }
        return q;
    }

    private static double[] Transpose(double[] source, int rows, int cols)
    {
        var result = new double[source.Length];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                result[j * rows + i] = source[i * cols + j];
        return result;
    }

    private static float XavierStd(Tensor tensor, float gain)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var (fanIn, fanOut) = CalculateFanInAndFanOut(tensor.Shape);
        return gain * MathF.Sqrt(2f / (fanIn + fanOut));
    }

    private static float KaimingStd(Tensor tensor, float a, string mode, string nonlinearity)
    {
        var (fanIn, fanOut) = CalculateFanInAndFanOut(tensor.Shape);
        int fan = mode switch
        {
            "fan_in" => fanIn,
            "fan_out" => fanOut,
            _ => throw new ArgumentException($"Mode '{mode}' is not supported; expected \"fan_in\" or \"fan_out\".", nameof(mode)),
        };
        return CalculateGain(nonlinearity, a) / MathF.Sqrt(fan);
    }
}
