// Server telemetry anomalies, Model Builder style: load five-minute readings of a web server shipped in samples/data
// with ML.NET's text loader, concatenate the six measurements into a feature vector, train MLNetExt's autoencoder
// anomaly detector on the training split without its label, evaluate it on the test split with ML.NET's anomaly
// evaluator beside ML.NET's own RandomizedPca on the same split, show which features make the most anomalous test
// reading stand out, save the model as an ML.NET model zip, reload it with plain ml.Model.Load and score single
// readings with a PredictionEngine, and draw the test scores of normal and anomalous readings as a PNG histogram.
using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetExt.Estimators.Autoencoders;
using MLNetExt.Samples.AnomalyDetection;
using MLNetExt.Trainers.Mlp;

string dataPath = args.Length > 0 ? args[0] : Path.Combine(AppContext.BaseDirectory, "data", "telemetry.csv");
string outputDirectory = args.Length > 1 ? args[1] : Path.Combine(AppContext.BaseDirectory, "output");
if (!File.Exists(dataPath))
{
    Console.Error.WriteLine($"error: {dataPath} does not exist.");
    return 1;
}
Directory.CreateDirectory(outputDirectory);

const double Contamination = 0.04;   // the share of incidents expected in the training data: it sets the threshold
const int FalsePositives = 10;       // the detection rate is read at this many false alarms on the test split

var ml = new MLContext(seed: 1);
var data = ml.Data.LoadFromTextFile<ServerReading>(dataPath, separatorChar: ',', hasHeader: true);
var split = ml.Data.TrainTestSplit(data, testFraction: 0.3, seed: 1);
// The detectors learn what normal looks like from unlabeled readings: the label leaves the training data here.
var trainWithoutLabel = ml.Transforms.DropColumns(nameof(ServerReading.Label)).Fit(split.TrainSet).Transform(split.TrainSet);

var autoencoderPipeline = ml.Transforms.Concatenate("Features", ServerReading.FeatureColumns)
    .Append(ml.AnomalyDetection.Trainers.Autoencoder(new AutoencoderTrainer.Options
    {
        HiddenLayers = [16, 8],
        CodeSize = 2,
        Activation = MlpActivation.Tanh,   // the default; ReLU can switch a unit of so narrow a code off for good
        DropoutRate = 0f,                  // the default 0.3 suits the default 64/32 widths; it starves a 2-unit code
        Contamination = Contamination,
        NumberOfEpochs = 150,
        LearningRate = 0.005,
        BatchSize = 32,
        EarlyStoppingPatience = 20,
        Seed = 1,
        Progress = new EpochPrinter(),
    }));

// ML.NET's own detector on the same split: PCA over standardized features, the same code size as the autoencoder.
var pcaPipeline = ml.Transforms.Concatenate("Features", ServerReading.FeatureColumns)
    .Append(ml.Transforms.NormalizeMeanVariance("Features"))
    .Append(ml.AnomalyDetection.Trainers.RandomizedPca("Features", rank: 2, ensureZeroMean: true, seed: 1));

Console.WriteLine("Training a 6 -> 16 -> 8 -> 2 -> 8 -> 16 -> 6 autoencoder on the unlabeled training readings...");
var clock = Stopwatch.StartNew();
var model = autoencoderPipeline.Fit(trainWithoutLabel);
var detector = model.LastTransformer;
Console.WriteLine($"Trained in {clock.Elapsed.TotalSeconds:F1} s ({detector.TrainingResult?.EpochsCompleted} epochs, best {detector.TrainingResult?.BestEpoch}); " +
    $"threshold {detector.Threshold:G4} (the {100 * (1 - Contamination):F0}% quantile of the training scores).");
clock.Restart();
var pcaModel = pcaPipeline.Fit(trainWithoutLabel);
Console.WriteLine($"Trained RandomizedPca (rank 2) in {clock.Elapsed.TotalSeconds:F1} s.");

