using MLNetExt.Core;
using MLNetExt.Core.Autograd;
using MLNetExt.Core.Modules;
using MLNetExt.Core.Onnx;
using MLNetExt.Core.Ops;
using MLNetExt.Trainers.Mlp;

namespace MLNetExt.Trainers.Autoencoders;

/// <summary>
/// The dense autoencoder and its regularized kinds (denoising, sparse, contractive). Encoder: for each hidden width
/// h, Linear → [BatchNorm1d] → activation → [Dropout]; then Linear(·, K) → the code activation (a sigmoid for the
/// KL-sparse and contractive kinds, the hidden activation otherwise). Decoder: the mirror image, ending in a Linear
/// to F with no activation. With tied weights each decoder Linear is a <see cref="TiedLinear"/> over its mirror
/// encoder Linear. Shapes: [N, F] → [N, F]; code [N, K].
/// </summary>
internal sealed class DenseAutoencoder : AutoencoderNetwork
{
    private readonly Sequential _encoder;
    private readonly Sequential _decoder;
    private readonly Module[] _encoderLayers;
    private readonly Module[] _decoderLayers;
    private readonly Linear _codeLayer;
    private readonly RandomSource _noise;

    public DenseAutoencoder(AutoencoderArchitecture architecture, RandomSource random)
        : base(architecture)
    {
        var encoderLayers = new List<Module>();
        var encoderLinears = new List<Linear>();
        int previous = architecture.FeatureCount;
        foreach (int width in architecture.HiddenLayers)
        {
            var linear = new Linear(previous, width, random: random);
            encoderLinears.Add(linear);
            AddHiddenBlock(encoderLayers, linear, width, random);
            previous = width;
        }
        _codeLayer = new Linear(previous, architecture.CodeSize, random: random);
        encoderLinears.Add(_codeLayer);
        encoderLayers.Add(_codeLayer);
        encoderLayers.Add(architecture.SigmoidCode ? new Sigmoid() : MlpNetwork.Activation(architecture.Activation));

        var decoderLayers = new List<Module>();
        var widths = architecture.HiddenLayers.Reverse().Append(architecture.FeatureCount).ToArray();
        previous = architecture.CodeSize;
        for (int i = 0; i < widths.Length; i++)
        {
            Module layer = architecture.TiedWeights
                ? new TiedLinear(encoderLinears[^(i + 1)])
                : new Linear(previous, widths[i], random: random);
            if (i < widths.Length - 1)
                AddHiddenBlock(decoderLayers, layer, widths[i], random);
            else
                decoderLayers.Add(layer);
            previous = widths[i];
        }
        _encoderLayers = [.. encoderLayers];
        _decoderLayers = [.. decoderLayers];
        _encoder = RegisterModule("encoder", new Sequential(_encoderLayers));
        _decoder = RegisterModule("decoder", new Sequential(_decoderLayers));
        _noise = random.Fork();
    }

    public override int CodeSize => Architecture.CodeSize;

    public override Tensor Forward(Tensor input, Tape? tape = null)
    {
        CheckInput(input);
        var encoderInput = Training && Architecture.Kind == AutoencoderKind.Denoising && Architecture.CorruptionLevel > 0 ? Corrupt(input, tape) : input;
        var code = Run(_encoderLayers, encoderInput, tape);
        LastCode = code;
        return Run(_decoderLayers, code, tape);
    }

    // The layers of one Sequential in order, as Sequential.Forward runs them, except that a Linear followed by a ReLU
    // runs as one LinearOp.ForwardRelu (the rectifier applied to each tile of the product as it is finished): bitwise
    // the same outputs and gradients, one pass over the activations fewer.
    private static Tensor Run(Module[] layers, Tensor x, Tape? tape)
    {
        for (int i = 0; i < layers.Length; i++)
        {
            if (layers[i] is Linear linear && i + 1 < layers.Length && layers[i + 1] is ReLU)
            {
                x = LinearOp.ForwardRelu(x, linear.Weight, linear.Bias, tape);
                i++;
            }
            else
            {
                x = layers[i].Forward(x, tape);
            }
        }
        return x;
    }

    // The corrupted copy of a training batch: the loss still compares the reconstruction with the clean input.
    private Tensor Corrupt(Tensor input, Tape? tape)
    {
        var corrupted = Tape.Allocate(tape, input.Shape, clear: false);
        var source = input.Span;
        var destination = corrupted.Span;
        float level = Architecture.CorruptionLevel;
        if (Architecture.Corruption == InputCorruption.Masking)
        {
            for (int i = 0; i < source.Length; i++)
                destination[i] = _noise.NextSingle() < level ? 0f : source[i];
        }
        else
        {
            _noise.FillGaussian(destination, 0f, level);
            System.Numerics.Tensors.TensorPrimitives.Add(destination, source, destination);
        }
        return corrupted;
    }

    public override Tensor? Penalty(Tape? tape)
    {
        var code = LastCode ?? throw new InvalidOperationException("The penalty needs a forward pass first.");
        return Architecture.Kind switch
        {
            AutoencoderKind.Sparse when Architecture.Sparsity == SparsityPenalty.KullbackLeibler =>
                TensorOps.Scale(AutoencoderPenalties.KLSparsity(code, Architecture.SparsityTarget, tape), Architecture.SparsityWeight, tape),
            AutoencoderKind.Sparse => TensorOps.Scale(AutoencoderPenalties.L1Activity(code, tape), Architecture.SparsityWeight, tape),
            AutoencoderKind.Contractive =>
                TensorOps.Scale(AutoencoderPenalties.ContractiveSigmoid(code, _codeLayer.Weight, tape), Architecture.ContractiveWeight, tape),
            _ => null,
        };
    }

    public override AutoencoderGraph ExportOnnx(OnnxGraphBuilder graph, OnnxValue input)
    {
        var code = OnnxExport.Module(graph, _encoder, input, "encoder");
        return new AutoencoderGraph(OnnxExport.Module(graph, _decoder, code, "decoder"), code, null);
    }
}
