// Issue 14's quality measurement: MLNetExt's autoencoder anomaly detectors side by side with ML.NET's RandomizedPca
// (and with scikit-learn's IsolationForest and a PyTorch rebuild of PyOD's AutoEncoder, whose per-split AUCs
// bench/anomaly_reference.py computes on the same splits and this program reads with --reference), on
//   1. PyOD's ODDS protocol: five sets, 60% train / 40% test (the training part keeps its outliers), features
//      standardized with the training part's statistics, splits for seeds 0..9, mean ROC AUC per set;
//   2. one-class digits: scikit-learn's 8x8 digits, for each class c train on class c's images of a fixed stratified
//      60/40 split, test on the whole 40% part (class c normal, the other nine classes anomalies).
// The splits come from `anomaly_reference.py splits` (index files in --data). Prints Markdown tables to stdout and
// one line per fitted model (AUC, epochs, seconds) to stderr. Every autoencoder uses the trainer's defaults except what
// is stated below (Kind, Seed = the split's seed (+ --seed-offset), the digits' settings). For experiments:
// --set KIND:Option=value overrides an option (KIND: dense, vae, denoising, conv, digits-dense, digits-raw), e.g.
// --set dense:NumberOfEpochs=10; --only odds|digits, --sets a,b, --seeds N (the first N splits), --detectors
// dense,vae,denoising,pca, --pca-rank R (instead of the rule below), --seed-offset K (other training seeds).
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetExt.Estimators.Autoencoders;
using MLNetExt.Trainers.Autoencoders;

var arguments = Arguments.Parse(args);
var ml = new MLContext(0);
var tables = new List<string>();
if (arguments.Only is null or "odds")
    tables.Add(Odds.Run(ml, arguments));
if (arguments.Only is null or "digits")
    tables.Add(Digits.Run(ml, arguments));
Console.WriteLine(string.Join(Environment.NewLine, tables));

internal sealed class Arguments
{
    public string DataDirectory = "";
    public string OddsDirectory = "";
    public string? Reference;
    public string? Only;
    public string[] Sets = Odds.Sets;
    public int Seeds = 10;
    public int PcaRank;
    public int SeedOffset;
    public string[] Detectors = ["dense", "vae", "denoising", "pca"];
    public List<(string Kind, string Assignment)> Overrides = [];

    public static Arguments Parse(string[] args)
    {
        var result = new Arguments();
        for (int i = 0; i < args.Length; i++)
        {
            string value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i++])
            {
                case "--data": result.DataDirectory = value; break;
                case "--odds": result.OddsDirectory = value; break;
                case "--reference": result.Reference = value; break;
                case "--only": result.Only = value; break;
                case "--sets": result.Sets = value.Split(','); break;
                case "--seeds": result.Seeds = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--seed-offset": result.SeedOffset = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--detectors": result.Detectors = value.Split(','); break;
                case "--pca-rank": result.PcaRank = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--set":
                    int colon = value.IndexOf(':');
                    result.Overrides.Add((value[..colon], value[(colon + 1)..]));
                    break;
                default: throw new ArgumentException($"unknown argument {args[i - 1]}");
            }
        }
        if (result.DataDirectory.Length == 0)
            throw new ArgumentException("usage: AnomalyQuality --data SPLITS_DIR --odds ODDS_DIR [--reference REFERENCE_LINES] [--only odds|digits] [--sets a,b] [--seeds N] [--detectors a,b] [--pca-rank R] [--seed-offset K] [--set KIND:Option=value]...");
        return result;
    }

    /// <summary>Applies the --set overrides for <paramref name="kind"/> to <paramref name="options"/> by reflection.</summary>
    public AutoencoderTrainer.Options Apply(string kind, AutoencoderTrainer.Options options)
    {
        foreach (var (target, assignment) in Overrides.Where(o => o.Kind == kind))
        {
            int equals = assignment.IndexOf('=');
            var property = typeof(AutoencoderTrainer.Options).GetProperty(assignment[..equals], BindingFlags.Public | BindingFlags.Instance)
                ?? throw new ArgumentException($"no option {assignment[..equals]}");
            string text = assignment[(equals + 1)..];
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            object? parsed = type == typeof(int[]) ? text.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray()
                : type.IsEnum ? Enum.Parse(type, text)
                : Convert.ChangeType(text, type, CultureInfo.InvariantCulture);
            property.SetValue(options, parsed);
        }
        return options;
    }
}

internal sealed class Row
{
    public float[] Features = [];
    public float Label;
}

internal sealed class ImageRow
{
    [VectorType(1, 8, 8)]
    public float[] Features = [];
    public float Label;
}

