using MLNetExt.Core;
using MLNetExt.Core.Autograd;
using MLNetExt.Core.Detection;
using MLNetExt.Core.Optim;
using MLNetExt.Trainers.Detection;

namespace MLNetExt.Trainers.Tests.Detection;

public class YoloDetectorNetworkTests
{
    private static YoloDetectorArchitecture SmallArchitecture(int stride = 8) => new()
    {
        ImageHeight = 32,
        ImageWidth = 32,
        Depth = 3,
        Width = 8,
        Stride = stride,
        Anchors = [10, 10, 14, 8],
        ClassCount = 2,
    };

    [Fact]
    public void Parameters_are_named_as_torch_sequential_and_the_head_has_the_grid_shape()
    {
        var network = new YoloDetectorNetwork(SmallArchitecture(stride: 4), new RandomSource(1));

        // Stages 0 and 1 pool (stride 4 = 2²), stage 2 does not: conv, bn, act, pool, conv, bn, act, pool, conv, bn, act, head.
        network.NamedParameters().Select(p => p.Key).Should().Equal(
            "0.weight", "1.weight", "1.bias", "4.weight", "5.weight", "5.bias", "8.weight", "9.weight", "9.bias", "11.weight", "11.bias");
        network.NamedBuffers().Select(p => p.Key).Should().Equal(
            "1.running_mean", "1.running_var", "1.num_batches_tracked", "5.running_mean", "5.running_var", "5.num_batches_tracked",
            "9.running_mean", "9.running_var", "9.num_batches_tracked");
        network.NamedParameters().Single(p => p.Key == "8.weight").Value.Shape.ToArray().Should().Equal(32, 16, 3, 3);
        network.Head.Weight.Shape.ToArray().Should().Equal(2 * 7, 32, 1, 1);

        var output = network.Forward(new Tensor(2, 3, 32, 32));
        output.Shape.ToArray().Should().Equal(2, 14, 8, 8);
        network.OutputShape([2, 3, 32, 32]).Should().Equal(2, 14, 8, 8);
        network.Architecture.Scale.Should().BeEquivalentTo(new YoloGridScale(8, 8, [10, 10, 14, 8]));
    }

    [Fact]
    public void Bad_settings_and_inputs_are_rejected_by_name()
    {
        var badStride = () => new YoloDetectorNetwork(SmallArchitecture(stride: 16), new RandomSource(1));
        badStride.Should().Throw<ArgumentException>().Where(e => e.ParamName == "Stride" && e.Message.Contains("2^Depth = 8"));
        var oddImage = () => new YoloDetectorNetwork(SmallArchitecture() with { ImageWidth = 36 }, new RandomSource(1));
        oddImage.Should().Throw<ArgumentException>().Where(e => e.ParamName == "ImageHeight");
        var noAnchors = () => new YoloDetectorNetwork(SmallArchitecture() with { Anchors = [10] }, new RandomSource(1));
        noAnchors.Should().Throw<ArgumentException>().Where(e => e.ParamName == "Anchors");

        var network = new YoloDetectorNetwork(SmallArchitecture(), new RandomSource(1));
        var wrongImage = () => network.Forward(new Tensor(1, 3, 32, 16));
        wrongImage.Should().Throw<ArgumentException>().Where(e => e.ParamName == "input" && e.Message.Contains("[N, 3, 32, 32]"));
    }

    [Fact]
    public void Overfits_a_few_images_with_one_square_each()
    {
        // Six 32×32 images of noise, each with one bright square of 8 to 12 px; one class, a 4×4 grid (stride 8).
        const int images = 6, size = 32;
        var architecture = SmallArchitecture() with { Anchors = [10, 10], ClassCount = 1 };
        var random = new RandomSource(3);
        var pixels = new Tensor(images, 3, size, size);
        random.FillGaussian(pixels.Span, 0f, 0.3f);
        var squares = new float[images][];
        var targets = new float[images * architecture.Scale.TargetLength(1)];
        for (int i = 0; i < images; i++)
        {
            int side = 8 + random.NextInt(5), x = random.NextInt(size - side + 1), y = random.NextInt(size - side + 1);
            squares[i] = [x, y, x + side, y + side];
            for (int c = 0; c < 3; c++)
                for (int row = y; row < y + side; row++)
                    pixels.Span.Slice(((i * 3 + c) * size + row) * size + x, side).Fill(1.5f);
            int length = architecture.Scale.TargetLength(1);
            var target = new float[length];
            YoloTargetEncoder.Encode(squares[i], [0], size, size, 1, [architecture.Scale], [target]);
            target.CopyTo(targets, i * length);
        }
        var targetTensor = Tensor.FromValues(targets, images, targets.Length / images);

        var network = new YoloDetectorNetwork(architecture, new RandomSource(4));
        var loss = new YoloLoss(architecture.Scale, size, size, 1);
        var optimizer = new Adam(network.Parameters(), lr: 0.01);
        var tape = new Tape();
        float first = 0, last = 0;
        for (int step = 0; step < 80; step++)
        {
            tape.Reset();
            optimizer.ZeroGrad();
            var value = loss.Forward(network.Forward(pixels, tape), targetTensor, tape);
            if (step == 0) first = value.Data[0];
            last = value.Data[0];
            tape.Backward(value);
            optimizer.Step();
        }

        last.Should().BeLessThan(first / 10, $"the loss went from {first} to {last}");
        network.Eval();
        var predictions = YoloHeadDecoder.Decode([network.Forward(pixels)], [architecture.Scale], size, size, 1, YoloClassLoss.BinaryCrossEntropy);
        for (int i = 0; i < images; i++)
        {
            predictions[i].Count.Should().BeGreaterThan(0, $"image {i} has a square");
            float iou = BoxOverlap.Overlap(predictions[i].Boxes.AsSpan(0, 4), squares[i]);
            iou.Should().BeGreaterThan(0.7f, $"image {i}'s best box lands on its square {string.Join(", ", squares[i])}");
        }
    }
}
