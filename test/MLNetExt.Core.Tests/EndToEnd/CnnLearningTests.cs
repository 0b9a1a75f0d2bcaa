using FluentAssertions;
using MLNetExt.Core.Autograd;
using MLNetExt.Core.Losses;
using MLNetExt.Core.Modules;
using MLNetExt.Core.Optim;

namespace MLNetExt.Core.Tests.EndToEnd;

public class CnnLearningTests
{
    private const float RequiredTestAccuracy = 0.95f;

    [Fact]
    public void A_small_cnn_learns_stroke_orientation_above_95_percent_on_held_out_images()
    {
        const int size = SyntheticImages.Size, batch = 32, epochs = 20;
        var (trainPixels, trainLabels) = SyntheticImages.Generate(1280, seed: 1);
        var (testPixels, testLabels) = SyntheticImages.Generate(200, seed: 2);

        var random = new RandomSource(7);
        var network = new Sequential(
            new Conv2d(1, 16, 3, padding: 1, random: random), new ReLU(), new MaxPool2d(2),
            new Conv2d(16, 32, 3, padding: 1, random: random), new ReLU(), new GlobalAvgPool2d(),
            new Linear(32, SyntheticImages.Classes, random: random));
        var loss = new CrossEntropyLoss();
        var optimizer = new Adam(network.Parameters(), lr: 0.01);
        var tape = new Tape();
        var images = new Tensor(batch, 1, size, size);
        var labels = new int[batch];
        int batches = trainLabels.Length / batch;

        float firstEpochLoss = 0, lastEpochLoss = 0;
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            float epochLoss = 0;
            for (int b = 0; b < batches; b++)
            {
                trainPixels.AsSpan(b * batch * size * size, batch * size * size).CopyTo(images.Span);
                trainLabels.AsSpan(b * batch, batch).CopyTo(labels);
                tape.Reset();
                optimizer.ZeroGrad();
                var value = loss.Forward(network.Forward(images, tape), labels, tape);
                tape.Backward(value);
                optimizer.Step();
                epochLoss += value.Data[0] / batches;
            }
            if (epoch == 0) firstEpochLoss = epochLoss;
            lastEpochLoss = epochLoss;
        }

        lastEpochLoss.Should().BeLessThan(firstEpochLoss / 4);
        network.Eval();
        var logits = network.Forward(Tensor.FromValues(testPixels, testLabels.Length, 1, size, size));
        int correct = 0;
        for (int n = 0; n < testLabels.Length; n++)
        {
            var row = logits.Span.Slice(n * SyntheticImages.Classes, SyntheticImages.Classes);
            if (System.Numerics.Tensors.TensorPrimitives.IndexOfMax<float>(row) == testLabels[n]) correct++;
        }
        ((float)correct / testLabels.Length).Should().BeGreaterThanOrEqualTo(RequiredTestAccuracy);
    }
}
