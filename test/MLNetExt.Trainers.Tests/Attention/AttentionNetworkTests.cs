using System.Diagnostics;
using MLNetExt.Core;
using MLNetExt.Core.Losses;
using MLNetExt.Core.Modules;
using MLNetExt.Trainers.Attention;
using MLNetExt.Trainers.DeepLearning;
using MLNetExt.Trainers.Sequence;
using Xunit.Abstractions;

namespace MLNetExt.Trainers.Tests.Attention;

/// <summary>
/// The attention classifier networks: PyTorch names, padding that changes nothing, learning a task where word order
/// decides (beyond any bag-of-words model), and attention that lands on the token that decides.
/// </summary>
public class AttentionNetworkTests(ITestOutputHelper output)
{
    private const int Not = 1, Good = 2, FirstFiller = 3, Fillers = 10, Vocabulary = FirstFiller + Fillers, Steps = 10;

    private sealed class LoopOptions : DeepTrainerOptions;

    internal static AttentionArchitecture Architecture(AttentionClassifierKind kind) => new()
    {
        Kind = kind, VocabularySize = Vocabulary, EmbeddingDimension = 16, OutputCount = 2, HiddenSize = 16, AttentionSize = 16,
        SentenceHiddenSize = 8, MaxSentences = 3, MaxWords = 4, Heads = 2, EncoderLayers = 2, FeedforwardSize = 32, MaxLength = 16,
    };

    [Fact]
    public void Parameters_are_named_as_pytorch_names_the_same_module_tree()
    {
        var recurrent = AttentionNetworks.Create(Architecture(AttentionClassifierKind.RecurrentAttention), new RandomSource(1));
        recurrent.NamedParameters().Select(p => p.Key).Should().Equal(
            "embedding.weight", "rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0",
            "rnn.weight_ih_l0_reverse", "rnn.weight_hh_l0_reverse", "rnn.bias_ih_l0_reverse", "rnn.bias_hh_l0_reverse",
            "attention.W.weight", "attention.W.bias", "attention.v.weight", "head.weight", "head.bias");
        var han = AttentionNetworks.Create(Architecture(AttentionClassifierKind.Hierarchical), new RandomSource(2));
        han.NamedParameters().Select(p => p.Key).Should().Contain(["word_rnn.weight_ih_l0", "word_attention.v.weight", "sentence_rnn.weight_hh_l0_reverse", "sentence_attention.W.bias"]);
        var transformer = AttentionNetworks.Create(Architecture(AttentionClassifierKind.Transformer), new RandomSource(3));
        transformer.NamedParameters().Select(p => p.Key).Should().Contain(["embedding.weight", "encoder.layers.1.self_attn.in_proj_weight", "encoder.layers.0.norm2.bias", "head.weight"]);
        transformer.NamedBuffers().Select(b => b.Key).Should().Equal("position.pe");
        FluentActions.Invoking(() => AttentionNetworks.Create(new AttentionArchitecture { Kind = AttentionClassifierKind.Transformer, VocabularySize = 5, EmbeddingDimension = 6, OutputCount = 2, Heads = 4 }, new RandomSource(4)))
            .Should().Throw<ArgumentException>().WithMessage("*multiple of the head count*");
    }

    [Theory]
    [InlineData(AttentionClassifierKind.RecurrentAttention)]
    [InlineData(AttentionClassifierKind.Transformer)]
    public void Tokens_past_a_rows_length_change_nothing(AttentionClassifierKind kind)
    {
        var network = AttentionNetworks.Create(Architecture(kind), new RandomSource(5));
        network.Eval();
        float[] row = [4, 3, 5, 7, 9, 1, 2];
        float[] changed = [4, 3, 5, 7, 9, 12, 11];
        var logits = network.Forward(Tensor.FromValues(row, 1, 7)).Span.ToArray();
        var weights = network is RecurrentAttentionNetwork recurrent ? recurrent.LastAttentionWeights! : ((TransformerClassifierNetwork)network).LastAttentionWeights!;
        weights.Shape.ToArray().Should().Equal(1, 6);
        weights.Span.ToArray()[4..].Should().Equal(0f, 0f);
        weights.Span[..4].ToArray().Sum().Should().BeApproximately(1f, 1e-5f);
        network.Forward(Tensor.FromValues(changed, 1, 7)).Span.ToArray().Should().Equal(logits);
        network.Forward(Tensor.FromValues([4, 3, 5, 7, 9], 1, 5)).Span.ToArray().Should().Equal(logits, "padding to another length changes nothing either");
        network.Invoking(n => n.Forward(Tensor.FromValues([7, 3, 5], 1, 3))).Should().Throw<ArgumentException>().WithMessage("*length 7*[1, 2]*");
    }

