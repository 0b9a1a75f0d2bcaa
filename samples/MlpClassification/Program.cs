// Trains a small multi-layer perceptron on the three-spirals data shipped in samples/data, on MLNetExt's engine:
// seeded initialization, mini-batches, Adam with a cosine learning-rate schedule, early stopping on a validation
// split, then a held-out test accuracy, a safetensors save and a reload that must reproduce the predictions.
using System.Diagnostics;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using MLNetExt.Core;
using MLNetExt.Core.Autograd;
using MLNetExt.Core.Losses;
using MLNetExt.Core.Modules;
using MLNetExt.Core.Optim;
using MLNetExt.Core.Schedules;
using MLNetExt.Core.Serialization;
using MLNetExt.Core.Training;
using MLNetExt.Samples.MlpClassification;

const ulong Seed = 42;
const int HiddenWidth = 64, BatchSize = 32, MaxEpochs = 200;

string dataPath = args.Length > 0 ? args[0] : Path.Combine(AppContext.BaseDirectory, "data", "spirals.csv");
SpiralsDataset data;
try
{
    data = SpiralsDataset.Load(dataPath);
}
catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}

var (trainAndValidation, test) = data.TrainTestSplit(testFraction: 0.2, Seed);
var (train, validation) = trainAndValidation.TrainTestSplit(testFraction: 0.125, Seed + 1);
Console.WriteLine($"Data: {data.Count} rows, {data.ClassCount} classes -> train {train.Count}, validation {validation.Count}, test {test.Count}");

Sequential BuildModel(RandomSource random) => new(
    new Linear(SpiralsDataset.FeatureCount, HiddenWidth, random: random), new ReLU(),
    new Linear(HiddenWidth, HiddenWidth, random: random), new ReLU(),
    new Linear(HiddenWidth, data.ClassCount, random: random));

var random = new RandomSource(Seed);
var model = BuildModel(random);
var loss = new CrossEntropyLoss();
var optimizer = new Adam(model.Parameters(), lr: 0.01);
var scheduler = new LearningRateScheduler(optimizer, new CosineAnnealingLR(MaxEpochs, etaMin: 1e-4));
var earlyStopping = new EarlyStopping(patience: 25, restoreBestWeightsOf: model);
Console.WriteLine($"Model: 2 -> {HiddenWidth} -> {HiddenWidth} -> {data.ClassCount} MLP, {model.ParameterCount()} parameters; Adam, cosine schedule, early stopping");

var tape = new Tape();
var batchFeatures = new Tensor(BatchSize, SpiralsDataset.FeatureCount);
var batchLabels = new int[BatchSize];
var order = Enumerable.Range(0, train.Count).ToArray();
int batchesPerEpoch = train.Count / BatchSize;
var clock = Stopwatch.StartNew();

for (int epoch = 1; epoch <= MaxEpochs; epoch++)
{
    model.Train();
    random.Shuffle(order.AsSpan());
    double epochLoss = 0;
    for (int b = 0; b < batchesPerEpoch; b++)
    {
        for (int i = 0; i < BatchSize; i++)
        {
            int row = order[b * BatchSize + i];
            train.Features.AsSpan(row * SpiralsDataset.FeatureCount, SpiralsDataset.FeatureCount)
                .CopyTo(batchFeatures.Span.Slice(i * SpiralsDataset.FeatureCount));
            batchLabels[i] = train.Labels[row];
        }
        tape.Reset();
        optimizer.ZeroGrad();
        var batchLoss = loss.Forward(model.Forward(batchFeatures, tape), batchLabels, tape);
        tape.Backward(batchLoss);
        optimizer.Step();
        epochLoss += batchLoss.Data[0];
    }
    scheduler.Step();

    var (validationLoss, validationAccuracy) = Evaluate(model, loss, validation);
    bool stop = earlyStopping.Report(validationLoss);
    if (epoch == 1 || epoch % 10 == 0 || stop)
        Console.WriteLine($"epoch {epoch,3}  train loss {epochLoss / batchesPerEpoch:F4}  validation loss {validationLoss:F4}  validation accuracy {validationAccuracy:P1}  lr {optimizer.LearningRate:G3}");
    if (stop)
    {
        Console.WriteLine($"Early stopping at epoch {epoch}: no improvement for {earlyStopping.Patience} epochs; restoring the weights of epoch {earlyStopping.BestCheck + 1}.");
        break;
    }
}
earlyStopping.RestoreBestWeights();
Console.WriteLine($"Training took {clock.Elapsed.TotalSeconds:F1} s");

var (testLoss, testAccuracy) = Evaluate(model, loss, test);
Console.WriteLine($"Test: loss {testLoss:F4}, accuracy {testAccuracy:P1}");

string weightsPath = Path.Combine(Path.GetTempPath(), $"mlnetext-spirals-{Environment.ProcessId}.safetensors");
try
{
    ModuleWeights.Save(model, weightsPath);
    var reloaded = BuildModel(new RandomSource(Seed + 100));
    ModuleWeights.Load(reloaded, weightsPath);
    var (_, reloadedAccuracy) = Evaluate(reloaded, loss, test);
    Console.WriteLine($"Saved weights to safetensors ({new FileInfo(weightsPath).Length} bytes) and reloaded: test accuracy {reloadedAccuracy:P1}");
    if (reloadedAccuracy != testAccuracy) throw new InvalidOperationException("The reloaded model predicts differently from the trained one.");
}
finally
{
    File.Delete(weightsPath);
}
return 0;

static (double Loss, double Accuracy) Evaluate(Module model, CrossEntropyLoss loss, SpiralsDataset set)
{
    model.Eval();
    var logits = model.Forward(Tensor.FromValues(set.Features, set.Count, SpiralsDataset.FeatureCount));
    double value = loss.Forward(logits, set.Labels).Data[0];
    int classes = logits.Dim(1), correct = 0;
    for (int n = 0; n < set.Count; n++)
        if (TensorPrimitives.IndexOfMax<float>(logits.Span.Slice(n * classes, classes)) == set.Labels[n]) correct++;
    model.Train();
    return (value, (double)correct / set.Count);
}