internal static class Measure
{
    /// <summary>ROC AUC of <paramref name="scores"/> (higher = more anomalous) against labels (1 = anomaly), ties at half (Mann–Whitney with mid-ranks).</summary>
    public static double Auc(float[] scores, float[] labels)
    {
        var order = Enumerable.Range(0, scores.Length).OrderBy(i => scores[i]).ToArray();
        double positiveRanks = 0;
        int positives = 0;
        for (int start = 0; start < order.Length;)
        {
            int end = start;
            while (end + 1 < order.Length && scores[order[end + 1]] == scores[order[start]])
                end++;
            double rank = (start + end) / 2.0 + 1;
            for (int k = start; k <= end; k++)
            {
                if (labels[order[k]] == 1)
                {
                    positiveRanks += rank;
                    positives++;
                }
            }
            start = end + 1;
        }
        int negatives = scores.Length - positives;
        return (positiveRanks - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }

    /// <summary>Fits <paramref name="estimator"/> on <paramref name="train"/>, scores <paramref name="test"/>, and returns the AUC; logs the line to stderr.</summary>
    public static double FitAndScore(MLContext ml, IEstimator<ITransformer> estimator, IDataView train, IDataView test, string what)
    {
        var watch = Stopwatch.StartNew();
        var model = estimator.Fit(train);
        var scored = model.Transform(test);
        var scores = scored.GetColumn<float>("Score").ToArray();
        var labels = scored.GetColumn<float>("Label").ToArray();
        double auc = Auc(scores, labels);
        string epochs = model is MLNetExt.Transforms.Autoencoders.AutoencoderAnomalyTransformer { TrainingResult: { } result }
            ? FormattableString.Invariant($" epochs={result.EpochsCompleted} best={result.BestEpoch}") : "";
        Console.Error.WriteLine(FormattableString.Invariant($"{what} auc={auc:F4}{epochs} ({watch.Elapsed.TotalSeconds:F1} s)"));
        return auc;
    }

    public static string F(double value) => double.IsNaN(value) ? "–" : value.ToString("F3", CultureInfo.InvariantCulture);
}

internal static class Odds
{
    public static readonly string[] Sets = ["arrhythmia", "cardio", "ionosphere", "letter", "pima"];

    // PyOD's published ROC AUC (notebooks/roc.csv of PyOD, as listed in shared/data/odds/README.md): AutoEncoder, IForest, PCA.
    private static readonly Dictionary<string, (double AutoEncoder, double IForest, double Pca)> PyOD = new()
    {
        ["arrhythmia"] = (0.774, 0.801, 0.781),
        ["cardio"] = (0.817, 0.918, 0.950),
        ["ionosphere"] = (0.896, 0.853, 0.796),
        ["letter"] = (0.814, 0.638, 0.528),
        ["pima"] = (0.666, 0.680, 0.648),
    };

    private static readonly (string Name, AutoencoderKind Kind)[] Ours =
        [("dense", AutoencoderKind.Dense), ("vae", AutoencoderKind.Variational), ("denoising", AutoencoderKind.Denoising)];

    /// <summary>
    /// The rank of ML.NET's RandomizedPca for d features: ⌈d / 2⌉ capped at ML.NET's default 20 — the principal subspace
    /// keeps the larger half of the directions (at most 20). ML.NET scores a row by its distance to that subspace divided
    /// by its distance to the mean (the sine of the angle), not by the distance itself, nor by PyOD's eigenvalue-weighted
    /// distance over all components, so a row far out along a principal direction scores low.
    /// </summary>
    public static int PcaRank(int features) => Math.Min(20, (features + 1) / 2);

    private static int Rank(Arguments arguments, int features) => arguments.PcaRank > 0 ? Math.Min(arguments.PcaRank, features - 1) : PcaRank(features);

