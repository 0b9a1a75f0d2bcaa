using System.Runtime.CompilerServices;

namespace MLNetExt.Trainers.WordEmbeddings;

/// <summary>
/// One training thread's state and hot loop. The weight matrices are shared by all workers and updated without
/// locks (Hogwild); the buffers here are the thread's own and reused for every job, so training allocates nothing
/// per word or per job.
/// </summary>
/// <remarks>
/// Shapes: V words, D = vector size.
///   input  [V, D]   the word vectors being learned (gensim <c>wv.vectors</c>, word2vec.c <c>syn0</c>)
///   outputNegative [V, D]   output rows for negative sampling (<c>syn1neg</c>)
///   outputTree [V-1, D]     inner-node rows for hierarchical softmax (<c>syn1</c>)
/// A pair (input row h, output row o, label y) has loss -log σ(±hᵀo); with g = α(y − σ(hᵀo)),
///   dH += g·o and o += g·h, and h += dH once all output rows of the pair were visited.
/// </remarks>
internal sealed unsafe class Word2VecWorker
{
    private const ulong LcgMultiplier = 25214903917UL;
    private const ulong LcgIncrement = 11;

    private readonly Word2VecOptions _options;
    private readonly float[] _input;
    private readonly float[]? _outputNegative;
    private readonly float[]? _outputTree;
    private readonly ulong[] _keepThreshold;
    private readonly NoiseDistribution? _noise;
    private readonly HuffmanTree? _tree;
    private readonly int[] _sentence;
    private readonly float[] _hidden;
    private readonly float[] _dHidden;

    public Word2VecWorker(Word2VecOptions options, float[] input, float[]? outputNegative, float[]? outputTree,
        ulong[] keepThreshold, NoiseDistribution? noise, HuffmanTree? tree, int maxSentenceLength)
    {
        _options = options;
        _input = input;
        _outputNegative = outputNegative;
        _outputTree = outputTree;
        _keepThreshold = keepThreshold;
        _noise = noise;
        _tree = tree;
        _sentence = new int[maxSentenceLength];
        _hidden = new float[options.VectorSize];
        _dHidden = new float[options.VectorSize];
    }

