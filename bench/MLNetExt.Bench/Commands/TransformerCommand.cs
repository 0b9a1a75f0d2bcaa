using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MLNetExt.Core;
using MLNetExt.Core.Autograd;
using MLNetExt.Core.Losses;
using MLNetExt.Core.Onnx;
using MLNetExt.Core.Optim;
using MLNetExt.Trainers.Attention;
using Tensor = MLNetExt.Core.Tensor;

namespace MLNetExt.Bench.Commands;

/// <summary>
/// Training and inference throughput of the transformer encoder classifier, measured as the anchor
/// <c>bench/anchors-attention/transformer.py</c> measures PyTorch: Embedding(V, d)·√d + sinusoidal positions →
/// N post-norm encoder layers (H heads, feed-forward F, ReLU, dropout 0.1) with a key padding mask → mean over the
/// valid tokens → Linear(d, C); a training step is forward, cross-entropy, backward and an Adam update (lr 1e-3);
/// 3 warm-up steps, then the best of 3 timings of 10 steps; inference is the forward pass in evaluation mode, and the
/// same trained network exported to ONNX (<see cref="AttentionNetworkOnnx"/>) and run by ONNX Runtime with as many
/// intra-op threads. Lengths are drawn once, uniformly in [T/2, T]. Prints <c>transformer train threads=.. B=.. T=.. d=..
/// H=.. N=.. F=.. seq_per_s=.. ms_per_step=..</c>, <c>transformer infer ... seq_per_s=..</c> and
/// <c>transformer onnxruntime ... seq_per_s=..</c>.
/// </summary>
internal sealed class TransformerCommand : IBenchCommand
{
    private const int Steps = 10;

    public string Name => "transformer";

    public string Usage => "transformer [--threads T] [--shape B,T,V,d,H,N,F,C]   prints: transformer train|infer threads=<t> B=.. T=.. d=.. H=.. N=.. F=.. seq_per_s=<x> [ms_per_step=<y>]";

    public int Run(string[] args)
    {
        int threads = CommandLine.IntOption(args, "--threads", 2);
        Engine.ThreadCount = threads;
        int[] shape = [32, 128, 10000, 128, 4, 2, 512, 2];
        int at = Array.IndexOf(args, "--shape");
        if (at >= 0)
        {
            if (at + 1 >= args.Length) throw new ArgumentException("Option --shape needs a value.", nameof(args));
            shape = args[at + 1].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            if (shape.Length != 8) throw new ArgumentException("--shape takes B,T,V,d,H,N,F,C.", nameof(args));
        }
        Measure(threads, shape[0], shape[1], shape[2], shape[3], shape[4], shape[5], shape[6], shape[7]);
        return 0;
    }

    private static void Measure(int threads, int batch, int steps, int vocabulary, int d, int heads, int layers, int feedforward, int classes)
    {
        var random = new RandomSource(0);
        var network = AttentionNetworks.Create(new AttentionArchitecture
        {
            Kind = AttentionClassifierKind.Transformer, VocabularySize = vocabulary, EmbeddingDimension = d, OutputCount = classes, Dropout = 0.1f,
            Heads = heads, EncoderLayers = layers, FeedforwardSize = feedforward, MaxLength = steps, Pooling = TransformerPooling.Mean,
        }, random);
        var optimizer = new Adam(network.Parameters(), lr: 1e-3);
        var loss = new CrossEntropyLoss();
        var rows = new Tensor(batch, 1 + steps);
        for (int b = 0; b < batch; b++)
        {
            int length = steps / 2 + random.NextInt(steps - steps / 2 + 1);
            rows.Span[b * (1 + steps)] = length;
            for (int t = 0; t < length; t++) rows.Span[b * (1 + steps) + 1 + t] = 1 + random.NextInt(vocabulary - 1);
        }
        var labels = new Tensor(batch);
        for (int i = 0; i < batch; i++) labels.Span[i] = random.NextInt(classes);
        var tape = new Tape();

        void TrainStep()
        {
            tape.Reset();
            optimizer.ZeroGrad();
            tape.Backward(loss.Forward(network.Forward(rows, tape), labels, tape));
            optimizer.Step();
        }

        var inference = new Tape { IsRecording = false };
        void InferStep()
        {
            inference.Reset();
            network.Forward(rows, inference);
        }

        network.Train();
        for (int i = 0; i < 3; i++) TrainStep();
        double train = Best(TrainStep);
        string tag = string.Create(CultureInfo.InvariantCulture, $"threads={threads} B={batch} T={steps} d={d} H={heads} N={layers} F={feedforward}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"transformer train {tag} seq_per_s={batch / train:F0} ms_per_step={train * 1000:F1}"));
        network.Eval();
        InferStep();
        double infer = Best(InferStep);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"transformer infer {tag} seq_per_s={batch / infer:F0}"));
        double runtime = MeasureOnnxRuntime(network, rows, threads);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"transformer onnxruntime {tag} seq_per_s={batch / runtime:F0}"));
    }

    // The exported graph over token ids [B, T] (int64) and lengths [B] (int32), timed as the engine's inference.
    private static double MeasureOnnxRuntime(MLNetExt.Core.Modules.Module network, Tensor rows, int threads)
    {
        int batch = rows.Dim(0), steps = rows.Dim(1) - 1;
        var graph = new OnnxGraphBuilder();
        var exported = AttentionNetworkOnnx.AddSequenceNetwork(graph, network,
            graph.AddInput("tokens", OnnxElementType.Int64, ["N", steps]), graph.AddInput("lengths", OnnxElementType.Int32, ["N"]));
        graph.AddOutput(exported.Logits, "logits");
        var tokens = new long[batch * steps];
        var lengths = new int[batch];
        for (int b = 0; b < batch; b++)
        {
            lengths[b] = (int)rows.Span[b * (1 + steps)];
            for (int t = 0; t < steps; t++) tokens[b * steps + t] = (long)rows.Span[b * (1 + steps) + 1 + t];
        }
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, IntraOpNumThreads = threads, InterOpNumThreads = 1 };
        using var session = new InferenceSession(graph.ToBytes(), options);
        var feeds = new List<NamedOnnxValue>
        {
            NamedOnnxValue.CreateFromTensor("tokens", new DenseTensor<long>(tokens, [batch, steps])),
            NamedOnnxValue.CreateFromTensor("lengths", new DenseTensor<int>(lengths, [batch])),
        };
        void Run()
        {
            using var results = session.Run(feeds);
        }
        Run();
        return Best(Run);
    }

    private static double Best(Action step)
    {
        double best = double.PositiveInfinity;
        for (int round = 0; round < 3; round++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < Steps; i++) step();
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds / Steps);
        }
        return best;
    }
}
