// Three spirals, Model Builder style: load the points shipped in samples/data with ML.NET's text loader, map the
// spiral to a key and the coordinates to a feature vector, train MLNetExt's multi-layer perceptron (Adam, cosine
// schedule, early stopping on a validation split), print ML.NET's multiclass metrics on a held-out split, then save
// the model as an ML.NET model zip, reload it with plain ml.Model.Load and predict single points with a PredictionEngine.
using Microsoft.ML;
using MLNetExt.Estimators.Mlp;
using MLNetExt.Samples.MlpClassification;
using MLNetExt.Trainers.DeepLearning;

string dataPath = args.Length > 0 ? args[0] : Path.Combine(AppContext.BaseDirectory, "data", "spirals.csv");
if (!File.Exists(dataPath))
{
    Console.Error.WriteLine($"error: {dataPath} does not exist.");
    return 1;
}

var ml = new MLContext(seed: 42);
var data = ml.Data.LoadFromTextFile<SpiralPoint>(dataPath, separatorChar: ',', hasHeader: true);
var split = ml.Data.TrainTestSplit(data, testFraction: 0.2, seed: 42);

var pipeline = ml.Transforms.Conversion.MapValueToKey("SpiralKey", nameof(SpiralPoint.Label))
    .Append(ml.Transforms.Concatenate("Features", nameof(SpiralPoint.X), nameof(SpiralPoint.Y)))
    .Append(ml.MulticlassClassification.Trainers.Mlp(new MlpMulticlassTrainer.Options
    {
        LabelColumnName = "SpiralKey",
        HiddenLayers = [64, 64],
        NumberOfEpochs = 200,
        LearningRate = 0.01,
        LearningRateSchedule = LearningRateSchedule.Cosine,
        BatchSize = 32,
        ValidationFraction = 0.125,
        EarlyStoppingPatience = 25,
        Seed = 42,
        Progress = new EpochPrinter(),
    }))
    .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedSpiral", "PredictedLabel"));

Console.WriteLine("Training a 2 -> 64 -> 64 -> 3 MLP on the three spirals...");
var model = pipeline.Fit(split.TrainSet);
var metrics = ml.MulticlassClassification.Evaluate(model.Transform(split.TestSet), labelColumnName: "SpiralKey");
Console.WriteLine($"Test: MicroAccuracy {metrics.MicroAccuracy:F3}, MacroAccuracy {metrics.MacroAccuracy:F3}, LogLoss {metrics.LogLoss:F4}, LogLossReduction {metrics.LogLossReduction:F3}");
Console.WriteLine(metrics.ConfusionMatrix.GetFormattedConfusionTable());

string modelPath = Path.Combine(Path.GetTempPath(), $"mlnetext-spirals-{Environment.ProcessId}.zip");
try
{
    ml.Model.Save(model, data.Schema, modelPath);
    var loaded = ml.Model.Load(modelPath, out _);
    Console.WriteLine($"Saved the model ({new FileInfo(modelPath).Length} bytes) and reloaded it.");

    var engine = ml.Model.CreatePredictionEngine<SpiralPoint, SpiralPrediction>(loaded);
    foreach (var point in new[] { new SpiralPoint { X = 0.5f, Y = 0.1f }, new SpiralPoint { X = -0.4f, Y = -0.3f }, new SpiralPoint { X = 0.05f, Y = 0.6f } })
    {
        var prediction = engine.Predict(point);
        Console.WriteLine($"({point.X,5:F2}, {point.Y,5:F2}) -> spiral {prediction.Spiral}  scores [{string.Join(", ", prediction.Score.Select(s => s.ToString("F3")))}]");
    }
}
finally
{
    File.Delete(modelPath);
}
return 0;