    [Fact]
    public void Hierarchical_rows_ignore_absent_sentences_and_words_past_each_length()
    {
        var network = (HierarchicalAttentionNetwork)AttentionNetworks.Create(Architecture(AttentionClassifierKind.Hierarchical), new RandomSource(6));
        network.Eval();
        // Two sentences of lengths 3 and 0 (empty) out of three; the third is absent.
        float[] row = [2, 3, 0, 0, 4, 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        float[] changed = [2, 3, 0, 2, 4, 5, 6, 9, 7, 7, 7, 7, 8, 8, 8, 8];
        var logits = network.Forward(Tensor.FromValues(row, 1, 16)).Span.ToArray();
        network.Forward(Tensor.FromValues(changed, 1, 16)).Span.ToArray().Should().Equal(logits);
        network.LastWordWeights!.Span.ToArray().Should().Equal(
            [.. network.LastWordWeights.Span[..3].ToArray(), 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f]);
        network.LastWordWeights.Span[..3].ToArray().Sum().Should().BeApproximately(1f, 1e-6f);
        network.LastSentenceWeights!.Span[2].Should().Be(0f);
    }

    [Theory]
    [InlineData(AttentionClassifierKind.RecurrentAttention)]
    [InlineData(AttentionClassifierKind.Transformer)]
    public void Learns_not_good_from_good_not_where_a_bag_of_words_cannot(AttentionClassifierKind kind)
    {
        // Every row holds one "not" and one "good" among fillers: class 1 when "not" comes right before "good". Both
        // classes have the same token counts, so any bag-of-words model is at chance.
        var (train, trainClasses) = OrderData(new RandomSource(7), 1200);
        var (test, testClasses) = OrderData(new RandomSource(8), 400);
        var network = Train(kind, train, trainClasses, epochs: 25);
        double accuracy = Accuracy(network, test, testClasses);
        output.WriteLine($"{kind}: held-out accuracy {accuracy:P1}");
        accuracy.Should().BeGreaterThanOrEqualTo(0.9);
    }

    [Fact]
    public void Attention_falls_on_the_token_that_decides()
    {
        var random = new RandomSource(9);
        int rows = 1000;
        var inputs = new float[rows * (1 + Steps)];
        var classes = new int[rows];
        var planted = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            int length = 5 + random.NextInt(Steps - 4);
            var row = inputs.AsSpan(r * (1 + Steps), 1 + Steps);
            row[0] = length;
            for (int t = 0; t < length; t++) row[1 + t] = FirstFiller + random.NextInt(Fillers);
            classes[r] = random.NextInt(2);
            planted[r] = random.NextInt(length);
            row[1 + planted[r]] = classes[r] == 1 ? Not : Good;
        }
        var network = (RecurrentAttentionNetwork)Train(AttentionClassifierKind.RecurrentAttention, inputs[..(800 * (1 + Steps))], classes[..800], epochs: 15);
        network.Eval();
        network.Forward(Tensor.FromValues(inputs.AsSpan(800 * (1 + Steps)), 200, 1 + Steps));
        var weights = network.LastAttentionWeights!.Span;
        int hits = 0;
        for (int r = 0; r < 200; r++)
        {
            var row = weights.Slice(r * Steps, Steps);
            if (System.Numerics.Tensors.TensorPrimitives.IndexOfMax(row) == planted[800 + r]) hits++;
        }
        output.WriteLine($"largest weight on the planted token in {hits} of 200 rows");
        hits.Should().BeGreaterThanOrEqualTo(180);
    }

