using FluentAssertions;
using MLNetExt.Core.Autograd;
using MLNetExt.Core.Losses;
using MLNetExt.Core.Modules;
using MLNetExt.Core.Optim;

namespace MLNetExt.Core.Tests.EndToEnd;

public class DeterminismTests
{
    /// <summary>Trains a network that uses every source of randomness (initialization, dropout, shuffling) and returns its final weights.</summary>
    private static float[] Train(ulong seed)
    {
        var random = new RandomSource(seed);
        var (pixels, labels) = SyntheticImages.Generate(128, seed: 5);
        var network = new Sequential(
            new Conv2d(1, 4, 3, padding: 1, random: random), new BatchNorm2d(4), new ReLU(), new MaxPool2d(2),
            new Flatten(), new Dropout(0.3f, random), new Linear(4 * 5 * 5, SyntheticImages.Classes, random: random));
        var loss = new CrossEntropyLoss(labelSmoothing: 0.1f);
        var optimizer = new AdamW(network.Parameters(), lr: 0.01);
        var tape = new Tape();
        var order = Enumerable.Range(0, labels.Length).ToArray();
        var images = new Tensor(16, 1, SyntheticImages.Size, SyntheticImages.Size);
        var batchLabels = new int[16];
        const int imageSize = SyntheticImages.Size * SyntheticImages.Size;
        for (int epoch = 0; epoch < 3; epoch++)
        {
            random.Shuffle(order.AsSpan());
            for (int start = 0; start < order.Length; start += 16)
            {
                for (int i = 0; i < 16; i++)
                {
                    pixels.AsSpan(order[start + i] * imageSize, imageSize).CopyTo(images.Span.Slice(i * imageSize, imageSize));
                    batchLabels[i] = labels[order[start + i]];
                }
                tape.Reset();
                optimizer.ZeroGrad();
                tape.Backward(loss.Forward(network.Forward(images, tape), batchLabels, tape));
                optimizer.Step();
            }
        }
        return network.StateDict().SelectMany(p => p.Value.Span.ToArray()).ToArray();
    }

    [Fact]
    public void The_same_seed_gives_bitwise_identical_training()
    {
        var first = Train(seed: 11);
        var second = Train(seed: 11);
        first.Select(BitConverter.SingleToInt32Bits).Should().Equal(second.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void A_different_seed_gives_different_weights()
    {
        Train(seed: 11).Should().NotEqual(Train(seed: 12));
    }
}
