using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MLNetExt.Estimators.Autoencoders;
using MLNetExt.PlainMLNet.Consumer;
using MLNetExt.Trainers.Autoencoders;
using MLNetExt.Trainers.Mlp;
using static MLNetExt.Estimators.Tests.Mlp.MlpData;
using static MLNetExt.Estimators.Tests.Sequence.SequenceData;

namespace MLNetExt.Estimators.Tests;

/// <summary>
/// The issue's acceptance test: a model trained and saved with MLNetExt loads and scores in a separate process that
/// references only Microsoft.ML, Microsoft.ML.OnnxTransformer and ONNX Runtime (test/MLNetExt.PlainMLNet.Consumer),
/// and its outputs match the in-process model's within 1e-5 relative.
/// </summary>
/// <remarks>
/// Data-driven: each entry of <see cref="Pipelines"/> is a pipeline of ML.NET's own transforms and an MLNetExt
/// trainer, its training rows and the rows to score. A new savable model is one more entry.
/// </remarks>
public sealed class PlainMLNetConsumerTests : IDisposable
{
    private const double RelativeTolerance = 1e-5;

    // Float32 networks evaluated by two runtimes agree to a few ulps of the values they sum, not of a result near
    // zero; below this size a difference is compared absolutely.
    private const double AbsoluteFloor = 1e-6;

