using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using MLNetExt.Core;
using MLNetExt.Core.Onnx;
using MLNetExt.Core.Onnx.Protobuf;
using MLNetExt.Trainers.Mlp;
using MLNetExt.Trainers.Sequence;
using static MLNetExt.Core.Tests.Onnx.OnnxRuntimeCheck;

namespace MLNetExt.Trainers.Tests.Onnx;

/// <summary>The MLP and sequence networks' ONNX graphs in ONNX Runtime against the engine's inference forward.</summary>
public class NetworkOnnxExportTests
{
    // Lengths differ within the batch, and one sequence is a single step.
    private static readonly int[] ShortLengths = [6, 2, 1, 4];

    [Theory]
    [InlineData(MlpActivation.ReLU, true, 0.2f)]
    [InlineData(MlpActivation.Gelu, false, 0f)]
    [InlineData(MlpActivation.Tanh, true, 0f)]
    [InlineData(MlpActivation.LeakyReLU, false, 0.1f)]
    [InlineData(MlpActivation.Elu, true, 0f)]
    [InlineData(MlpActivation.Sigmoid, false, 0f)]
    public void Mlp_matches_the_engine(MlpActivation activation, bool batchNorm, float dropout)
    {
        var random = new RandomSource(3);
        var network = MlpNetwork.Build(6, [8, 5], 3, activation, dropout, batchNorm, random);
        foreach (var (name, buffer) in network.NamedBuffers().Where(b => b.Key.EndsWith("running_mean", StringComparison.Ordinal)))
            random.FillUniform(buffer.Span, -0.5f, 0.5f);
        network.Eval();
        var x = new Tensor(5, 6);
        random.FillUniform(x.Span, -2f, 2f);
        var expected = network.Forward(x);

        byte[] model = MlpNetworkOnnx.Export(network, 6, new Dictionary<string, string> { ["mlnetext.model"] = "mlp" });
        var (values, shape) = Run(model, (MlpNetworkOnnx.FeaturesName, x.Span.ToArray(), [5, 6]))[0];
        shape.Should().Equal(5, 3);
        ShouldMatch(values, expected.Span);
        using var session = new InferenceSession(model);
        session.OutputMetadata.Keys.Should().Equal(MlpNetworkOnnx.OutputName);
        session.ModelMetadata.CustomMetadataMap.Should().Contain("mlnetext.model", "mlp");
    }

    public static TheoryData<SequenceCellType, int, bool, SequencePooling> ManyToOneCases()
    {
        var data = new TheoryData<SequenceCellType, int, bool, SequencePooling>();
        foreach (var cell in new[] { SequenceCellType.Lstm, SequenceCellType.Gru, SequenceCellType.Rnn })
            foreach (int layers in new[] { 1, 2 })
                foreach (bool bidirectional in new[] { false, true })
                    foreach (var pooling in new[] { SequencePooling.Last, SequencePooling.Mean, SequencePooling.Max })
                        data.Add(cell, layers, bidirectional, pooling);
        return data;
    }

    [Theory]
    [MemberData(nameof(ManyToOneCases))]
    public void Many_to_one_on_keys_matches_the_engine(SequenceCellType cell, int layers, bool bidirectional, SequencePooling pooling)
        => Check(Architecture(SequenceTask.MulticlassClassification, cell, layers, bidirectional, pooling, SequenceInputKind.Keys),
            steps: 6, ShortLengths, OnnxElementType.UInt32, 1e-5f);

    [Theory]
    [InlineData(SequenceCellType.Lstm, SequencePooling.Max)]
    [InlineData(SequenceCellType.Gru, SequencePooling.Last)]
    [InlineData(SequenceCellType.Lstm, SequencePooling.Mean)]
    [InlineData(SequenceCellType.Rnn, SequencePooling.Max)]
    public void Many_to_one_on_floats_matches_the_engine(SequenceCellType cell, SequencePooling pooling)
        => Check(Architecture(SequenceTask.BinaryClassification, cell, 2, true, pooling, SequenceInputKind.Floats),
            steps: 6, ShortLengths, OnnxElementType.UInt32, 1e-5f);

    [Theory]
    [InlineData(SequenceCellType.Lstm, false, SequenceInputKind.Keys)]
    [InlineData(SequenceCellType.Lstm, true, SequenceInputKind.Keys)]
    [InlineData(SequenceCellType.Gru, false, SequenceInputKind.Floats)]
    [InlineData(SequenceCellType.Gru, true, SequenceInputKind.Floats)]
    [InlineData(SequenceCellType.Rnn, true, SequenceInputKind.Keys)]
    public void Tagging_matches_the_engine_at_every_step(SequenceCellType cell, bool bidirectional, SequenceInputKind input)
        => Check(Architecture(SequenceTask.Tagging, cell, 2, bidirectional, SequencePooling.Last, input),
            steps: 6, ShortLengths, OnnxElementType.UInt32, 1e-5f);

    [Theory]
    [InlineData(OnnxElementType.Int64, OnnxElementType.Int64)]
    [InlineData(OnnxElementType.Float, OnnxElementType.Float)]
    [InlineData(OnnxElementType.UInt32, OnnxElementType.UInt32)]
    public void Token_and_length_types_are_cast_inside_the_graph(OnnxElementType tokenType, OnnxElementType lengthType)
        => Check(Architecture(SequenceTask.MulticlassClassification, SequenceCellType.Gru, 1, true, SequencePooling.Mean, SequenceInputKind.Keys),
            steps: 6, ShortLengths, tokenType, 1e-5f, lengthType);

