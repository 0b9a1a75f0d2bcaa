using MLNetExt.Core.Detection;

namespace MLNetExt.Trainers.Detection;

/// <summary>
/// The shape of the small convolutional YOLO detector: <see cref="Depth"/> stages of 3×3 Conv2d → BatchNorm2d →
/// LeakyReLU(0.1), the first log₂(<see cref="Stride"/>) of them ending in MaxPool2d(2), then a 1×1 Conv2d head of
/// A·(5 + C) channels. Input [N, <see cref="InputChannels"/>, <see cref="ImageHeight"/>, <see cref="ImageWidth"/>];
/// output [N, A·(5 + C), ImageHeight / Stride, ImageWidth / Stride], the layout <see cref="YoloLoss"/> reads.
/// </summary>
public sealed record YoloDetectorArchitecture
{
    /// <summary>The input height in pixels; a multiple of <see cref="Stride"/>.</summary>
    public required int ImageHeight { get; init; }

    /// <summary>The input width in pixels; a multiple of <see cref="Stride"/>.</summary>
    public required int ImageWidth { get; init; }

    /// <summary>The input channels (3 for RGB).</summary>
    public int InputChannels { get; init; } = 3;

    /// <summary>The number of convolution stages.</summary>
    public int Depth { get; init; } = 4;

    /// <summary>The channels of the first stage; each following stage doubles them.</summary>
    public int Width { get; init; } = 16;

    /// <summary>Input pixels per grid cell: a power of two from 1 to 2^<see cref="Depth"/>.</summary>
    public int Stride { get; init; } = 16;

    /// <summary>[A, 2] anchor (width, height) pairs in input pixels.</summary>
    public required float[] Anchors { get; init; }

    /// <summary>C, the number of classes.</summary>
    public required int ClassCount { get; init; }

    /// <summary>The number of max-pooling stages, log₂(<see cref="Stride"/>).</summary>
    public int PooledStages => System.Numerics.BitOperations.Log2((uint)Stride);

    /// <summary>The head's output grid and its anchors, as <see cref="YoloTargetEncoder"/> and <see cref="YoloLoss"/> take them.</summary>
    public YoloGridScale Scale => new(ImageHeight / Stride, ImageWidth / Stride, Anchors);

    /// <summary>The head's channels, A·(5 + C).</summary>
    public int HeadChannels => Anchors.Length / 2 * (5 + ClassCount);

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentException">A setting is out of range; the message names it and the expected values.</exception>
    public void Validate()
    {
        if (Depth < 1) throw new ArgumentException($"Depth is {Depth}; at least 1 stage is needed.", nameof(Depth));
        if (Width < 1) throw new ArgumentException($"Width is {Width}; at least 1 channel is needed.", nameof(Width));
        if (InputChannels < 1) throw new ArgumentException($"InputChannels is {InputChannels}; at least 1 is needed.", nameof(InputChannels));
        if (ClassCount < 1) throw new ArgumentException($"ClassCount is {ClassCount}; at least 1 class is needed.", nameof(ClassCount));
        if (Stride < 1 || !System.Numerics.BitOperations.IsPow2(Stride) || PooledStages > Depth)
            throw new ArgumentException($"Stride is {Stride}; a power of two from 1 to 2^Depth = {1 << Math.Min(Depth, 30)} is needed.", nameof(Stride));
        if (ImageHeight < Stride || ImageWidth < Stride || ImageHeight % Stride != 0 || ImageWidth % Stride != 0)
            throw new ArgumentException($"The image is {ImageHeight}×{ImageWidth}; both sides must be positive multiples of the stride {Stride}.", nameof(ImageHeight));
        if (Anchors is null || Anchors.Length == 0 || Anchors.Length % 2 != 0 || Anchors.Any(a => !(a > 0) || !float.IsFinite(a)))
            throw new ArgumentException("Anchors needs (width, height) pairs of positive, finite pixel sizes.", nameof(Anchors));
    }
}
