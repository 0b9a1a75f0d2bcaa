using FluentAssertions;
using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace MLNetExt.Estimators.Tests;

/// <summary>
/// The native transformers' scorer columns carry the annotations ML.NET's own scorers give them, the same before and
/// after a save through ONNX, so ML.NET's tools see one kind of column either way.
/// </summary>
public sealed class ScorerAnnotationTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"mlnetext-annotations-{Guid.NewGuid():N}.zip");

    public void Dispose() => File.Delete(_path);

    public static TheoryData<string> Tasks => new() { "binary", "multiclass", "regression" };

    [Theory]
    [MemberData(nameof(Tasks))]
    public void Scorer_columns_have_ml_nets_annotations_before_and_after_saving(string task)
    {
        var ml = new MLContext(9);
        var data = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 60).Select(i => new Row
        {
            Features = [i % 5, i % 3],
            Flag = i % 5 > 2,
            Kind = (i % 3).ToString(System.Globalization.CultureInfo.InvariantCulture),
            Value = i % 5 + 0.5f * (i % 3),
        }));
        IEstimator<ITransformer> pipeline = task switch
        {
            "binary" => ml.BinaryClassification.Trainers.Mlp(nameof(Row.Flag), hiddenLayers: [4], numberOfEpochs: 2),
            "multiclass" => ml.Transforms.Conversion.MapValueToKey("Label", nameof(Row.Kind))
                .Append(ml.MulticlassClassification.Trainers.Mlp("Label", hiddenLayers: [4], numberOfEpochs: 2)),
            _ => ml.Regression.Trainers.Mlp(nameof(Row.Value), hiddenLayers: [4], numberOfEpochs: 2),
        };
        var model = pipeline.Fit(data);
        ml.Model.Save(model, data.Schema, _path);
        var native = model.Transform(data).Schema;
        var loaded = new MLContext().Model.Load(_path, out _).Transform(data).Schema;

        string[] scorerColumns = task == "regression" ? ["Score"] : task == "binary" ? ["PredictedLabel", "Score", "Probability"] : ["PredictedLabel", "Score"];
        foreach (string column in scorerColumns)
        {
            var names = AnnotationNames(native[column]);
            names.Should().Contain("ScoreColumnKind", $"{column} is a scorer column");
            names.Should().Equal(AnnotationNames(loaded[column]), $"{column} must carry the same annotations natively and in the saved model");
            var kind = default(ReadOnlyMemory<char>);
            native[column].Annotations.GetValue("ScoreColumnKind", ref kind);
            kind.ToString().Should().Be(task == "binary" ? "BinaryClassification" : task == "multiclass" ? "MulticlassClassification" : "Regression");
        }
    }

    private static string[] AnnotationNames(DataViewSchema.Column column) => [.. column.Annotations.Schema.Select(a => a.Name).Order(StringComparer.Ordinal)];

    private sealed class Row
    {
        [VectorType(2)]
        public float[] Features { get; set; } = [];

        public bool Flag { get; set; }

        public string Kind { get; set; } = "";

        public float Value { get; set; }
    }
}