    [Theory]
    [InlineData(SequenceCellType.Lstm, SequencePooling.Last)]
    [InlineData(SequenceCellType.Gru, SequencePooling.Max)]
    public void Long_sequences_match_within_1e4(SequenceCellType cell, SequencePooling pooling)
        => Check(Architecture(SequenceTask.MulticlassClassification, cell, 2, true, pooling, SequenceInputKind.Keys),
            steps: 60, [60, 33, 57], OnnxElementType.UInt32, 1e-4f);

    [Fact]
    public void The_model_keeps_pytorch_names_and_the_metadata_given()
    {
        var network = new SequenceNetwork(Architecture(SequenceTask.MulticlassClassification, SequenceCellType.Lstm, 2, true, SequencePooling.Last, SequenceInputKind.Keys), new RandomSource(1));
        byte[] bytes = SequenceNetworkOnnx.Export(network, new SequenceNetworkOnnxOptions(5), new Dictionary<string, string> { ["mlnetext.model"] = "sequence" });
        var model = ModelProto.Parser.ParseFrom(bytes);
        var initializers = model.Graph.Initializer.Select(i => i.Name).ToList();
        initializers.Should().Contain(network.StateDict().Select(p => p.Key));
        initializers.Should().Contain(["embedding.weight", "rnn.weight_ih_l0", "rnn.weight_hh_l1_reverse", "rnn.bias_ih_l1", "head.weight", "head.bias"]);
        model.MetadataProps.Should().ContainSingle(p => p.Key == "mlnetext.model" && p.Value == "sequence");
        model.Graph.Input.Select(i => i.Name).Should().Equal("tokens", "lengths");
        model.Graph.Output.Should().ContainSingle().Which.Name.Should().Be("logits");
        model.Graph.Input[0].Type.TensorType.ElemType.Should().Be((int)TensorProto.Types.DataType.Uint32);
        model.Graph.Input[0].Type.TensorType.Shape.Dim.Select(d => d.ToString()).Should().Equal(
            new TensorShapeProto.Types.Dimension { DimParam = "N" }.ToString(), new TensorShapeProto.Types.Dimension { DimValue = 5 }.ToString());
        model.ToByteArray().Should().Equal(bytes);
    }

    private static SequenceArchitecture Architecture(SequenceTask task, SequenceCellType cell, int layers, bool bidirectional,
        SequencePooling pooling, SequenceInputKind input) => new()
        {
            Task = task,
            Cell = cell,
            InputKind = input,
            VocabularySize = 12,
            EmbeddingDimension = 4,
            StepSize = 3,
            HiddenSize = 5,
            NumberOfLayers = layers,
            Bidirectional = bidirectional,
            Dropout = 0.25f,
            Pooling = pooling,
            OutputCount = task == SequenceTask.BinaryClassification ? 1 : 3,
        };

    private static void Check(SequenceArchitecture architecture, int steps, int[] lengths, OnnxElementType tokenType, float tolerance,
        OnnxElementType lengthType = OnnxElementType.Int32)
    {
        architecture.Problem().Should().BeNull();
        var random = new RandomSource(7);
        var network = new SequenceNetwork(architecture, random);
        network.Eval();
        int batch = lengths.Length, width = architecture.PackedStepWidth;
        // Packed rows [B, 1 + T·W]; padded steps hold real values too (ids and floats), which must not leak into the result.
        var packed = new Tensor(batch, 1 + steps * width);
        var values = new float[batch * steps * width];
        if (architecture.InputKind == SequenceInputKind.Keys)
            for (int i = 0; i < values.Length; i++) values[i] = 1 + (int)(random.NextSingle() * (architecture.VocabularySize - 1));
        else
            random.FillUniform(values, -2f, 2f);
        for (int b = 0; b < batch; b++)
        {
            packed.Span[b * (1 + steps * width)] = lengths[b];
            values.AsSpan(b * steps * width, steps * width).CopyTo(packed.Span.Slice(b * (1 + steps * width) + 1));
        }
        var expected = network.Forward(packed);

        var options = new SequenceNetworkOnnxOptions(steps) { TokenType = tokenType, LengthType = lengthType };
        byte[] model = SequenceNetworkOnnx.Export(network, options);
        (string, object, int[]) sequenceFeed = architecture.InputKind == SequenceInputKind.Keys
            ? (options.TokensName, Convert(values, tokenType), [batch, steps])
            : (options.StepsName, values, [batch, steps, width]);
        var (actual, shape) = Run(model, sequenceFeed, (options.LengthsName, Convert(lengths.Select(l => (float)l).ToArray(), lengthType), [batch]))[0];
        shape.Should().Equal(architecture.Task == SequenceTask.Tagging ? [batch, steps, architecture.OutputCount] : [batch, architecture.OutputCount]);
        ShouldMatch(actual, expected.Span, tolerance, "logits");
    }

    private static object Convert(float[] values, OnnxElementType type) => type switch
    {
        OnnxElementType.UInt32 => values.Select(v => (uint)v).ToArray(),
        OnnxElementType.Int64 => values.Select(v => (long)v).ToArray(),
        OnnxElementType.Int32 => values.Select(v => (int)v).ToArray(),
        _ => values,
    };
}