    [Fact]
    public void Hierarchical_network_finds_the_sentence_and_the_word_that_decide()
    {
        // Documents of 1 to 3 sentences of 1 to 4 filler words; one word of one sentence is replaced by the token
        // that sets the class.
        const int sentences = 3, words = 4, width = 1 + sentences * (1 + words);
        var random = new RandomSource(13);
        int rows = 1000;
        var inputs = new float[rows * width];
        var classes = new int[rows];
        var plantedSentence = new int[rows];
        var plantedWord = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            var row = inputs.AsSpan(r * width, width);
            int count = 1 + random.NextInt(sentences);
            row[0] = count;
            for (int s = 0; s < count; s++)
            {
                int length = 1 + random.NextInt(words);
                row[1 + s] = length;
                for (int t = 0; t < length; t++) row[1 + sentences + s * words + t] = FirstFiller + random.NextInt(Fillers);
            }
            classes[r] = random.NextInt(2);
            plantedSentence[r] = random.NextInt(count);
            plantedWord[r] = random.NextInt((int)row[1 + plantedSentence[r]]);
            row[1 + sentences + plantedSentence[r] * words + plantedWord[r]] = classes[r] == 1 ? Not : Good;
        }
        var network = (HierarchicalAttentionNetwork)AttentionNetworks.Create(Architecture(AttentionClassifierKind.Hierarchical), new RandomSource(14));
        var options = new LoopOptions { NumberOfEpochs = 15, LearningRate = 0.005, BatchSize = 32, ValidationFraction = 0, Seed = 15, GradientClipNorm = 1 };
        new DeepTrainingLoop(options, new RandomSource(16)).Run(network, new CrossEntropyLoss(), DeepTrainingData.ForClasses(inputs[..(800 * width)], [width], classes[..800], 2));

        network.Eval();
        var logits = network.Forward(Tensor.FromValues(inputs.AsSpan(800 * width), 200, width)).Span;
        int correct = 0, sentenceHits = 0, wordHits = 0;
        for (int r = 0; r < 200; r++)
        {
            if ((logits[2 * r + 1] > logits[2 * r] ? 1 : 0) == classes[800 + r]) correct++;
            if (System.Numerics.Tensors.TensorPrimitives.IndexOfMax(network.LastSentenceWeights!.Span.Slice(r * sentences, sentences)) == plantedSentence[800 + r]) sentenceHits++;
            var wordWeights = network.LastWordWeights!.Span.Slice((r * sentences + plantedSentence[800 + r]) * words, words);
            if (System.Numerics.Tensors.TensorPrimitives.IndexOfMax(wordWeights) == plantedWord[800 + r]) wordHits++;
        }
        output.WriteLine($"hierarchical: {correct} of 200 right, attention on the planted sentence in {sentenceHits} and on the planted word in {wordHits}");
        correct.Should().BeGreaterThanOrEqualTo(180);
        sentenceHits.Should().BeGreaterThanOrEqualTo(180);
        wordHits.Should().BeGreaterThanOrEqualTo(180);
    }

    private static (float[] Inputs, int[] Classes) OrderData(RandomSource random, int rows)
    {
        var inputs = new float[rows * (1 + Steps)];
        var classes = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            int length = 6 + random.NextInt(Steps - 5);
            var row = inputs.AsSpan(r * (1 + Steps), 1 + Steps);
            row[0] = length;
            for (int t = 0; t < length; t++) row[1 + t] = FirstFiller + random.NextInt(Fillers);
            classes[r] = random.NextInt(2);
            int notAt, goodAt;
            do
            {
                notAt = random.NextInt(length);
                goodAt = classes[r] == 1 ? notAt + 1 : random.NextInt(length);
            }
            while (goodAt >= length || goodAt == notAt || (classes[r] == 0 && goodAt == notAt + 1));
            row[1 + notAt] = Not;
            row[1 + goodAt] = Good;
        }
        return (inputs, classes);
    }

    private Module Train(AttentionClassifierKind kind, float[] inputs, int[] classes, int epochs)
    {
        var network = AttentionNetworks.Create(Architecture(kind), new RandomSource(10));
        var options = new LoopOptions { NumberOfEpochs = epochs, LearningRate = 0.003, BatchSize = 32, ValidationFraction = 0, Seed = 11, GradientClipNorm = 1 };
        var watch = Stopwatch.StartNew();
        new DeepTrainingLoop(options, new RandomSource(12)).Run(network, new CrossEntropyLoss(), DeepTrainingData.ForClasses(inputs, [1 + Steps], classes, 2));
        output.WriteLine($"{kind}: trained {epochs} epochs on {classes.Length} rows in {watch.Elapsed.TotalSeconds:F1} s");
        return network;
    }

    private static double Accuracy(Module network, float[] inputs, int[] classes)
    {
        network.Eval();
        var logits = network.Forward(Tensor.FromValues(inputs, classes.Length, 1 + Steps)).Span;
        int correct = 0;
        for (int r = 0; r < classes.Length; r++)
            if ((logits[2 * r + 1] > logits[2 * r] ? 1 : 0) == classes[r]) correct++;
        return (double)correct / classes.Length;
    }
}
