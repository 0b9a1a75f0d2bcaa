// Sentiment where word order matters, Model Builder style: load the reviews shipped in samples/data with ML.NET's text
// loader, tokenize them into word keys with ML.NET's own text transforms, train MLNetExt's LSTM classifier (last-state
// pooling over each review's own length), print ML.NET's binary metrics on a held-out split, save the model as an
// ML.NET model zip, reload it with plain ml.Model.Load, and score single reviews whose bag of words is the same but
// whose order differs.
using Microsoft.ML;
using MLNetExt.Estimators.Sequence;
using MLNetExt.Samples.SequenceClassification;

string dataPath = args.Length > 0 ? args[0] : Path.Combine(AppContext.BaseDirectory, "data", "sentiment.tsv");
if (!File.Exists(dataPath))
{
    Console.Error.WriteLine($"error: {dataPath} does not exist.");
    return 1;
}

var ml = new MLContext(seed: 1);
var data = ml.Data.LoadFromTextFile<Review>(dataPath, hasHeader: true);
var split = ml.Data.TrainTestSplit(data, testFraction: 0.2, seed: 1);

var pipeline = ml.Transforms.Text.TokenizeIntoWords("Words", nameof(Review.Text))
    .Append(ml.Transforms.Conversion.MapValueToKey("Features", "Words"))
    .Append(ml.BinaryClassification.Trainers.Lstm(new SequenceBinaryTrainer.Options
    {
        HiddenSize = 32,
        EmbeddingDimension = 16,
        NumberOfEpochs = 15,
        LearningRate = 0.01,
        Seed = 7,
        Progress = new EpochPrinter(),
    }));

Console.WriteLine("Training an LSTM sentiment classifier...");
var model = pipeline.Fit(split.TrainSet);
var metrics = ml.BinaryClassification.Evaluate(model.Transform(split.TestSet), nameof(Review.Label));
Console.WriteLine($"Test: Accuracy {metrics.Accuracy:F3}, AreaUnderRocCurve {metrics.AreaUnderRocCurve:F3}, F1Score {metrics.F1Score:F3}, LogLoss {metrics.LogLoss:F4}");
Console.WriteLine(metrics.ConfusionMatrix.GetFormattedConfusionTable());

string modelPath = Path.Combine(Path.GetTempPath(), $"mlnetext-sentiment-{Environment.ProcessId}.zip");
ITransformer loaded;
try
{
    ml.Model.Save(model, data.Schema, modelPath);
    loaded = ml.Model.Load(modelPath, out _);
    Console.WriteLine($"Saved the model ({new FileInfo(modelPath).Length} bytes) and reloaded it.");
}
finally
{
    File.Delete(modelPath);
}

var engine = ml.Model.CreatePredictionEngine<Review, SentimentPrediction>(loaded);
string[] samples =
[
    "the food was not good but the wine was bad and the staff was nice",
    "the food was good but the wine was not bad and the staff was nice",
    "completely lacking in good taste , good service , and good ambience",
    "completely full of good taste , good service , and good ambience",
];
foreach (string text in samples)
{
    var prediction = engine.Predict(new Review { Text = text });
    Console.WriteLine($"{(prediction.PredictedLabel ? "positive" : "negative"),-8} ({prediction.Probability:F3})  {text}");
}
return 0;
