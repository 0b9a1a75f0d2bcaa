using MLNetExt.Core;
using MLNetExt.Core.Autograd;
using MLNetExt.Core.Losses;
using MLNetExt.Core.Modules;
using MLNetExt.Core.Modules.Recurrent;
using MLNetExt.Core.Ops;
using MLNetExt.Core.Optim;

namespace MLNetExt.Bench.Commands;

/// <summary>
/// Managed bytes allocated per training step in steady state, counted over all threads with
/// <see cref="GC.GetTotalAllocatedBytes(bool)"/>: a small MLP (Linear → ReLU → Linear → ReLU → Linear, cross-entropy,
/// global-norm clipping, Adam), a small CNN (Conv2d → BatchNorm2d → ReLU → MaxPool2d → Flatten → Dropout → Linear),
/// and the sequence classifier of the <c>rnn</c> benchmark (Embedding → LSTM or GRU over variable lengths → Linear on h_n).
/// Prints <c>alloc &lt;model&gt; threads=&lt;t&gt; steps=&lt;n&gt; bytes_per_step=&lt;x&gt; gen0_collections=&lt;c&gt;</c>.
/// </summary>
internal sealed class AllocCommand : IBenchCommand
{
    public string Name => "alloc";

    public string Usage => "alloc [--threads T] [--steps N]   prints: alloc <mlp|cnn|lstm|gru> threads=<t> steps=<n> bytes_per_step=<x> gen0_collections=<c>";

    public int Run(string[] args)
    {
        int threads = CommandLine.IntOption(args, "--threads", 1);
        int steps = CommandLine.IntOption(args, "--steps", 1000);
        Engine.ThreadCount = threads;

        var random = new RandomSource(0);
        var mlp = new Sequential(new Linear(64, 256, random: random), new ReLU(), new Linear(256, 256, random: random), new ReLU(), new Linear(256, 10, random: random));
        var mlpInput = new Tensor(128, 64);
        random.FillGaussian(mlpInput.Span, 0f, 1f);
        Report("mlp", threads, steps, TrainingStep(mlp, mlpInput, random));

        var cnn = new Sequential(
            new Conv2d(3, 16, 3, padding: 1, random: random), new BatchNorm2d(16), new ReLU(), new MaxPool2d(2),
            new Flatten(), new Dropout(0.2f, random), new Linear(16 * 8 * 8, 10, random: random));
        var cnnInput = new Tensor(32, 3, 16, 16);
        random.FillGaussian(cnnInput.Span, 0f, 1f);
        Report("cnn", threads, steps / 4, TrainingStep(cnn, cnnInput, random));

        foreach (string cell in new[] { "lstm", "gru" })
            Report(cell, threads, steps / 10, SequenceTrainingStep(cell, random));
        return 0;
    }

    private static Action SequenceTrainingStep(string cell, RandomSource random)
    {
        const int batch = 32, steps = 20, vocabulary = 1000, embedding = 32, hidden = 64, classes = 2;
        var lookup = new Embedding(vocabulary, embedding, random: random);
        RecurrentBase recurrent = cell == "lstm" ? new LSTM(embedding, hidden, random: random) : new GRU(embedding, hidden, random: random);
        var head = new Linear(hidden, classes, random: random);
        var ids = new int[batch * steps];
        var lengths = new int[batch];
        var labels = new int[batch];
        for (int i = 0; i < ids.Length; i++) ids[i] = random.NextInt(vocabulary);
        for (int b = 0; b < batch; b++)
        {
            lengths[b] = 1 + random.NextInt(steps);
            labels[b] = random.NextInt(classes);
        }
        int[] idShape = [batch, steps], lastShape = [batch, hidden];
        var parameters = lookup.Parameters().Concat(recurrent.Parameters()).Concat(head.Parameters()).ToArray();
        var loss = new CrossEntropyLoss();
        var optimizer = new Adam(parameters, lr: 1e-3);
        var tape = new Tape();
        return () =>
        {
            tape.Reset();
            optimizer.ZeroGrad();
            var x = lookup.Forward(ids, idShape, tape);
            var last = recurrent.Forward(x, lengths, null, null, tape).HiddenState;
            var logits = head.Forward(TensorOps.Reshape(last, lastShape, tape), tape);
            tape.Backward(loss.Forward(logits, labels, tape));
            GradientClipping.ClipGradNorm(parameters, maxNorm: 1f);
            optimizer.Step();
        };
    }

    private static Action TrainingStep(Module model, Tensor input, RandomSource random)
    {
        var labels = new int[input.Dim(0)];
        for (int i = 0; i < labels.Length; i++) labels[i] = random.NextInt(10);
        var loss = new CrossEntropyLoss();
        var optimizer = new Adam(model.Parameters(), lr: 1e-3);
        var parameters = model.Parameters();
        var tape = new Tape();
        return () =>
        {
            tape.Reset();
            optimizer.ZeroGrad();
            tape.Backward(loss.Forward(model.Forward(input, tape), labels, tape));
            GradientClipping.ClipGradNorm(parameters, maxNorm: 5f);
            optimizer.Step();
        };
    }

    private static void Report(string model, int threads, int steps, Action step)
    {
        for (int i = 0; i < 300; i++) step();
        // The runtime's own background work right after a collection (finalizers, tiering) allocates too, even
        // around an empty loop: let it settle so the window below counts only the training steps.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Thread.Sleep(200);
        for (int i = 0; i < 50; i++) step();
        int collections = GC.CollectionCount(0);
        long before = GC.GetTotalAllocatedBytes(precise: true);
        for (int i = 0; i < steps; i++) step();
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Console.WriteLine($"alloc {model} threads={threads} steps={steps} bytes_per_step={(double)allocated / steps:0.###} gen0_collections={GC.CollectionCount(0) - collections}");
    }
}
