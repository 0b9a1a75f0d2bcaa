using MLNetExt.Core;
using MLNetExt.Core.Autograd;
using MLNetExt.Core.Modules;

namespace MLNetExt.Trainers.Detection;

/// <summary>
/// The small convolutional YOLO detector of <see cref="YoloDetectorArchitecture"/>. Its layers are its children
/// <c>0</c>, <c>1</c>, … in order, so its <c>state_dict</c> names are those of the same <c>torch.nn.Sequential</c>
/// (<c>0.weight</c>, <c>1.running_mean</c>, …, the head last). Shapes: [N, C_in, H, W] → [N, A·(5 + C), H/s, W/s].
/// </summary>
internal sealed class YoloDetectorNetwork : Module
{
    // LeakyReLU's slope in darknet's tiny-YOLO backbones.
    private const float NegativeSlope = 0.1f;

    // The objectness bias starts at logit(0.01), RetinaNet's prior: at the start nearly every slot is empty, and an
    // objectness of ½ everywhere would make the empty slots' loss swamp the few objects' gradients.
    private const float InitialObjectnessBias = -4.595f;

    private readonly Module[] _layers;

    public YoloDetectorNetwork(YoloDetectorArchitecture architecture, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(random);
        architecture.Validate();
        Architecture = architecture;
        var layers = new List<Module>();
        int channels = architecture.InputChannels;
        for (int stage = 0; stage < architecture.Depth; stage++)
        {
            int stageChannels = architecture.Width << stage;
            // No convolution bias: the batch norm's shift replaces it.
            layers.Add(new Conv2d(channels, stageChannels, 3, padding: 1, bias: false, random: random));
            layers.Add(new BatchNorm2d(stageChannels));
            layers.Add(new LeakyReLU(NegativeSlope));
            if (stage < architecture.PooledStages) layers.Add(new MaxPool2d(2));
            channels = stageChannels;
        }
        Head = new Conv2d(channels, architecture.HeadChannels, 1, random: random);
        int entries = 5 + architecture.ClassCount;
        for (int a = 0; a < architecture.Anchors.Length / 2; a++) Head.Bias!.Data[a * entries + 4] = InitialObjectnessBias;
        layers.Add(Head);
        _layers = [.. layers];
        for (int i = 0; i < _layers.Length; i++) RegisterModule(i.ToString(System.Globalization.CultureInfo.InvariantCulture), _layers[i]);
    }

    public YoloDetectorArchitecture Architecture { get; }

    /// <summary>The 1×1 convolution that produces the raw head.</summary>
    public Conv2d Head { get; }

    public override Tensor Forward(Tensor input, Tape? tape = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        var a = Architecture;
        if (input.Rank != 4 || input.Dim(1) != a.InputChannels || input.Dim(2) != a.ImageHeight || input.Dim(3) != a.ImageWidth)
            throw new ArgumentException(
                $"The images are [{string.Join(", ", input.Shape.ToArray())}]; [N, {a.InputChannels}, {a.ImageHeight}, {a.ImageWidth}] is expected.", nameof(input));
        var x = input;
        foreach (var layer in _layers) x = layer.Forward(x, tape);
        return x;
    }

    public override int[] OutputShape(ReadOnlySpan<int> inputShape)
    {
        RequireRank(inputShape, 4, "[N, C, H, W]");
        var a = Architecture;
        return [inputShape[0], a.HeadChannels, a.ImageHeight / a.Stride, a.ImageWidth / a.Stride];
    }
}
