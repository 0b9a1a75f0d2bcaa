using MLNetExt.Core;

namespace MLNetExt.Trainers.SequenceToSequence;

/// <summary>
/// Decodes a source with a trained <see cref="SequenceToSequenceNetwork"/>: beam search over partial outputs scored by
/// Σ log P, ranking finished ones by (1/T^α)·Σ log P (Wu et al. 2016's simple form; T counts <c>&lt;eos&gt;</c>).
/// Width 1 is greedy decoding.
/// </summary>
/// <remarks>
/// At each step every live partial output is extended by every target id (the padding, <c>&lt;bos&gt;</c> and
/// <c>&lt;unk&gt;</c> ids excluded, and any id that would repeat an n-gram under
/// <see cref="DecodingOptions.NoRepeatNGramSize"/>), and the B best extensions by Σ log P are kept; one that ends in
/// <c>&lt;eos&gt;</c> is finished and leaves the beam. The search stops when no live output could still outrank the
/// best finished one (a live output's log probability can only fall, and its rank is at best that sum over the longest
/// length allowed), when no output is live, or at the length limit, where <c>&lt;eos&gt;</c> is the only extension
/// left. It does not stop merely because B outputs have finished: with length normalization a short output that ends
/// early (after "1972" of "1972-01-26", say) must not end the search for the longer, better-ranked one. The network runs in evaluation mode, without a tape, over all
/// live outputs of one source as a batch.
/// </remarks>
public static class BeamSearch
{
    /// <summary>The best output for <paramref name="source"/> (source ids ending in <c>&lt;eos&gt;</c>).</summary>
    /// <exception cref="ArgumentException">The source is empty, holds an id outside the vocabulary, or an option is out of range.</exception>
    public static DecodedSequence Decode(SequenceToSequenceNetwork network, int[] source, DecodingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(source);
        options ??= new DecodingOptions();
        options.Check(nameof(options));
        network.Eval();
        int width = options.BeamWidth, maximumLength = options.LengthFor(source.Length), vocabulary = network.Architecture.TargetVocabularySize;
        var encodedOne = network.Encode([source]);
        var beams = new List<Beam> { new(null, TokenVocabulary.BeginOfSequence, 0, [], 0) };
        var state = network.Start(encodedOne);
        var finished = new List<DecodedSequence>();
        var logProbabilities = new float[vocabulary];
        var encoded = encodedOne;
        for (int step = 0; step < maximumLength + 1 && beams.Count > 0; step++)
        {
            // The source repeated once per live output: copied again only when the number of live outputs changes.
            if (encoded.Lengths.Length != beams.Count)
                encoded = Repeat(encodedOne, beams.Count);
            var output = network.Step(encoded, state, beams.Select(b => b.Token).ToArray());
            var logits = network.Logits(output.Attentional);
            var candidates = new PriorityQueue<(int Beam, int Token, double LogProbability), double>();
            for (int b = 0; b < beams.Count; b++)
            {
                LogSoftmax(logits.Span.Slice(b * vocabulary, vocabulary), logProbabilities);
                var banned = Banned(beams[b], options.NoRepeatNGramSize);
                bool mustEnd = step == maximumLength;
                for (int token = TokenVocabulary.EndOfSequence; token < vocabulary; token++)
                {
                    if (mustEnd && token != TokenVocabulary.EndOfSequence || banned.Contains(token))
                        continue;
                    double total = beams[b].LogProbability + logProbabilities[token];
                    // A min-heap of the best `width` candidates: the worst kept one is at the top.
                    if (candidates.Count < width)
                        candidates.Enqueue((b, token, total), total);
                    else if (total > candidates.Peek().LogProbability)
                        candidates.EnqueueDequeue((b, token, total), total);
                }
            }
            var chosen = new List<(int Beam, int Token, double LogProbability)>(candidates.Count);
            while (candidates.TryDequeue(out var candidate, out _))
                chosen.Add(candidate);
            chosen.Reverse();
            var next = new List<Beam>(width);
            var keep = new List<int>(width);
            int sourceSteps = source.Length;
            foreach (var (b, token, total) in chosen)
            {
                var attention = output.Weights.Span.Slice(b * sourceSteps, sourceSteps).ToArray();
                var extended = new Beam(beams[b], token, total, attention, beams[b].Length + 1);
                if (token == TokenVocabulary.EndOfSequence)
                    finished.Add(Finish(extended, options.LengthPenalty, sourceSteps));
                else
                {
                    next.Add(extended);
                    keep.Add(b);
                }
            }
            beams = next;
            if (beams.Count == 0 || finished.Count > 0 && finished.Max(f => f.Score) >= beams.Max(b => BestReachable(b.LogProbability, maximumLength, options.LengthPenalty)))
                break;
            state = Select(output.Next, keep);
        }
        return finished.MaxBy(f => f.Score)!;
    }

