using System.Text.Json;
using MLNetExt.Core;
using MLNetExt.Core.Autograd;
using MLNetExt.Core.Losses;
using MLNetExt.Core.Ops;
using MLNetExt.Trainers.Autoencoders;
using MLNetExt.Trainers.Mlp;

namespace MLNetExt.Trainers.Tests.Autoencoders;

/// <summary>
/// Every autoencoder network against the same PyTorch 1.13 module tree (reference data: generate_autoencoder_models.py,
/// which draws the weights and inputs, stores them by state_dict name, and computes in float64 from those float32
/// values). The network is built by <see cref="AutoencoderNetwork.Build"/> from the case's
/// <see cref="AutoencoderArchitecture"/>, the weights copied in by name, and one training step's objective computed as
/// DeepTrainingLoop does it: the reconstruction loss (MSELoss or BCEWithLogitsLoss, mean) plus
/// <see cref="AutoencoderNetwork.Penalty"/>.
/// </summary>
/// <remarks>
/// <para>The networks draw their own noise; the tests fix it as follows. Variational: ε is the reference's, passed to
/// the internal <c>VariationalAutoencoder.Forward(input, epsilon, tape)</c> that the public forward calls with a
/// freshly drawn ε. Denoising: the reference stores a fixed masking corruption x̃ of x, and the test runs the
/// network in evaluation mode (which does not corrupt) on x̃ against the clean target x: with no batch norm and no
/// dropout in that case, evaluation mode computes the very function training applies to its own x̃. How the network
/// corrupts (masking rate, no rescaling, Gaussian σ, training only) is checked separately, statistically.</para>
/// <para>Tolerance: |actual − expected| ≤ 1e-5·|expected| + c·max|expected| over the tensor. The second term is
/// float32 accumulation: an element is a sum of terms of the tensor's typical size, so where those cancel (a
/// reconstruction near 0, a gradient whose terms nearly balance) the rounding left is relative to that size, not to
/// the small result. c = 1e-6 for values, running statistics and scores (worst seen: 4e-7) and for the gradients of
/// the plain dense networks (worst: 3.7e-7). c = 2e-5 for the gradients of networks with batch norm or convolutions:
/// batch norm's backward subtracts two batch means from dy, and a convolution's weight and bias gradients sum over
/// every position, so cancellation is heavy; PyTorch's own float32 pass differs from its float64 one by up to
/// 2.7e-6 of the tensor's largest gradient on these cases, and the engine's worst is 6.3e-6. A gradient that is 0
/// in exact arithmetic (a bias feeding batch norm) must be under 1e-6 of the network's largest gradient.</para>
/// </remarks>
public class AutoencoderParityTests
{
    public static TheoryData<string> Cases() =>
    [
        "dense_relu", "dense_batchnorm_tanh", "dense_tied_leaky_relu", "sparse_kl", "sparse_l1", "contractive_tied",
        "denoising_masking", "variational_gelu", "variational_batchnorm_bce", "variational_no_hidden",
        "convolutional_bce", "convolutional_mse",
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Training_step_loss_penalty_reconstruction_code_and_every_parameter_gradient_match_PyTorch(string name)
    {
        var reference = new Reference(name);
        var network = reference.Network();
        var tape = new Tape();

        var step = Objective(network, reference, tape);
        tape.Backward(step.Objective);

        Close([step.Loss.Data[0]], reference.Values("loss"), "the reconstruction loss");
        Close([step.Penalty?.Data[0] ?? 0f], reference.Values("penalty"), "the penalty");
        Close([step.Objective.Data[0]], reference.Values("objective"), "the objective");
        Close(step.Output.Span.ToArray(), reference.Values("reconstruction"), "the reconstruction");
        Close(network.LastCode!.Span.ToArray(), reference.Values("code"), "the code");
        float gradientScale = network.NamedParameters().Max(p => reference.Values("grad." + p.Key).Max(MathF.Abs));
        foreach (var (key, parameter) in network.NamedParameters())
        {
            var expected = reference.Values("grad." + key);
            if (expected.Max(MathF.Abs) > 1e-9f * gradientScale)
            {
                Close(parameter.Grad!.Span.ToArray(), expected, $"the gradient of {key}", GradientFloor(network.Architecture));
                continue;
            }
            // Zero in exact arithmetic (a bias feeding batch norm, which subtracts the batch mean): what is left is
            // the rounding of a sum of terms the size of the gradients around it.
            parameter.Grad!.Span.ToArray().Should().AllSatisfy(g => Math.Abs(g).Should().BeLessThanOrEqualTo(1e-6f * gradientScale), $"the gradient of {key} is 0");
        }
        foreach (var (key, buffer) in network.NamedBuffers().Where(b => !b.Key.EndsWith("num_batches_tracked", StringComparison.Ordinal)))
            Close(buffer.Span.ToArray(), reference.Values("buffer." + key), $"{key} after the training pass");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Evaluation_mode_row_scores_match_PyTorch(string name)
    {
        var reference = new Reference(name);
        var network = reference.Network();
        // The reference scores after its training pass, which moved batch norm's running statistics.
        Objective(network, reference, null);

        var scores = ReconstructionErrors.ScoreRows(network, reference.Values("x"));

        network.Training.Should().BeFalse();
        Close(scores, reference.Values("scores"), "the row scores");
    }

    /// <summary>
    /// d objective / d θ from the tape against Richardson-extrapolated central differences of the objective the
    /// engine computes, (4·D(h/2) − D(h))/3 with D(h) = (J(θ + h) − J(θ − h))/2h, for every element of every
    /// parameter, h = 2e-2. The extrapolation leaves O(h⁴) truncation (plain central differences at this h are off
    /// by up to 2.5e-3 on the batch-norm case, whose curvature is large); what is left is the float32 rounding of J
    /// (a few ulps of values near 1, ~2e-7) amplified by ~1.5/h: ~1.5e-5. The worst seen over these cases is 3.1e-5,
    /// against a tolerance of 1e-4 + 1e-3·|numeric|. The cases are the ones whose objective is smooth around the
    /// reference weights: sparse_l1 is not (|h| has a kink, and one of its code values is 0.004), nor are the ReLU
    /// ones; the L1 gradient has its own gradient check in the Core tests.
    /// </summary>
    [Theory]
    [InlineData("sparse_kl")]
    [InlineData("contractive_tied")]
    [InlineData("variational_gelu")]
    [InlineData("variational_batchnorm_bce")]
    public void Objective_gradient_with_penalty_matches_finite_differences(string name)
    {
        const float H = 2e-2f;
        var reference = new Reference(name);
        var network = reference.Network();
        var tape = new Tape();
        tape.Backward(Objective(network, reference, tape).Objective);

        int checkedCount = 0;
        foreach (var (key, parameter) in network.NamedParameters())
        {
            var analytic = parameter.Grad!.Span.ToArray();
            for (int i = 0; i < parameter.Length; i++)
            {
                double coarse = Difference(network, reference, parameter, i, H), fine = Difference(network, reference, parameter, i, H / 2);
                double numeric = (4 * fine - coarse) / 3;
                Math.Abs(analytic[i] - numeric).Should().BeLessThanOrEqualTo(1e-4 + 1e-3 * Math.Abs(numeric),
                    $"d objective / d {key}[{i}]: analytic {analytic[i]:G9}, numeric {numeric:G9}");
                checkedCount++;
            }
        }
        checkedCount.Should().BeGreaterThan(50);
    }

    [Fact]
    public void Variational_training_pass_with_zero_epsilon_is_the_evaluation_pass_and_drawn_epsilon_changes_per_pass()
    {
        var reference = new Reference("variational_gelu");
        var network = (VariationalAutoencoder)reference.Network();
        var x = reference.Tensor("x");
        var zero = new Tensor(x.Dim(0), network.CodeSize);

        var sampledOnce = network.Forward(x).Span.ToArray();
        var sampledTwice = network.Forward(x).Span.ToArray();
        var atMean = network.Forward(x, zero, null).Span.ToArray();
        network.Eval();
        var evaluation = network.Forward(x).Span.ToArray();
        var evaluationIgnoresEpsilon = network.Forward(x, reference.Tensor("epsilon"), null).Span.ToArray();

        atMean.Should().Equal(evaluation);
        evaluationIgnoresEpsilon.Should().Equal(evaluation);
        sampledOnce.Should().NotEqual(sampledTwice);
        sampledOnce.Should().NotEqual(evaluation);
    }

    /// <summary>
    /// The denoising network's own corruption, seen through a code layer set to the identity (ReLU code of inputs
    /// ≥ 5, so the code is the corrupted input itself, exactly): masking zeroes a fraction q of the values and leaves
    /// the others unscaled; Gaussian noise adds N(0, σ²); evaluation mode does not corrupt. 32,000 values: the
    /// bounds are over 5 standard errors wide.
    /// </summary>
    [Theory]
    [InlineData(InputCorruption.Masking, 0.3f)]
    [InlineData(InputCorruption.Gaussian, 0.5f)]
    public void Denoising_corruption_has_the_configured_statistics_in_training_and_none_in_evaluation(InputCorruption corruption, float level)
    {
        const int Rows = 4000, Features = 8;
        var architecture = new AutoencoderArchitecture
        {
            Kind = AutoencoderKind.Denoising, FeatureCount = Features, HiddenLayers = [], CodeSize = Features, Activation = MlpActivation.ReLU,
            Corruption = corruption, CorruptionLevel = level, SparsityTarget = 0.05f,
        };
        var network = AutoencoderNetwork.Build(architecture, new RandomSource(17));
        var parameters = network.NamedParameters().ToDictionary(p => p.Key, p => p.Value);
        var weight = parameters["encoder.0.weight"].Span;
        weight.Clear();
        for (int f = 0; f < Features; f++)
            weight[f * Features + f] = 1f;
        parameters["encoder.0.bias"].Span.Clear();
        var x = new Tensor(Rows, Features);
        new RandomSource(3).FillUniform(x.Span, 5f, 6f);
        var clean = x.Span.ToArray();

        network.Forward(x);
        var first = network.LastCode!.Span.ToArray();
        network.Forward(x);
        var second = network.LastCode!.Span.ToArray();
        network.Eval();
        network.Forward(x);

        network.LastCode!.Span.ToArray().Should().Equal(clean);
        first.Should().NotEqual(second);
        if (corruption == InputCorruption.Masking)
        {
            int zeroed = 0;
            for (int i = 0; i < first.Length; i++)
            {
                if (first[i] == 0f)
                    zeroed++;
                else
                    first[i].Should().Be(clean[i], "a kept value is not rescaled");
            }
            ((double)zeroed / first.Length).Should().BeApproximately(level, 0.015);
        }
        else
        {
            var noise = first.Select((v, i) => (double)v - clean[i]).ToArray();
            double mean = noise.Average(), deviation = Math.Sqrt(noise.Select(d => (d - mean) * (d - mean)).Average());
            mean.Should().BeApproximately(0, 0.02);
            deviation.Should().BeApproximately(level, 0.02);
        }
    }

    private sealed record Step(Tensor Output, Tensor Loss, Tensor? Penalty, Tensor Objective);

    // The objective of DeepTrainingLoop.ComputeLoss: loss(output, clean x) + the network's penalty on that pass.
    private static Step Objective(AutoencoderNetwork network, Reference reference, Tape? tape)
    {
        var x = reference.Tensor("x");
        Tensor output;
        if (network is VariationalAutoencoder variational)
        {
            output = variational.Forward(x, reference.Tensor("epsilon"), tape);
        }
        else if (network.Architecture.Kind == AutoencoderKind.Denoising)
        {
            network.Architecture.UseBatchNorm.Should().BeFalse("evaluation mode stands for training only without batch norm");
            network.Architecture.DropoutRate.Should().Be(0f, "evaluation mode stands for training only without dropout");
            network.Eval();
            output = network.Forward(reference.Tensor("x_corrupted"), tape);
        }
        else
        {
            output = network.Forward(x, tape);
        }
        Loss loss = network.Architecture.ReconstructionLoss == AutoencoderReconstructionLoss.BinaryCrossEntropy ? new BCEWithLogitsLoss() : new MSELoss();
        var value = loss.Forward(output, x, tape);
        var penalty = network.Penalty(tape);
        return new Step(output, value, penalty, penalty is null ? value : TensorOps.Add(value, penalty, tape));
    }

    // (J(θ_i + h) − J(θ_i − h)) / 2h, J evaluated without a tape; θ_i is restored.
    private static double Difference(AutoencoderNetwork network, Reference reference, Tensor parameter, int index, float h)
    {
        float original = parameter.Span[index];
        parameter.Span[index] = original + h;
        double plus = Objective(network, reference, null).Objective.Data[0];
        parameter.Span[index] = original - h;
        double minus = Objective(network, reference, null).Objective.Data[0];
        parameter.Span[index] = original;
        return (plus - minus) / ((double)(original + h) - (original - h));
    }

    // The share of a gradient tensor's largest value that float32 accumulation may leave (see the class remarks).
    private static float GradientFloor(AutoencoderArchitecture architecture) =>
        architecture.UseBatchNorm || architecture.Kind == AutoencoderKind.Convolutional ? 2e-5f : 1e-6f;

    private static void Close(float[] actual, float[] expected, string what, float floor = 1e-6f)
    {
        actual.Should().HaveCount(expected.Length, what);
        float scale = expected.Length == 0 ? 0f : expected.Max(MathF.Abs);
        for (int i = 0; i < actual.Length; i++)
            actual[i].Should().BeApproximately(expected[i], 1e-5f * Math.Abs(expected[i]) + floor * scale, $"{what}[{i}]");
    }

    /// <summary>One case of Reference/&lt;name&gt;.json.</summary>
    private sealed class Reference
    {
        private readonly JsonElement _root;
        private readonly JsonElement _meta;

        public Reference(string name)
        {
            using var document = JsonDocument.Parse(File.ReadAllText(ReferenceJson.PathOf("Autoencoders", name)));
            _root = document.RootElement.Clone();
            _meta = _root.GetProperty("meta");
        }

        public float[] Values(string name) => ReferenceJson.Read(_root, name);

        public Tensor Tensor(string name) => ReferenceJson.Load(_root, name);

        /// <summary>The case's architecture, as the trainer would build it (no dropout).</summary>
        public AutoencoderArchitecture Architecture() => new()
        {
            Kind = Enum.Parse<AutoencoderKind>(Text("kind")),
            FeatureCount = Int("features"),
            HiddenLayers = Ints("hidden"),
            CodeSize = Int("code"),
            Activation = Enum.Parse<MlpActivation>(Text("activation")),
            UseBatchNorm = _meta.GetProperty("batch_norm").GetBoolean(),
            TiedWeights = _meta.GetProperty("tied").GetBoolean(),
            Corruption = Enum.Parse<InputCorruption>(Text("corruption")),
            CorruptionLevel = Float("corruption_level"),
            Sparsity = Enum.Parse<SparsityPenalty>(Text("sparsity")),
            SparsityTarget = Float("sparsity_target"),
            SparsityWeight = Float("sparsity_weight"),
            ContractiveWeight = Float("contractive_weight"),
            KLWeight = Float("kl_weight"),
            ConvolutionChannels = Ints("channels"),
            KernelSize = Int("kernel"),
            ImageShape = _meta.GetProperty("image_shape").ValueKind == JsonValueKind.Null ? null : Ints("image_shape"),
            ReconstructionLoss = Enum.Parse<AutoencoderReconstructionLoss>(Text("loss")),
        };

        /// <summary>The network built from the architecture, holding the reference weights; its parameter names must be PyTorch's.</summary>
        public AutoencoderNetwork Network()
        {
            var network = AutoencoderNetwork.Build(Architecture(), new RandomSource(1));
            var names = network.NamedParameters().Select(p => p.Key).ToArray();
            var referenceNames = _root.EnumerateObject().Select(p => p.Name).Where(n => n.StartsWith("param.", StringComparison.Ordinal)).Select(n => n["param.".Length..]);
            names.Should().BeEquivalentTo(referenceNames, "the network's parameters are named as the PyTorch module tree's state_dict");
            foreach (var (key, parameter) in network.NamedParameters())
            {
                var values = Tensor("param." + key);
                values.Shape.ToArray().Should().Equal(parameter.Shape.ToArray(), key);
                values.Span.CopyTo(parameter.Span);
            }
            return network;
        }

        private string Text(string key) => _meta.GetProperty(key).GetString()!;

        private int Int(string key) => _meta.GetProperty(key).GetInt32();

        private float Float(string key) => _meta.GetProperty(key).GetSingle();

        private int[] Ints(string key) => [.. _meta.GetProperty(key).EnumerateArray().Select(v => v.GetInt32())];
    }
}