    /// <summary>Trains on job <paramref name="job"/> at learning rate <paramref name="alpha"/>; returns the loss (0 unless ComputeLoss).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double RunJob(EncodedCorpus corpus, int job, float alpha, ulong seed)
    {
        ulong random = seed;
        double loss = 0;
        int[] tokens = corpus.Tokens;
        int[] starts = corpus.SentenceStarts;
        fixed (float* input = _input, outputNegative = _outputNegative, outputTree = _outputTree, hidden = _hidden, dHidden = _dHidden)
        {
            var rows = new Rows(input, outputNegative, outputTree, hidden, dHidden, _options.VectorSize);
            for (int s = corpus.JobStarts[job]; s < corpus.JobStarts[job + 1]; s++)
            {
                int length = 0;
                for (int t = starts[s]; t < starts[s + 1]; t++)
                {
                    int word = tokens[t];
                    random = random * LcgMultiplier + LcgIncrement;
                    if ((uint)(random >> 16) > _keepThreshold[word]) continue;
                    _sentence[length++] = word;
                }
                loss += _options.SkipGram
                    ? TrainSkipGramSentence(rows, length, alpha, ref random)
                    : TrainCbowSentence(rows, length, alpha, ref random);
            }
        }
        return loss;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double TrainSkipGramSentence(in Rows rows, int length, float alpha, ref ulong random)
    {
        double loss = 0;
        int window = _options.Window, d = rows.Size;
        for (int i = 0; i < length; i++)
        {
            int reduced = 0;
            if (_options.ShrinkWindows)
            {
                random = random * LcgMultiplier + LcgIncrement;
                reduced = (int)((random >> 16) % (ulong)window);
            }
            int from = Math.Max(0, i - window + reduced), to = Math.Min(length, i + window + 1 - reduced);
            int center = _sentence[i];
            for (int j = from; j < to; j++)
            {
                if (j == i) continue;
                float* h = rows.Input + (long)_sentence[j] * d;
                new Span<float>(rows.DHidden, d).Clear();
                loss += TrainOutputs(rows, h, center, alpha, ref random);
                EmbeddingKernels.AddScaled(h, rows.DHidden, 1f, d);
            }
        }
        return loss;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double TrainCbowSentence(in Rows rows, int length, float alpha, ref ulong random)
    {
        double loss = 0;
        int window = _options.Window, d = rows.Size;
        var hidden = new Span<float>(rows.Hidden, d);
        for (int i = 0; i < length; i++)
        {
            int reduced = 0;
            if (_options.ShrinkWindows)
            {
                random = random * LcgMultiplier + LcgIncrement;
                reduced = (int)((random >> 16) % (ulong)window);
            }
            int from = Math.Max(0, i - window + reduced), to = Math.Min(length, i + window + 1 - reduced);
            if (to - from < 2) continue;
            hidden.Clear();
            for (int j = from; j < to; j++)
                if (j != i) EmbeddingKernels.AddScaled(rows.Hidden, rows.Input + (long)_sentence[j] * d, 1f, d);
            if (_options.CbowMean) System.Numerics.Tensors.TensorPrimitives.Multiply(hidden, 1f / (to - from - 1), hidden);
            new Span<float>(rows.DHidden, d).Clear();
            loss += TrainOutputs(rows, rows.Hidden, _sentence[i], alpha, ref random);
            // Both word2vec.c and gensim add the undivided error to every context word, for mean and sum alike.
            for (int j = from; j < to; j++)
                if (j != i) EmbeddingKernels.AddScaled(rows.Input + (long)_sentence[j] * d, rows.DHidden, 1f, d);
        }
        return loss;
    }

    /// <summary>Every output row of one prediction of <paramref name="target"/> from hidden vector <paramref name="h"/>; accumulates dH.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double TrainOutputs(in Rows rows, float* h, int target, float alpha, ref ulong random)
    {
        double loss = 0;
        int d = rows.Size;
        bool computeLoss = _options.ComputeLoss;
        if (_tree is not null)
        {
            int[] points = _tree.Points;
            byte[] codes = _tree.Codes;
            for (int p = _tree.Offsets[target], end = _tree.Offsets[target + 1]; p < end; p++)
            {
                float* o = rows.OutputTree + (long)points[p] * d;
                float f = EmbeddingKernels.Dot(h, o, d);
                if (computeLoss) loss += LogisticLoss(codes[p] == 0 ? f : -f);
                // word2vec.c and gensim skip saturated nodes in hierarchical softmax.
                if (f <= -SigmoidTable.MaxExp || f >= SigmoidTable.MaxExp) continue;
                float g = (1 - codes[p] - SigmoidTable.Lookup(f)) * alpha;
                EmbeddingKernels.PairUpdate(h, o, rows.DHidden, g, d);
            }
        }
        if (_noise is not null)
        {
            int negative = _options.Negative;
            for (int k = 0; k <= negative; k++)
            {
                int word;
                float label;
                if (k == 0)
                {
                    word = target;
                    label = 1;
                }
                else
                {
                    random = random * LcgMultiplier + LcgIncrement;
                    word = _noise.Sample((uint)(random >> 16));
                    if (word == target) continue;
                    label = 0;
                }
                float* o = rows.OutputNegative + (long)word * d;
                float f = EmbeddingKernels.Dot(h, o, d);
                if (computeLoss) loss += LogisticLoss(label == 1 ? f : -f);
                float sigma = f >= SigmoidTable.MaxExp ? 1f : f <= -SigmoidTable.MaxExp ? 0f : SigmoidTable.Lookup(f);
                EmbeddingKernels.PairUpdate(h, o, rows.DHidden, (label - sigma) * alpha, d);
            }
        }
        return loss;
    }

    /// <summary>-log σ(x), computed stably.</summary>
    private static double LogisticLoss(float x) => x > 0 ? Math.Log(1 + Math.Exp(-x)) : -x + Math.Log(1 + Math.Exp(x));

    /// <summary>Pinned row bases for one job.</summary>
    private readonly struct Rows(float* input, float* outputNegative, float* outputTree, float* hidden, float* dHidden, int size)
    {
        public readonly float* Input = input;
        public readonly float* OutputNegative = outputNegative;
        public readonly float* OutputTree = outputTree;
        public readonly float* Hidden = hidden;
        public readonly float* DHidden = dHidden;
        public readonly int Size = size;
    }
}