    // The best rank a live output with Σ log P = logProbability could still reach: its log probability can only fall
    // (each step adds a log P ≤ 0), and dividing a negative sum by a larger T^α raises it, so the bound is the sum as
    // it stands over the longest output allowed (the ids plus <eos>).
    private static double BestReachable(double logProbability, int maximumLength, double lengthPenalty) =>
        logProbability / Math.Pow(maximumLength + 1, lengthPenalty);

    /// <summary>A partial output: its last id, its parent, its Σ log P and its steps' attention rows.</summary>
    private sealed record Beam(Beam? Parent, int Token, double LogProbability, float[] Attention, int Length);

    // An output ended by <eos>: its ids without it, its rank, and every scored step's attention row, <eos>'s included.
    private static DecodedSequence Finish(Beam beam, double lengthPenalty, int sourceSteps)
    {
        var tokens = new List<int>();
        var attention = new List<float[]>();
        for (var node = beam; node.Parent is not null; node = node.Parent)
        {
            tokens.Add(node.Token);
            attention.Add(node.Attention);
        }
        tokens.Reverse();
        attention.Reverse();
        tokens.RemoveAt(tokens.Count - 1);
        return new DecodedSequence([.. tokens], beam.LogProbability, beam.LogProbability / Math.Pow(beam.Length, lengthPenalty),
            [.. attention.SelectMany(row => row)], sourceSteps);
    }

    // The ids that would complete an n-gram the output already holds: its last n − 1 ids followed by each.
    private static HashSet<int> Banned(Beam beam, int n)
    {
        var banned = new HashSet<int>();
        if (n <= 0 || beam.Length < n - 1 || beam.Length == 0 && n > 1)
            return banned;
        var tokens = new List<int>();
        for (var node = beam; node.Parent is not null; node = node.Parent)
            tokens.Add(node.Token);
        tokens.Reverse();
        if (n == 1)
        {
            banned.UnionWith(tokens);
            return banned;
        }
        var suffix = tokens.GetRange(tokens.Count - (n - 1), n - 1);
        for (int start = 0; start + n <= tokens.Count; start++)
        {
            if (tokens.GetRange(start, n - 1).SequenceEqual(suffix))
                banned.Add(tokens[start + n - 1]);
        }
        return banned;
    }

    private static void LogSoftmax(ReadOnlySpan<float> logits, Span<float> destination)
    {
        float max = System.Numerics.Tensors.TensorPrimitives.Max(logits);
        double sum = 0;
        foreach (float logit in logits)
            sum += Math.Exp(logit - max);
        float logSum = max + (float)Math.Log(sum);
        for (int i = 0; i < logits.Length; i++)
            destination[i] = logits[i] - logSum;
    }

    // The encoded source repeated for each live output (row b of every tensor is a copy of row 0).
    private static EncodedSources Repeat(EncodedSources one, int count)
    {
        if (count == 1)
            return one;
        return new EncodedSources(RepeatRows(one.Outputs, count), [.. Enumerable.Repeat(one.PaddingMask, count).SelectMany(m => m)],
            [.. Enumerable.Repeat(one.Lengths[0], count)], RepeatRows(one.Initial, count));
    }

    private static Tensor RepeatRows(Tensor tensor, int count)
    {
        int[] shape = [.. tensor.Shape];
        shape[0] = count;
        var repeated = new Tensor(shape);
        for (int b = 0; b < count; b++)
            tensor.Span.CopyTo(repeated.Span.Slice(b * tensor.Length, tensor.Length));
        return repeated;
    }

    // The state rows of the outputs kept, in their new order.
    private static DecoderState Select(DecoderState state, List<int> rows) =>
        new(SelectRows(state.Hidden, rows), state.Cell is null ? null : SelectRows(state.Cell, rows), state.Feed is null ? null : SelectRows(state.Feed, rows));

    private static Tensor SelectRows(Tensor tensor, List<int> rows)
    {
        int width = tensor.Dim(1);
        var selected = new Tensor(rows.Count, width);
        for (int i = 0; i < rows.Count; i++)
            tensor.Span.Slice(rows[i] * width, width).CopyTo(selected.Span.Slice(i * width, width));
        return selected;
    }
}
