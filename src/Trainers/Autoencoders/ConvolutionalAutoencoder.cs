using MLNetExt.Core;
using MLNetExt.Core.Autograd;
using MLNetExt.Core.Modules;
using MLNetExt.Core.Onnx;
using MLNetExt.Core.Ops;

namespace MLNetExt.Trainers.Autoencoders;

/// <summary>
/// A convolutional autoencoder for images [C, H, W] held as a features vector of F = C·H·W values. Encoder: per stage
/// s with c_s channels, Conv2d(k×k, padding k/2) → ReLU → MaxPool2d(2), so each stage halves the height and width
/// (rounding down). Decoder, from the last stage back: Upsample (nearest) to the size the stage read → Conv2d to the
/// previous stage's channels → ReLU, the last one to C channels with no activation. The code is the last feature map,
/// flattened. Shapes: [N, F] → [N, C, H, W] → … → [N, F]; code [N, c_last·h_last·w_last].
/// </summary>
internal sealed class ConvolutionalAutoencoder : AutoencoderNetwork
{
    private readonly Sequential _encoder;
    private readonly Sequential _decoder;
    private readonly int[] _imageShape;
    private readonly int _codeSize;

    public ConvolutionalAutoencoder(AutoencoderArchitecture architecture, RandomSource random)
        : base(architecture)
    {
        _imageShape = architecture.ImageShape!;
        int kernel = architecture.KernelSize, padding = kernel / 2;
        var sizes = StageSizes(architecture);
        var channels = architecture.ConvolutionChannels;
        var encoder = new List<Module>();
        int previous = _imageShape[0];
        foreach (int stageChannels in channels)
        {
            encoder.Add(new Conv2d(previous, stageChannels, kernel, padding: padding, random: random));
            encoder.Add(new ReLU());
            encoder.Add(new MaxPool2d(2));
            previous = stageChannels;
        }
        var decoder = new List<Module>();
        for (int stage = channels.Length - 1; stage >= 0; stage--)
        {
            int outChannels = stage > 0 ? channels[stage - 1] : _imageShape[0];
            decoder.Add(new Upsample(sizes[stage]));
            decoder.Add(new Conv2d(channels[stage], outChannels, kernel, padding: padding, random: random));
            if (stage > 0)
                decoder.Add(new ReLU());
        }
        var last = sizes[^1];
        _codeSize = channels[^1] * last.Height * last.Width;
        _encoder = RegisterModule("encoder", new Sequential([.. encoder]));
        _decoder = RegisterModule("decoder", new Sequential([.. decoder]));
    }

    public override int CodeSize => _codeSize;

    /// <summary>The (height, width) each encoder stage reads, then the size of the last feature map.</summary>
    private static (int Height, int Width)[] StageSizes(AutoencoderArchitecture architecture)
    {
        var sizes = new (int Height, int Width)[architecture.ConvolutionChannels.Length + 1];
        sizes[0] = (architecture.ImageShape![1], architecture.ImageShape[2]);
        for (int stage = 1; stage < sizes.Length; stage++)
            sizes[stage] = (sizes[stage - 1].Height / 2, sizes[stage - 1].Width / 2);
        return sizes;
    }

    /// <summary>The first encoder stage whose input is under 2×2 (so that pooling would leave nothing), or null.</summary>
    public static int? StageTooSmall(AutoencoderArchitecture architecture)
    {
        var sizes = StageSizes(architecture);
        for (int stage = 0; stage < sizes.Length - 1; stage++)
        {
            if (sizes[stage].Height < 2 || sizes[stage].Width < 2)
                return stage + 1;
        }
        return null;
    }

    public override Tensor Forward(Tensor input, Tape? tape = null)
    {
        CheckInput(input);
        int rows = input.Dim(0);
        var images = TensorOps.Reshape(input, [rows, .. _imageShape], tape);
        var code = _encoder.Forward(images, tape);
        LastCode = TensorOps.Reshape(code, [rows, _codeSize], tape);
        var reconstruction = _decoder.Forward(code, tape);
        return TensorOps.Reshape(reconstruction, [rows, FeatureCount], tape);
    }

    public override AutoencoderGraph ExportOnnx(OnnxGraphBuilder graph, OnnxValue input)
    {
        var batch = input.Shape[0];
        var images = input.As(graph.AddNode("Reshape", [input.Name, graph.Int64Constant(-1, _imageShape[0], _imageShape[1], _imageShape[2])], "image"),
            shape: [batch, _imageShape[0], _imageShape[1], _imageShape[2]]);
        var map = OnnxExport.Module(graph, _encoder, images, "encoder");
        var code = map.As(graph.AddNode("Reshape", [map.Name, graph.Int64Constant(-1, _codeSize)], "code"), shape: [batch, _codeSize]);
        var output = OnnxExport.Module(graph, _decoder, map, "decoder");
        var reconstruction = output.As(graph.AddNode("Reshape", [output.Name, graph.Int64Constant(-1, FeatureCount)], "reconstruction"), shape: [batch, FeatureCount]);
        return new AutoencoderGraph(reconstruction, code, null);
    }
}