var scored = model.Transform(split.TestSet);
var metrics = ml.AnomalyDetection.Evaluate(scored, nameof(ServerReading.Label), falsePositiveCount: FalsePositives);
var pcaMetrics = ml.AnomalyDetection.Evaluate(pcaModel.Transform(split.TestSet), nameof(ServerReading.Label), falsePositiveCount: FalsePositives);
Console.WriteLine();
Console.WriteLine($"Test split, ML.NET's AnomalyDetection.Evaluate ({FalsePositives} false positives for the detection rate):");
Console.WriteLine($"  {"detector",-26} {"AreaUnderRocCurve",17} {"DetectionRateAtFalsePositiveCount",34}");
Console.WriteLine($"  {"Autoencoder (MLNetExt)",-26} {metrics.AreaUnderRocCurve,17:F3} {metrics.DetectionRateAtFalsePositiveCount,34:F3}");
Console.WriteLine($"  {"RandomizedPca (ML.NET)",-26} {pcaMetrics.AreaUnderRocCurve,17:F3} {pcaMetrics.DetectionRateAtFalsePositiveCount,34:F3}");

var test = ml.Data.CreateEnumerable<ServerReading>(split.TestSet, reuseRowObject: false).ToList();
var scores = scored.GetColumn<float>("Score").ToArray();
var flagged = scored.GetColumn<bool>("PredictedLabel").ToArray();
var errors = scored.GetColumn<float[]>("ReconstructionErrors").ToArray();
int anomalies = test.Count(r => r.Label == 1), caught = test.Where((r, i) => r.Label == 1 && flagged[i]).Count(), falseAlarms = test.Where((r, i) => r.Label == 0 && flagged[i]).Count();
Console.WriteLine($"At the model's threshold: {caught} of {anomalies} incidents flagged, {falseAlarms} false alarms among {test.Count - anomalies} normal readings.");

// Which measurements the autoencoder could not explain in the most anomalous test reading.
int worst = Array.IndexOf(scores, scores.Max());
var values = test[worst].Values();
Console.WriteLine();
Console.WriteLine($"Most anomalous test reading: score {scores[worst]:G4} ({(test[worst].Label == 1 ? "a labelled incident" : "labelled normal")}); its top features by reconstruction error:");
foreach (int f in Enumerable.Range(0, values.Length).OrderByDescending(f => errors[worst][f]).Take(3))
    Console.WriteLine($"  {ServerReading.FeatureColumns[f],-20} value {values[f],8:F1}  error {errors[worst][f],8:F3}  ({100 * errors[worst][f] / errors[worst].Sum():F0}% of the row's error)");

string modelPath = Path.Combine(outputDirectory, "telemetry-autoencoder.zip");
ml.Model.Save(model, data.Schema, modelPath);
var loaded = ml.Model.Load(modelPath, out _);
Console.WriteLine();
Console.WriteLine($"Saved the model to {modelPath} ({new FileInfo(modelPath).Length} bytes) and reloaded it with ml.Model.Load.");

var engine = ml.Model.CreatePredictionEngine<ServerReading, AnomalyPrediction>(loaded);
var readings = new (string Story, ServerReading Reading)[]
{
    ("a busy evening", new() { RequestsPerSecond = 820, CpuPercent = 86, MemoryPercent = 75, LatencyMs = 72, NetworkOutMbps = 93, DiskReadsPerSecond = 420 }),
    ("a quiet night", new() { RequestsPerSecond = 160, CpuPercent = 26, MemoryPercent = 76, LatencyMs = 22, NetworkOutMbps = 21, DiskReadsPerSecond = 100 }),
    ("runaway process", new() { RequestsPerSecond = 160, CpuPercent = 85, MemoryPercent = 76, LatencyMs = 22, NetworkOutMbps = 21, DiskReadsPerSecond = 100 }),
    ("exfiltration", new() { RequestsPerSecond = 300, CpuPercent = 46, MemoryPercent = 74, LatencyMs = 25, NetworkOutMbps = 95, DiskReadsPerSecond = 200 }),
};
foreach (var (story, reading) in readings)
{
    var prediction = engine.Predict(reading);
    Console.WriteLine($"{story,-16} -> {(prediction.PredictedLabel ? "ANOMALY" : "normal"),-7}  score {prediction.Score,8:G4}  " +
        $"worst feature {ServerReading.FeatureColumns[Array.IndexOf(prediction.ReconstructionErrors, prediction.ReconstructionErrors.Max())]}");
}

string picturePath = Path.Combine(outputDirectory, "test-scores.png");
ScoreHistogram.Save(picturePath,
    scores.Where((_, i) => test[i].Label == 0).ToList(),
    scores.Where((_, i) => test[i].Label == 1).ToList(),
    detector.Threshold,
    $"Autoencoder scores on the test split (AUC {metrics.AreaUnderRocCurve:F3})");
Console.WriteLine();
Console.WriteLine($"Wrote the histogram of the test scores to {picturePath}");
return 0;
