using MLNetExt.Core;
using MLNetExt.Core.Autograd;
using MLNetExt.Core.Modules;
using MLNetExt.Core.Onnx;
using MLNetExt.Core.Ops;

namespace MLNetExt.Trainers.Autoencoders;

/// <summary>
/// A variational autoencoder (Kingma &amp; Welling 2014) with a β-weighted KL term (Higgins et al. 2017). Encoder
/// trunk: for each hidden width, Linear → [BatchNorm1d] → activation → [Dropout]; two heads <c>mean</c> and
/// <c>log_var</c> (Linear to K) give μ and log σ². Training samples z = μ + exp(½ log σ²) ⊙ ε, ε ~ N(0, I); evaluation
/// (scoring, validation, the exported graph) uses z = μ. Decoder: the mirror image of the trunk, ending in a Linear
/// to F. The penalty is β·KL/F, KL = ½Σ_k (σ_k² + μ_k² − 1 − log σ_k²) averaged over the rows, so that with the
/// squared error averaged over the features the objective is the negative ELBO per feature (up to constants).
/// Shapes: [N, F] → [N, F]; code μ [N, K].
/// </summary>
internal sealed class VariationalAutoencoder : AutoencoderNetwork
{
    private readonly Sequential? _trunk;
    private readonly Linear _mean;
    private readonly Linear _logVariance;
    private readonly Sequential _decoder;
    private readonly RandomSource _noise;
    private Tensor? _lastLogVariance;
    private Tensor _epsilon = new(0);

    public VariationalAutoencoder(AutoencoderArchitecture architecture, RandomSource random)
        : base(architecture)
    {
        int previous = architecture.FeatureCount;
        var trunk = new List<Module>();
        foreach (int width in architecture.HiddenLayers)
        {
            AddHiddenBlock(trunk, new Linear(previous, width, random: random), width, random);
            previous = width;
        }
        _trunk = trunk.Count > 0 ? RegisterModule("encoder", new Sequential([.. trunk])) : null;
        _mean = RegisterModule("mean", new Linear(previous, architecture.CodeSize, random: random));
        _logVariance = RegisterModule("log_var", new Linear(previous, architecture.CodeSize, random: random));
        var decoder = new List<Module>();
        previous = architecture.CodeSize;
        foreach (int width in architecture.HiddenLayers.Reverse())
        {
            AddHiddenBlock(decoder, new Linear(previous, width, random: random), width, random);
            previous = width;
        }
        decoder.Add(new Linear(previous, architecture.FeatureCount, random: random));
        _decoder = RegisterModule("decoder", new Sequential([.. decoder]));
        _noise = random.Fork();
    }

    public override int CodeSize => Architecture.CodeSize;

    private float PenaltyScale => Architecture.KLWeight / Architecture.FeatureCount;

    public override Tensor Forward(Tensor input, Tape? tape = null) => Forward(input, epsilon: null, tape);

    /// <summary>
    /// The forward pass with the training path's ε [N, K] given (null: drawn from the network's own noise source, as
    /// <see cref="Forward(Tensor, Tape?)"/> does), so that a caller can fix the sample z = μ + σ ⊙ ε. Ignored in
    /// evaluation mode, which uses z = μ.
    /// </summary>
    internal Tensor Forward(Tensor input, Tensor? epsilon, Tape? tape)
    {
        CheckInput(input);
        var hidden = _trunk?.Forward(input, tape) ?? input;
        var mean = _mean.Forward(hidden, tape);
        var logVariance = _logVariance.Forward(hidden, tape);
        LastCode = mean;
        _lastLogVariance = logVariance;
        var code = Training ? AutoencoderPenalties.Reparameterize(mean, logVariance, epsilon ?? Epsilon(mean.Shape), tape) : mean;
        return _decoder.Forward(code, tape);
    }

    // ε ~ N(0, I), drawn afresh per training batch into a buffer reused while the batch shape stays the same.
    private Tensor Epsilon(ReadOnlySpan<int> shape)
    {
        if (!_epsilon.HasShape(shape))
            _epsilon = new Tensor(shape);
        _noise.FillGaussian(_epsilon.Span, 0f, 1f);
        return _epsilon;
    }

    public override Tensor? Penalty(Tape? tape)
    {
        var mean = LastCode ?? throw new InvalidOperationException("The penalty needs a forward pass first.");
        return TensorOps.Scale(AutoencoderPenalties.GaussianKLDivergence(mean, _lastLogVariance!, tape), PenaltyScale, tape);
    }

    public override void AddRowPenalties(Span<float> scores)
    {
        var mean = LastCode ?? throw new InvalidOperationException("The row penalties need a forward pass first.");
        Span<float> divergence = scores.Length <= 1024 ? stackalloc float[scores.Length] : new float[scores.Length];
        AutoencoderPenalties.GaussianKLDivergencePerRow(mean, _lastLogVariance!, divergence);
        System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(divergence, PenaltyScale, scores, scores);
    }

    // The row penalty as ONNX: (β/F)·½·ReduceSum(exp(lv) + μ² − 1 − lv, axis 1, keepdims) → [N, 1].
    public override AutoencoderGraph ExportOnnx(OnnxGraphBuilder graph, OnnxValue input)
    {
        var hidden = _trunk is null ? input : OnnxExport.Module(graph, _trunk, input, "encoder");
        var mean = OnnxExport.Module(graph, _mean, hidden, "mean");
        var logVariance = OnnxExport.Module(graph, _logVariance, hidden, "log_var");
        var reconstruction = OnnxExport.Module(graph, _decoder, mean, "decoder");
        const string Scope = "kl";
        string variance = graph.AddNode("Exp", [logVariance.Name], Scope);
        string squaredMean = graph.AddNode("Mul", [mean.Name, mean.Name], Scope);
        string sum = graph.AddNode("Add", [variance, squaredMean], Scope);
        string lessOne = graph.AddNode("Sub", [sum, graph.FloatConstant(1f)], Scope);
        string terms = graph.AddNode("Sub", [lessOne, logVariance.Name], Scope);
        string rowSum = graph.AddNode("ReduceSum", [terms, graph.Int64Constant(1)], Scope, OnnxAttribute.Int("keepdims", 1));
        string penalty = graph.AddNode("Mul", [rowSum, graph.FloatConstant(0.5f * PenaltyScale)], Scope);
        return new AutoencoderGraph(reconstruction, mean, mean.As(penalty, shape: [mean.Shape[0], 1]));
    }
}
