using System.Diagnostics;
using System.Globalization;
using MLNetExt.Core;
using MLNetExt.Core.Autograd;
using MLNetExt.Core.Losses;
using MLNetExt.Core.Modules;
using MLNetExt.Core.Modules.Recurrent;
using MLNetExt.Core.Ops;
using MLNetExt.Core.Optim;

namespace MLNetExt.Bench.Commands;

/// <summary>
/// Training and inference throughput of Embedding(V, E) → one-layer unidirectional LSTM/GRU (batch first) →
/// Linear(H, C) on the last step, measured exactly as the anchor <c>shared/anchors/rnn.py</c> measures PyTorch:
/// a training step is forward, cross-entropy, backward and an Adam update (lr 1e-3); 3 warm-up steps, then the best of
/// 3 timings of 20 steps; inference is the forward pass alone, best of 3 × 20. Prints per cell
/// <c>&lt;cell&gt; train threads=&lt;t&gt; B=.. T=.. E=.. H=.. seq_per_s=.. ms_per_step=..</c> and
/// <c>&lt;cell&gt; infer threads=&lt;t&gt; B=.. T=.. E=.. H=.. seq_per_s=..</c>.
/// </summary>
internal sealed class RnnCommand : IBenchCommand
{
    private const int Steps = 20;

    public string Name => "rnn";

    public string Usage => "rnn [--threads T] [--shape B,T,V,E,H,C ...]   prints: lstm|gru train|infer threads=<t> B=.. T=.. E=.. H=.. seq_per_s=<x> [ms_per_step=<y>]";

    public int Run(string[] args)
    {
        int threads = CommandLine.IntOption(args, "--threads", 2);
        Engine.ThreadCount = threads;
        var shapes = new List<int[]>();
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] != "--shape") continue;
            if (i + 1 >= args.Length) throw new ArgumentException("Option --shape needs a value.", nameof(args));
            var shape = args[i + 1].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            if (shape.Length != 6) throw new ArgumentException("--shape takes B,T,V,E,H,C.", nameof(args));
            shapes.Add(shape);
        }
        if (shapes.Count == 0) shapes.Add([64, 50, 10000, 100, 128, 2]);
        foreach (var shape in shapes)
            foreach (string cell in new[] { "lstm", "gru" })
                Measure(cell, threads, shape[0], shape[1], shape[2], shape[3], shape[4], shape[5]);
        return 0;
    }

    private static void Measure(string cell, int threads, int batch, int steps, int vocabulary, int embedding, int hidden, int classes)
    {
        var random = new RandomSource(0);
        var lookup = new Embedding(vocabulary, embedding, random: random);
        RecurrentBase recurrent = cell == "lstm" ? new LSTM(embedding, hidden, random: random) : new GRU(embedding, hidden, random: random);
        var head = new Linear(hidden, classes, random: random);
        var optimizer = new Adam(lookup.Parameters().Concat(recurrent.Parameters()).Concat(head.Parameters()), lr: 1e-3);
        var loss = new CrossEntropyLoss();
        var ids = new int[batch * steps];
        for (int i = 0; i < ids.Length; i++) ids[i] = random.NextInt(vocabulary);
        var labels = new Tensor(batch);
        for (int i = 0; i < batch; i++) labels.Span[i] = random.NextInt(classes);
        var tape = new Tape();
        int[] idShape = [batch, steps];
        int[] lastShape = [batch, hidden];

        // out[:, -1] of a one-layer unidirectional network over full-length sequences is h_n[0].
        Tensor Logits(Tape t)
        {
            var x = lookup.Forward(ids, idShape, t);
            var last = recurrent.Forward(x, default, null, null, t).HiddenState;
            return head.Forward(TensorOps.Reshape(last, lastShape, t), t);
        }

        void TrainStep()
        {
            tape.Reset();
            optimizer.ZeroGrad();
            tape.Backward(loss.Forward(Logits(tape), labels, tape));
            optimizer.Step();
        }

        var inference = new Tape { IsRecording = false };
        void InferStep()
        {
            inference.Reset();
            Logits(inference);
        }

        for (int i = 0; i < 3; i++) TrainStep();
        double train = Best(TrainStep);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{cell} train threads={threads} B={batch} T={steps} E={embedding} H={hidden} seq_per_s={batch / train:F0} ms_per_step={train * 1000:F1}"));
        InferStep();
        double infer = Best(InferStep);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{cell} infer threads={threads} B={batch} T={steps} E={embedding} H={hidden} seq_per_s={batch / infer:F0}"));
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
