// Estimator-level figures for the move onto Microsoft.ML: an LSTM classifier (Embedding → LSTM → Linear, B=64,
// T=50, E=100, H=128, vocabulary 10,000, 2 classes) trained through ml.BinaryClassification.Trainers.Lstm on an
// IDataView, and single-row PredictionEngine latency on the trained model. Prints one line per figure:
//   train seq_per_s=… (rows × epochs / the time of Fit, data reading included)
//   predict median_us=… p90_us=… (each of 2,000 Predict calls timed alone, after 200 warm-up calls)
// and, after the migration, the same latency for the model saved and reloaded with plain ML.NET (through ONNX).
// An optional argument sets the engine's thread count.
using System.Diagnostics;
#if BEFORE_MIGRATION
using MLNetExt.Data;
#else
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetExt.Estimators.Sequence;
#endif
using MLNetExt.Trainers.Sequence;

const int Steps = 50, Vocabulary = 10_000, Rows = 2_048, Epochs = 2;
if (args.Length > 0)
    MLNetExt.Core.Engine.ThreadCount = int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture);
var random = new Random(12345);
var rows = new SequenceRow[Rows];
for (int i = 0; i < Rows; i++)
{
    var keys = new uint[Steps];
    for (int t = 0; t < Steps; t++)
        keys[t] = (uint)random.Next(1, Vocabulary + 1);
    rows[i] = new SequenceRow { Features = keys, Label = keys[0] % 2 == 0 };
}

var ml = new MLContext(1);
var data = ml.Data.LoadFromEnumerable(rows);
var trainer = ml.BinaryClassification.Trainers.Lstm(new SequenceBinaryTrainer.Options
{
    BatchSize = 64,
    EmbeddingDimension = 100,
    HiddenSize = 128,
    NumberOfEpochs = Epochs,
    Seed = 1,
});
ml.BinaryClassification.Trainers.Lstm(new SequenceBinaryTrainer.Options { BatchSize = 64, EmbeddingDimension = 100, HiddenSize = 128, NumberOfEpochs = 1, Seed = 1 })
    .Fit(ml.Data.LoadFromEnumerable(rows.Take(256)));  // warm-up: JIT and pools
var clock = Stopwatch.StartNew();
var model = trainer.Fit(data);
clock.Stop();
Console.WriteLine($"train seq_per_s={Rows * Epochs / clock.Elapsed.TotalSeconds:F0}");

Console.WriteLine($"predict {Latency(ml.Model.CreatePredictionEngine<SequenceRow, Prediction>(model))}");
#if !BEFORE_MIGRATION
string path = Path.Combine(Path.GetTempPath(), $"estimator-bench-{Environment.ProcessId}.zip");
try
{
    ml.Model.Save(model, data.Schema, path);
    var loaded = new MLContext().Model.Load(path, out _);
    Console.WriteLine($"predict-onnx {Latency(ml.Model.CreatePredictionEngine<SequenceRow, Prediction>(loaded))}");
}
finally
{
    File.Delete(path);
}
#endif

string Latency(PredictionEngine<SequenceRow, Prediction> engine)
{
    var prediction = new Prediction();
    for (int i = 0; i < 200; i++)
        engine.Predict(rows[i % Rows], ref prediction);
    var times = new double[2_000];
    for (int i = 0; i < times.Length; i++)
    {
        long start = Stopwatch.GetTimestamp();
        engine.Predict(rows[i % Rows], ref prediction);
        times[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
    }
    Array.Sort(times);
    return $"median_us={times[times.Length / 2]:F1} p90_us={times[times.Length * 9 / 10]:F1}";
}

/// <summary>One training row: 50 token keys and a Boolean label.</summary>
public sealed class SequenceRow
{
    [KeyType(10_000)]
    [VectorType(50)]
    public uint[] Features { get; set; } = [];

    public bool Label { get; set; }
}

/// <summary>The scorer's output columns read by the prediction engine.</summary>
public sealed class Prediction
{
    public bool PredictedLabel { get; set; }

    public float Score { get; set; }

    public float Probability { get; set; }
}