    private readonly string _folder = Directory.CreateTempSubdirectory("mlnetext-plain-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    public sealed class PointRow
    {
        public bool Label;

        public float X;

        public float Y;
    }

    /// <summary>A pipeline to save: how to build it, the rows it is trained on, the rows the two processes score, and the columns printed.</summary>
    public sealed record SavedPipeline(
        Func<MLContext, IEstimator<ITransformer>> Build,
        Func<MLContext, IDataView> Train,
        Func<MLContext, IDataView> Score,
        string[] Columns);

    private static IDataView Points(MLContext ml, int count, ulong seed) =>
        ml.Data.LoadFromEnumerable(Xor(count, seed).Select(r => new PointRow { Label = r.Label, X = r.Features[0] * 50, Y = r.Features[1] + 3 }));

    private static readonly Dictionary<string, SavedPipeline> Cases = new()
    {
        ["binary MLP after concatenate and min-max normalization"] = new(
            ml => ml.Transforms.Concatenate("Features", "X", "Y")
                .Append(ml.Transforms.NormalizeMinMax("Features"))
                .Append(ml.BinaryClassification.Trainers.Mlp(new MlpBinaryTrainer.Options { HiddenLayers = [16, 16], NumberOfEpochs = 30, Seed = 3 })),
            ml => Points(ml, 300, 1),
            ml => Points(ml, 60, 2),
            ["Score", "Probability", "PredictedLabel"]),
        ["multiclass MLP on text labels through MapValueToKey"] = new(
            ml => ml.Transforms.Conversion.MapValueToKey("Label")
                .Append(ml.MulticlassClassification.Trainers.Mlp(new MlpMulticlassTrainer.Options
                {
                    HiddenLayers = [32], NumberOfEpochs = 40, LearningRate = 0.02, Seed = 11, Activation = MlpActivation.Tanh,
                })),
            ml => ml.Data.LoadFromEnumerable(Spirals(80, 5)),
            ml => ml.Data.LoadFromEnumerable(Spirals(20, 6)),
            ["Score", "PredictedLabel"]),
        ["regression MLP after mean-variance normalization"] = new(
            ml => ml.Transforms.NormalizeMeanVariance("Features")
                .Append(ml.Regression.Trainers.Mlp(new MlpRegressionTrainer.Options { HiddenLayers = [16], NumberOfEpochs = 30, Seed = 5 })),
            ml => ml.Data.LoadFromEnumerable(Surface(300, 1)),
            ml => ml.Data.LoadFromEnumerable(Surface(60, 2)),
            ["Score"]),
        ["autoencoder anomaly detector after concatenate and mean-variance normalization"] = new(
            ml => ml.Transforms.Concatenate("Features", "X", "Y")
                .Append(ml.Transforms.NormalizeMeanVariance("Features"))
                .Append(ml.AnomalyDetection.Trainers.Autoencoder(new AutoencoderTrainer.Options
                {
                    Kind = AutoencoderKind.Variational, HiddenLayers = [8], CodeSize = 1, NumberOfEpochs = 10, Seed = 3,
                })),
            ml => Points(ml, 300, 1),
            ml => Points(ml, 60, 2),
            ["Score", "PredictedLabel"]),
        ["binary LSTM over ML.NET tokens, keys and padding"] = new(
            ml => ml.Transforms.Text.TokenizeIntoWords("Tokens", "Text")
                .Append(ml.Transforms.Conversion.MapValueToKey("Keys", "Tokens"))
                .Append(ml.Transforms.PadSequence("Features", "Keys", 24))
                .Append(ml.BinaryClassification.Trainers.Lstm(new SequenceBinaryTrainer.Options
                {
                    HiddenSize = 16, EmbeddingDimension = 8, NumberOfEpochs = 3, LearningRate = 0.01, Seed = 7,
                })),
            ml => ml.Data.LoadFromEnumerable(Sentiment()[..400]),
            // Rows the model never saw, so some tokens are out of its vocabulary.
            ml => ml.Data.LoadFromEnumerable(Sentiment()[1200..1260]),
            ["Score", "Probability", "PredictedLabel"]),
        ["YOLOv8 decoder after ApplyOnnxModel"] = new(
            ml => ml.Transforms.ApplyOnnxModel("output0", "Raw", Detection.YoloHeads.PassThroughModel([1, 7, 6], "output0"))
                .Append(ml.Transforms.DecodeYolo("output0", ["cat", "dog", "bird"])),
            ml => Detection.YoloHeads.Rows(ml, [1, 7, 6], new Detection.YoloHeads.HeadRow { Raw = Detection.YoloHeads.YoloV8() }),
            ml => Detection.YoloHeads.Rows(ml, [1, 7, 6], new Detection.YoloHeads.HeadRow { Raw = Detection.YoloHeads.YoloV8() },
                new Detection.YoloHeads.HeadRow { Raw = Detection.YoloHeads.YoloV8(scale: 0.1f) }),
            ["Score", "PredictedLabel"]),
    };

    public static TheoryData<string> Pipelines => new(Cases.Keys);

    private static string ConsumerPath { get; } = typeof(PlainMLNetConsumerTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "PlainMLNetConsumer").Value!;

    [Theory]
    [MemberData(nameof(Pipelines))]
    public void Saved_model_scores_the_same_in_a_process_with_only_ML_NET(string pipeline)
    {
        var ml = new MLContext(1);
        var saved = Cases[pipeline];
        var train = saved.Train(ml);
        var model = saved.Build(ml).Fit(train);
        string modelPath = Path.Combine(_folder, "model.zip");
        ml.Model.Save(model, train.Schema, modelPath);
        var rows = saved.Score(ml);
        string rowsPath = Path.Combine(_folder, "rows.tsv");
        File.WriteAllText(rowsPath, Tsv(rows));

        var scored = model.Transform(rows);
        ScoredRows.ScorerColumnsOf(scored.Schema).Should().Equal(saved.Columns);
        var expected = new StringWriter();
        ScoredRows.WriteJsonLines(ml, scored, saved.Columns, expected);

        var (exitCode, output, error) = RunConsumer(modelPath, rowsPath);

        exitCode.Should().Be(0, error);
        string[] expectedLines = Lines(expected.ToString()), actualLines = Lines(output);
        actualLines.Should().HaveCount(expectedLines.Length);
        for (int i = 0; i < expectedLines.Length; i++)
            AssertSame(JsonNode.Parse(expectedLines[i]), JsonNode.Parse(actualLines[i]), $"row {i}");
    }

    [Fact]
    public void Multiclass_predicted_label_is_printed_as_the_label_text()
    {
        var ml = new MLContext(1);
        var saved = Cases["multiclass MLP on text labels through MapValueToKey"];
        var train = saved.Train(ml);
        string modelPath = Path.Combine(_folder, "model.zip");
        ml.Model.Save(saved.Build(ml).Fit(train), train.Schema, modelPath);
        string rowsPath = Path.Combine(_folder, "rows.tsv");
        File.WriteAllText(rowsPath, Tsv(saved.Score(ml)));

        var (exitCode, output, error) = RunConsumer(modelPath, rowsPath, "PredictedLabel");

        exitCode.Should().Be(0, error);
        var labels = Lines(output).Select(line => JsonNode.Parse(line)!["PredictedLabel"]!.GetValue<string>()).ToList();
        labels.Should().HaveCount(60).And.BeSubsetOf(["red", "green", "blue"]);
        labels.Distinct().Should().HaveCountGreaterThan(1, "a trained classifier does not give every spiral point one class");
    }

    [Fact]
    public void Consumer_has_no_MLNetExt_assembly()
    {
        string folder = Path.GetDirectoryName(ConsumerPath)!;
        Directory.GetFiles(folder, "MLNetExt.*.dll").Select(Path.GetFileName).Should().Equal("MLNetExt.PlainMLNet.Consumer.dll");
        string dependencies = File.ReadAllText(Path.Combine(folder, "MLNetExt.PlainMLNet.Consumer.deps.json"));
        dependencies.Should().NotContain("MLNetExt.Core").And.NotContain("MLNetExt.Transforms").And.NotContain("MLNetExt.Estimators")
            .And.Contain("Microsoft.ML.OnnxTransformer");
    }

    [Fact]
    public void Consumer_reports_a_header_that_does_not_match_the_model_input()
    {
        var ml = new MLContext(1);
        var saved = Cases["regression MLP after mean-variance normalization"];
        var train = saved.Train(ml);
        string modelPath = Path.Combine(_folder, "model.zip");
        ml.Model.Save(saved.Build(ml).Fit(train), train.Schema, modelPath);
        string rowsPath = Path.Combine(_folder, "rows.tsv");
        File.WriteAllLines(rowsPath, ["Label\tFeatures", "1\t0.5"]);

        var (exitCode, _, error) = RunConsumer(modelPath, rowsPath);

        exitCode.Should().Be(1);
        error.Should().Contain("Label\tFeatures.0\tFeatures.1");
    }

    /// <summary>Compares two printed rows: the same keys and shapes, equal text and Booleans, numbers within the tolerance.</summary>
    private static void AssertSame(JsonNode? expected, JsonNode? actual, string path)
    {
        switch (expected)
        {
            case JsonObject expectedObject:
                var actualObject = actual.Should().BeOfType<JsonObject>().Subject;
                actualObject.Select(p => p.Key).Should().Equal(expectedObject.Select(p => p.Key), path);
                foreach (var (key, value) in expectedObject)
                    AssertSame(value, actualObject[key], $"{path}.{key}");
                break;
            case JsonArray expectedArray:
                var actualArray = actual.Should().BeOfType<JsonArray>().Subject;
                actualArray.Should().HaveCount(expectedArray.Count, path);
                for (int i = 0; i < expectedArray.Count; i++)
                    AssertSame(expectedArray[i], actualArray[i], $"{path}[{i}]");
                break;
            case JsonValue expectedValue when expectedValue.GetValueKind() == JsonValueKind.Number:
                double e = expectedValue.GetValue<double>(), a = actual!.GetValue<double>();
                Math.Abs(e - a).Should().BeLessThanOrEqualTo(Math.Max(AbsoluteFloor, RelativeTolerance * Math.Max(Math.Abs(e), Math.Abs(a))),
                    $"{path}: the in-process model gives {e}, plain ML.NET gives {a}");
                break;
            default:
                actual?.ToJsonString().Should().Be(expected?.ToJsonString(), path);
                break;
        }
    }

    private static (int ExitCode, string Output, string Error) RunConsumer(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(ConsumerPath);
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the consumer did not finish within 2 minutes. Output so far:\n{output}");
        }
        return (process.ExitCode, output, error.Result);
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The rows as the consumer reads them: a header naming each scalar and vector slot, then one line per row, floats round-trippable.</summary>
    private static string Tsv(IDataView rows)
    {
        var columns = rows.Schema.Where(c => !c.IsHidden).ToArray();
        var text = new StringBuilder();
        text.AppendJoin('\t', columns.SelectMany(c => c.Type is VectorDataViewType v ? Enumerable.Range(0, v.Size).Select(i => $"{c.Name}.{i}") : [c.Name]))
            .Append('\n');
        using var cursor = rows.GetRowCursor(columns);
        var getters = columns.Select(c => Fields(cursor, c)).ToArray();
        while (cursor.MoveNext())
            text.AppendJoin('\t', getters.SelectMany(g => g())).Append('\n');
        return text.ToString();
    }

    private static Func<IEnumerable<string>> Fields(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        static string Format(object value) => value switch
        {
            float f => f.ToString("R", CultureInfo.InvariantCulture),
            bool b => b ? "true" : "false",
            _ => value.ToString()!,
        };
        return column.Type switch
        {
            VectorDataViewType { ItemType: NumberDataViewType n } when n == NumberDataViewType.Single => Vector(cursor.GetGetter<VBuffer<float>>(column)),
            NumberDataViewType n when n == NumberDataViewType.Single => Scalar(cursor.GetGetter<float>(column)),
            BooleanDataViewType => Scalar(cursor.GetGetter<bool>(column)),
            TextDataViewType => Scalar(cursor.GetGetter<ReadOnlyMemory<char>>(column)),
            _ => throw new NotSupportedException($"the test writes no {column.Type} column"),
        };

        static Func<IEnumerable<string>> Scalar<T>(ValueGetter<T> getter) => () =>
        {
            T value = default!;
            getter(ref value);
            return [Format(value!)];
        };

        static Func<IEnumerable<string>> Vector<T>(ValueGetter<VBuffer<T>> getter) => () =>
        {
            VBuffer<T> value = default;
            getter(ref value);
            return [.. value.DenseValues().Select(v => Format(v!))];
        };
    }
}
