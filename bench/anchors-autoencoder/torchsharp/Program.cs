// TorchSharp (libtorch CPU) counterpart of bench/anchors-autoencoder/autoencoder.py, same model, data and protocol:
// F -> 128 -> 64 -> K -> 64 -> 128 -> F, ReLU after every Linear but the last (the code included), MSE loss, Adam (lr 1e-3),
// N rows of standard-normal data, batches of B rows. A training epoch is a fresh permutation, then per batch: gather the
// rows, zero_grad, forward, MSE, backward, Adam step; W warm-up epochs (default 5), then the fastest of 3 more.
// Scoring: eval mode under no_grad, forward over all rows in batches of B and each row's mean squared error; W warm-up
// passes, then the best of 3. The first epoch and pass are printed beside. Built outside the repository's solution by
// bench/compare-autoencoder.sh.
// usage: dotnet TorchSharpAutoencoder.dll [threads] [N F B K [W]]
// prints: autoencoder train threads=<t> rows=.. F=.. hidden=128,64 code=.. batch=.. rows_per_s=<x> ms_per_epoch=<y> first_epoch_ms=<z>
//         autoencoder score threads=<t> rows=.. F=.. hidden=128,64 code=.. batch=.. rows_per_s=<x> ms_per_pass=<y> first_pass_ms=<z>
using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

int threads = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1;
int[] shape = args.Length >= 5 ? args[1..5].Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray() : [16384, 64, 256, 16];
int N = shape[0], F = shape[1], B = shape[2], K = shape[3];
int W = args.Length >= 6 ? Math.Max(1, int.Parse(args[5], CultureInfo.InvariantCulture)) : 5;
int[] hidden = [128, 64];
torch.set_num_threads(threads);
torch.manual_seed(0);

int[] widths = [F, .. hidden, K, .. hidden.Reverse(), F];
var layers = new List<nn.Module<Tensor, Tensor>>();
for (int i = 0; i < widths.Length - 1; i++)
{
    layers.Add(nn.Linear(widths[i], widths[i + 1]));
    if (i < widths.Length - 2) layers.Add(nn.ReLU());
}
var model = nn.Sequential(layers);
var opt = optim.Adam(model.parameters(), 1e-3);
var x = randn(N, F);

void Epoch()
{
    model.train();
    using var epochScope = NewDisposeScope();
    var perm = randperm(N);
    for (int start = 0; start < N; start += B)
    {
        using var scope = NewDisposeScope();
        var xb = x.index_select(0, perm.narrow(0, start, Math.Min(B, N - start)));
        opt.zero_grad();
        nn.functional.mse_loss(model.call(xb), xb).backward();
        opt.step();
    }
}

void Score()
{
    model.eval();
    using var scope = NewDisposeScope();
    using var ng = no_grad();
    var scores = empty(N);
    for (int start = 0; start < N; start += B)
    {
        using var batchScope = NewDisposeScope();
        int count = Math.Min(B, N - start);
        var xb = x.narrow(0, start, count);
        scores.narrow(0, start, count).copy_((model.call(xb) - xb).pow(2).mean([1]));
    }
}

string shapeText = string.Create(CultureInfo.InvariantCulture, $"threads={threads} rows={N} F={F} hidden={string.Join(',', hidden)} code={K} batch={B}");
var (best, first) = Best(Epoch, W);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"autoencoder train {shapeText} rows_per_s={N / best:F0} ms_per_epoch={best * 1000:F1} first_epoch_ms={first * 1000:F1}"));
(best, first) = Best(Score, W);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"autoencoder score {shapeText} rows_per_s={N / best:F0} ms_per_pass={best * 1000:F2} first_pass_ms={first * 1000:F2}"));

static (double Best, double First) Best(Action run, int warmup)
{
    long begin = Stopwatch.GetTimestamp();
    run();
    double first = Stopwatch.GetElapsedTime(begin).TotalSeconds;
    for (int i = 1; i < warmup; i++) run();
    double best = double.PositiveInfinity;
    for (int round = 0; round < 3; round++)
    {
        long start = Stopwatch.GetTimestamp();
        run();
        best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
    }
    return (best, first);
}
