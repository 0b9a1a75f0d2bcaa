// Sentiment where word order matters, Model Builder style: load the reviews shipped in samples/data, tokenize them into
// word keys, train an LSTM classifier (last-state pooling over each review's own length), evaluate on a held-out
// split, save and reload the model, and score single reviews whose bag of words is the same but whose order differs.
using MLNetExt.Data;
using MLNetExt.Samples.SequenceClassification;
using MLNetExt.Trainers.Sequence;

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
Console.WriteLine($"Test accuracy {metrics.Accuracy:F3}, AUC {metrics.AreaUnderRocCurve:F3}, F1 {metrics.F1Score:F3}");

string modelPath = Path.Combine(Path.GetTempPath(), $"mlnetext-sentiment-{Environment.ProcessId}.zip");
ml.Model.Save(model, data.Schema, modelPath);
var loaded = ml.Model.Load(modelPath, out _);
File.Delete(modelPath);

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