    public static string Run(MLContext ml, Arguments arguments)
    {
        var results = new Dictionary<(string Detector, string Set), List<double>>();
        void Add(string detector, string set, double auc)
        {
            if (!results.TryGetValue((detector, set), out var list))
                results[(detector, set)] = list = [];
            list.Add(auc);
        }
        foreach (string set in arguments.Sets)
        {
            var (x, y) = ReadCsv(Path.Combine(arguments.OddsDirectory, set + ".csv"));
            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(arguments.DataDirectory, $"odds-{set}.json")));
            int features = json.RootElement.GetProperty("features").GetInt32();
            var definition = SchemaDefinition.Create(typeof(Row));
            definition["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, features);
            foreach (var split in json.RootElement.GetProperty("splits").EnumerateArray().Take(arguments.Seeds))
            {
                int seed = split.GetProperty("seed").GetInt32();
                var trainIndex = split.GetProperty("train").EnumerateArray().Select(e => e.GetInt32()).ToArray();
                var testIndex = split.GetProperty("test").EnumerateArray().Select(e => e.GetInt32()).ToArray();
                var (trainRows, testRows) = Standardized(x, y, trainIndex, testIndex);
                var train = ml.Data.LoadFromEnumerable(trainRows, definition);
                var test = ml.Data.LoadFromEnumerable(testRows, definition);
                foreach (var (name, kind) in Ours.Where(o => arguments.Detectors.Contains(o.Name)))
                {
                    var options = arguments.Apply(name, new AutoencoderTrainer.Options { Kind = kind, Seed = seed + arguments.SeedOffset });
                    Add(name, set, Measure.FitAndScore(ml, ml.AnomalyDetection.Trainers.Autoencoder(options), train, test, $"odds {name} {set} seed={seed}"));
                }
                if (!arguments.Detectors.Contains("pca"))
                    continue;
                int rank = Rank(arguments, features);
                var pca = ml.AnomalyDetection.Trainers.RandomizedPca(rank: rank, seed: seed);
                Add("pca", set, Measure.FitAndScore(ml, pca, train, test, $"odds pca(rank {rank}) {set} seed={seed}"));
            }
        }
        if (arguments.Reference is { } reference)
        {
            // Lines "<detector> <set> <seed> <auc>" of anomaly_reference.py: iforest and torch-ae.
            foreach (var parts in File.ReadLines(reference).Select(l => l.Split(' ')).Where(p => p.Length == 4))
            {
                if (arguments.Sets.Contains(parts[1]) && int.Parse(parts[2], CultureInfo.InvariantCulture) < arguments.Seeds)
                    Add(parts[0], parts[1], double.Parse(parts[3], CultureInfo.InvariantCulture));
            }
        }

        string[] columns = ["dense", "vae", "denoising", "pca", "iforest", "torch-ae"];
        var table = new List<string>
        {
            $"ROC AUC, ODDS, PyOD's protocol (60/40, unsupervised, standardized; mean of {arguments.Seeds} splits, seeds 0..{arguments.Seeds - 1})",
            "",
            "| data set | ours dense AE | ours VAE | ours denoising AE | ML.NET RandomizedPca | sklearn IForest | PyOD AE rebuilt in PyTorch | PyOD AutoEncoder (published) | PyOD IForest (published) | PyOD PCA (published) |",
            "|---|---|---|---|---|---|---|---|---|---|",
        };
        var means = new Dictionary<string, List<double>>();
        foreach (string set in arguments.Sets)
        {
            var cells = new List<string> { set };
            foreach (string column in columns)
            {
                double mean = results.TryGetValue((column, set), out var list) ? list.Average() : double.NaN;
                cells.Add(Measure.F(mean));
                means.TryAdd(column, []);
                means[column].Add(mean);
            }
            var published = PyOD[set];
            cells.AddRange([Measure.F(published.AutoEncoder), Measure.F(published.IForest), Measure.F(published.Pca)]);
            foreach (var (column, value) in new[] { ("pyod-ae", published.AutoEncoder), ("pyod-if", published.IForest), ("pyod-pca", published.Pca) })
            {
                means.TryAdd(column, []);
                means[column].Add(value);
            }
            table.Add("| " + string.Join(" | ", cells) + " |");
        }
        table.Add("| mean | " + string.Join(" | ", columns.Concat(["pyod-ae", "pyod-if", "pyod-pca"]).Select(c => Measure.F(means[c].Average()))) + " |");
        table.Add("");
        table.Add($"RandomizedPca rank: ⌈d/2⌉ capped at 20 ({string.Join(", ", arguments.Sets.Select(s => $"{s} {Rank(arguments, FeatureCount(arguments, s))}"))}).");
        table.Add("");
        return string.Join(Environment.NewLine, table);
    }

    private static int FeatureCount(Arguments arguments, string set)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(arguments.DataDirectory, $"odds-{set}.json")));
        return json.RootElement.GetProperty("features").GetInt32();
    }

    private static (float[][] X, float[] Y) ReadCsv(string path)
    {
        var lines = File.ReadLines(path).Skip(1).Where(l => l.Length > 0).ToArray();
        var x = new float[lines.Length][];
        var y = new float[lines.Length];
        for (int i = 0; i < lines.Length; i++)
        {
            var values = lines[i].Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            x[i] = values[..^1].Select(v => (float)v).ToArray();
            y[i] = (float)values[^1];
        }
        return (x, y);
    }

    // (x − mean) / std with the training part's mean and (population) standard deviation; a constant feature gets std 1.
    private static (Row[] Train, Row[] Test) Standardized(float[][] x, float[] y, int[] train, int[] test)
    {
        int d = x[0].Length;
        var mean = new double[d];
        var std = new double[d];
        foreach (int i in train)
            for (int f = 0; f < d; f++)
                mean[f] += x[i][f];
        for (int f = 0; f < d; f++)
            mean[f] /= train.Length;
        foreach (int i in train)
            for (int f = 0; f < d; f++)
                std[f] += (x[i][f] - mean[f]) * (x[i][f] - mean[f]);
        for (int f = 0; f < d; f++)
        {
            std[f] = Math.Sqrt(std[f] / train.Length);
            if (std[f] == 0)
                std[f] = 1;
        }
        Row Make(int i) => new() { Features = Enumerable.Range(0, d).Select(f => (float)((x[i][f] - mean[f]) / std[f])).ToArray(), Label = y[i] };
        return (train.Select(Make).ToArray(), test.Select(Make).ToArray());
    }
}

