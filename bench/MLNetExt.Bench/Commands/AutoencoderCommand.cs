using System.Diagnostics;
using System.Globalization;
using MLNetExt.Core;
using MLNetExt.Core.Losses;
using MLNetExt.Trainers.Autoencoders;
using MLNetExt.Trainers.DeepLearning;
using MLNetExt.Trainers.Mlp;

namespace MLNetExt.Bench.Commands;

/// <summary>
/// Training and scoring throughput of the dense autoencoder F → 128 → 64 → K → 64 → 128 → F (ReLU after every layer
/// but the last, the code included; MSE loss; Adam, lr 1e-3) on N rows of standard-normal data, through the code a
/// user's <c>Fit</c> runs: <see cref="AutoencoderNetwork.Build"/>, then <see cref="DeepTrainingLoop"/> with no
/// validation hold-out and no early stopping (one epoch = shuffle, then per batch gather the rows, forward, loss,
/// backward, Adam step; plus the loop's own per-epoch bookkeeping), then <see cref="ReconstructionErrors.ScoreRows"/>
/// (evaluation mode, chunks of 256 rows, per-row mean squared error). The loop runs W + 3 epochs (W = --warmup,
/// default 5): the figure is the fastest of the last 3, timed by the loop's own epoch-end progress reports; the first
/// epoch, which pays for the JIT, is printed beside it. Scoring: W warm-up passes over all rows, then the best of 3.
/// The warm-up is longer than one epoch because .NET's tiered JIT takes several epochs on a busy 2-core machine to
/// replace its first, unoptimized code. The same protocol as <c>bench/anchors-autoencoder/autoencoder.py</c> (PyTorch)
/// and its TorchSharp twin. Prints
/// <c>autoencoder train threads=&lt;t&gt; rows=.. F=.. hidden=..,.. code=.. batch=.. rows_per_s=.. ms_per_epoch=.. first_epoch_ms=..</c> and
/// <c>autoencoder score threads=&lt;t&gt; rows=.. F=.. hidden=..,.. code=.. batch=.. rows_per_s=.. ms_per_pass=.. first_pass_ms=..</c>.
/// </summary>
internal sealed class AutoencoderCommand : IBenchCommand
{
    private const int TimedRounds = 3;

    public string Name => "autoencoder";

    public string Usage => "autoencoder [--threads T] [--rows N] [--features F] [--hidden 128,64] [--code K] [--batch B] [--warmup W]   prints: autoencoder train|score threads=<t> ... rows_per_s=<x>";

    public int Run(string[] args)
    {
        int threads = CommandLine.IntOption(args, "--threads", 2);
        int rows = CommandLine.IntOption(args, "--rows", 16384);
        int features = CommandLine.IntOption(args, "--features", 64);
        int[] hidden = CommandLine.IntListOption(args, "--hidden", "128,64");
        int code = CommandLine.IntOption(args, "--code", 16);
        int batch = CommandLine.IntOption(args, "--batch", 256);
        int warmup = Math.Max(1, CommandLine.IntOption(args, "--warmup", 5));
        Engine.ThreadCount = threads;

        // Standard-normal rows: what the trainer's feature standardization hands the network.
        var random = new RandomSource(0);
        var inputs = new float[rows * features];
        random.FillGaussian(inputs, 0f, 1f);
        var architecture = new AutoencoderArchitecture
        {
            Kind = AutoencoderKind.Dense,
            FeatureCount = features,
            HiddenLayers = hidden,
            CodeSize = code,
            Activation = MlpActivation.ReLU,
            SparsityTarget = 0.05f,
            ReconstructionLoss = AutoencoderReconstructionLoss.MeanSquaredError,
        };
        var network = AutoencoderNetwork.Build(architecture, random);
        var data = DeepTrainingData.ForTargets(inputs, [features], inputs, [features]);
        var epochs = new EpochClock();
        var options = new Options
        {
            BatchSize = batch,
            NumberOfEpochs = warmup + TimedRounds,
            LearningRate = 1e-3,
            Optimizer = DeepOptimizer.Adam,
            ValidationFraction = 0,
            EarlyStoppingPatience = 0,
            Progress = epochs,
        };
        new DeepTrainingLoop(options, random.Fork()).Run(network, new MSELoss(), data);
        double train = epochs.Durations.Skip(warmup).Min();

        long first = Stopwatch.GetTimestamp();
        ReconstructionErrors.ScoreRows(network, inputs);
        double firstScore = Stopwatch.GetElapsedTime(first).TotalSeconds;
        for (int round = 1; round < warmup; round++)
            ReconstructionErrors.ScoreRows(network, inputs);
        double score = double.PositiveInfinity;
        for (int round = 0; round < TimedRounds; round++)
        {
            long start = Stopwatch.GetTimestamp();
            ReconstructionErrors.ScoreRows(network, inputs);
            score = Math.Min(score, Stopwatch.GetElapsedTime(start).TotalSeconds);
        }

        string shape = string.Create(CultureInfo.InvariantCulture,
            $"threads={threads} rows={rows} F={features} hidden={string.Join(',', hidden)} code={code} batch={batch}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"autoencoder train {shape} rows_per_s={rows / train:F0} ms_per_epoch={train * 1000:F1} first_epoch_ms={epochs.Durations[0] * 1000:F1}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"autoencoder score {shape} rows_per_s={rows / score:F0} ms_per_pass={score * 1000:F2} first_pass_ms={firstScore * 1000:F2}"));
        return 0;
    }

    private sealed class Options : DeepTrainerOptions
    {
    }

    /// <summary>The wall time of each epoch, from the loop's epoch-end reports (raised synchronously on the training thread).</summary>
    private sealed class EpochClock : IProgress<TrainingProgress>
    {
        private TimeSpan _last;

        public List<double> Durations { get; } = [];

        public void Report(TrainingProgress value)
        {
            if (!value.IsEpochEnd) return;
            Durations.Add((value.Elapsed - _last).TotalSeconds);
            _last = value.Elapsed;
        }
    }
}
