// The package smoke test's console app (test/package-smoke.sh copies it into a fresh `dotnet new console` project
// that references MLNetExt.Estimators from the packed packages and Microsoft.ML from NuGet): trains an LSTM in a
// pipeline of ML.NET's own text transforms, saves it, reloads it with plain ml.Model.Load and predicts.
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetExt.Estimators.Sequence;

var ml = new MLContext(seed: 1);
string[] subjects = ["the film", "this movie", "the plot", "the acting", "the ending"];
var random = new Random(3);
var rows = Enumerable.Range(0, 400).Select(_ =>
{
    bool positive = random.Next(2) == 0;
    string word = positive ? (random.Next(2) == 0 ? "good" : "great") : (random.Next(2) == 0 ? "bad" : "awful");
    return new Review { Text = $"{subjects[random.Next(subjects.Length)]} was {word}", Label = positive };
}).ToList();
var data = ml.Data.LoadFromEnumerable(rows);

var pipeline = ml.Transforms.Text.TokenizeIntoWords("Tokens", "Text")
    .Append(ml.Transforms.Conversion.MapValueToKey("Keys", "Tokens"))
    .Append(ml.Transforms.PadSequence("Features", "Keys", 8))
    .Append(ml.BinaryClassification.Trainers.Lstm(new SequenceBinaryTrainer.Options
    {
        HiddenSize = 16, EmbeddingDimension = 8, NumberOfEpochs = 10, LearningRate = 0.02, Seed = 7,
    }));
var model = pipeline.Fit(data);
string path = Path.Combine(AppContext.BaseDirectory, "sentiment-lstm.zip");
ml.Model.Save(model, data.Schema, path);

var loaded = new MLContext(seed: 2).Model.Load(path, out _);
var trained = ml.Model.CreatePredictionEngine<Review, Prediction>(model);
var reloaded = ml.Model.CreatePredictionEngine<Review, Prediction>(loaded);
int failures = 0;
foreach (var (text, expected) in new[] { ("the film was great", true), ("the plot was awful", false) })
{
    var before = trained.Predict(new Review { Text = text });
    var after = reloaded.Predict(new Review { Text = text });
    bool same = Math.Abs(before.Score - after.Score) <= 1e-5 * Math.Max(1, Math.Abs(before.Score));
    Console.WriteLine($"prediction: '{text}' -> {after.PredictedLabel} (probability {after.Probability:F3}; score {after.Score} reloaded, {before.Score} trained)");
    if (after.PredictedLabel != expected || !same)
        failures++;
}
Console.WriteLine(failures == 0 ? "smoke: ok" : $"smoke: {failures} prediction(s) wrong or changed by the reload");
return failures == 0 ? 0 : 1;

/// <summary>A review: its text and whether it is positive.</summary>
public sealed class Review
{
    /// <summary>The review's text.</summary>
    public string Text { get; set; } = "";

    /// <summary>Whether the review is positive.</summary>
    public bool Label { get; set; }
}

/// <summary>ML.NET's binary scorer columns.</summary>
public sealed class Prediction
{
    /// <summary>Whether the model calls the review positive.</summary>
    public bool PredictedLabel { get; set; }

    /// <summary>The raw score (the logit).</summary>
    public float Score { get; set; }

    /// <summary>The calibrated probability of positive.</summary>
    public float Probability { get; set; }
}