internal static class Digits
{
    /// <summary>ML.NET's default rank.</summary>
    public const int PcaRank = 20;

    /// <summary>
    /// The convolutional settings of this task (everything else is the trainer's default): raw pixels in [0, 1] with
    /// squared error (binary cross-entropy scores the uncertain pixels of a stroke's edge as much as a wrong stroke),
    /// 5×5 kernels over two stages of 32 and 16 channels (8×8 → 4×4 → 2×2, a code of 64), and 200 epochs: a class has
    /// about 100 training images, 4 batches an epoch, so 50 epochs leave it under-trained.
    /// </summary>
    public static AutoencoderTrainer.Options Convolutional(int seed) => new()
    {
        Kind = AutoencoderKind.Convolutional,
        StandardizeFeatures = false,
        ReconstructionLoss = AutoencoderReconstructionLoss.MeanSquaredError,
        ConvolutionChannels = [32, 16],
        KernelSize = 5,
        NumberOfEpochs = 200,
        Seed = seed,
    };

    public static string Run(MLContext ml, Arguments arguments)
    {
        var lines = File.ReadAllLines(Path.Combine(arguments.DataDirectory, "digits.csv"));
        var labels = lines.Select(l => int.Parse(l.AsSpan(0, l.IndexOf(',')), CultureInfo.InvariantCulture)).ToArray();
        var pixels = lines.Select(l => l.Split(',').Skip(1).Select(v => float.Parse(v, CultureInfo.InvariantCulture) / 16f).ToArray()).ToArray();
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(arguments.DataDirectory, "digits-split.json")));
        var trainIndex = json.RootElement.GetProperty("train").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var testIndex = json.RootElement.GetProperty("test").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        int rank = arguments.PcaRank > 0 ? arguments.PcaRank : PcaRank;

        var table = new List<string>
        {
            "ROC AUC, one-class digits (sklearn 8x8; train on class c's 60%, test on the 40% part of all classes, others = anomalies)",
            "",
            "| normal class | ours convolutional AE | ours dense AE (defaults) | ours dense AE (raw pixels) | ML.NET RandomizedPca |",
            "|---|---|---|---|---|",
        };
        var sums = new double[4];
        for (int c = 0; c < 10; c++)
        {
            var train = ml.Data.LoadFromEnumerable(trainIndex.Where(i => labels[i] == c).Select(i => new ImageRow { Features = pixels[i], Label = 0 }).ToArray());
            var test = ml.Data.LoadFromEnumerable(testIndex.Select(i => new ImageRow { Features = pixels[i], Label = labels[i] == c ? 0 : 1 }).ToArray());
            int seed = c + arguments.SeedOffset;
            var conv = arguments.Apply("conv", Convolutional(seed));
            var dense = arguments.Apply("digits-dense", new AutoencoderTrainer.Options { Seed = seed });
            var raw = arguments.Apply("digits-raw", new AutoencoderTrainer.Options { Seed = seed, StandardizeFeatures = false });
            double[] aucs =
            [
                Measure.FitAndScore(ml, ml.AnomalyDetection.Trainers.Autoencoder(conv), train, test, $"digits conv class={c}"),
                Measure.FitAndScore(ml, ml.AnomalyDetection.Trainers.Autoencoder(dense), train, test, $"digits dense class={c}"),
                Measure.FitAndScore(ml, ml.AnomalyDetection.Trainers.Autoencoder(raw), train, test, $"digits dense-raw class={c}"),
                Measure.FitAndScore(ml, ml.AnomalyDetection.Trainers.RandomizedPca(rank: rank, seed: seed), train, test, $"digits pca class={c}"),
            ];
            for (int k = 0; k < aucs.Length; k++)
                sums[k] += aucs[k];
            table.Add($"| {c} | " + string.Join(" | ", aucs.Select(Measure.F)) + " |");
        }
        table.Add("| mean | " + string.Join(" | ", sums.Select(s => Measure.F(s / 10))) + " |");
        table.Add("");
        table.Add($"Pixels 0..16 scaled to [0, 1]. Convolutional: MSE on raw pixels, channels [32, 16], kernel 5, 200 epochs. Dense (defaults): standardized pixels; "
            + $"dense (raw pixels): StandardizeFeatures off, as the convolutional one. RandomizedPca: rank {rank} on the raw scaled pixels.");
        return string.Join(Environment.NewLine, table);
    }
}
