using MLNetExt.Core;
using MLNetExt.Core.Autograd;
using MLNetExt.Core.Losses;
using MLNetExt.Core.Modules;
using MLNetExt.Core.Modules.Attention;
using MLNetExt.Core.Modules.Recurrent;
using MLNetExt.Core.Ops;
using MLNetExt.Trainers.Sequence;

namespace MLNetExt.Trainers.SequenceToSequence;

/// <summary>
/// An encoder–decoder with attention (Bahdanau et al. 2015; Luong et al. 2015) over token ids
/// (<see cref="TokenVocabulary"/>): a (bi)LSTM or GRU encoder, and a decoder cell that attends over the encoder's
/// outputs at every step.
/// </summary>
/// <remarks>
/// <para>Parameters, named as a PyTorch module with these attributes would name them: <c>source_embedding</c>
/// (V_s × E, padding id 0), <c>target_embedding</c> (V_t × E; absent when shared), <c>encoder</c> (LSTM/GRU, E → H/2 per
/// direction when bidirectional, else H), <c>bridge</c> (H → H), <c>decoder</c> (LSTMCell/GRUCell, input
/// <see cref="SequenceToSequenceArchitecture.DecoderInputSize"/> → H), <c>attention</c> (<see cref="AttentionPooling"/>:
/// <c>W</c>, <c>U</c>, <c>v</c> for additive; <c>W</c> for general), <c>combine</c> (2H → H) and <c>output</c> (H → V_t).</para>
/// <para>Encoder: the source ids, each ending in <c>&lt;eos&gt;</c>, embedded and run with their lengths; outputs
/// h [B, T_s, H], zero at padding. Decoder start: s₀ = tanh(bridge(mean of h over each source's steps)), c₀ = 0, h̃₀ = 0.</para>
/// <para>Step t, given the previous token y_{t−1} (<c>&lt;bos&gt;</c> first) with embedding e:
/// additive: c_t = attend(h, query s_{t−1}); s_t = cell([e; c_t], s_{t−1});
/// dot/general: s_t = cell([e; h̃_{t−1}] with input feeding, else e, s_{t−1}); c_t = attend(h, query s_t).
/// Then h̃_t = tanh(combine([c_t; s_t])) and logits_t = output(h̃_t). Padding is masked out of attention (weights 0)
/// and ignored by the loss.</para>
/// </remarks>
public sealed class SequenceToSequenceNetwork : Module
{
    private readonly Embedding _sourceEmbedding;
    private readonly Embedding _targetEmbedding;
    private readonly RecurrentBase _encoder;
    private readonly Linear _bridge;
    private readonly RecurrentCellBase _decoder;
    private readonly AttentionPooling _attention;
    private readonly Linear _combine;
    private readonly Linear _output;
    private readonly Dropout? _embeddingDropout;
    private readonly Dropout? _stateDropout;

    /// <summary>A network of <paramref name="architecture"/>, initialized as PyTorch initializes each layer, from <paramref name="random"/>.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public SequenceToSequenceNetwork(SequenceToSequenceArchitecture architecture, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(random);
        architecture.Check();
        Architecture = architecture;
        int e = architecture.EmbeddingSize, h = architecture.HiddenSize;
        bool lstm = architecture.Cell == SequenceCellType.Lstm;
        _sourceEmbedding = RegisterModule("source_embedding", new Embedding(architecture.SourceVocabularySize, e, TokenVocabulary.Padding, random));
        _targetEmbedding = architecture.SharedEmbedding
            ? _sourceEmbedding
            : RegisterModule("target_embedding", new Embedding(architecture.TargetVocabularySize, e, TokenVocabulary.Padding, random));
        _encoder = RegisterModule<RecurrentBase>("encoder", lstm
            ? new LSTM(e, architecture.EncoderDirectionSize, architecture.EncoderLayers, bidirectional: architecture.BidirectionalEncoder, dropout: architecture.EncoderLayers > 1 ? architecture.Dropout : 0f, random: random)
            : new GRU(e, architecture.EncoderDirectionSize, architecture.EncoderLayers, bidirectional: architecture.BidirectionalEncoder, dropout: architecture.EncoderLayers > 1 ? architecture.Dropout : 0f, random: random));
        _bridge = RegisterModule("bridge", new Linear(h, h, bias: true, random));
        _decoder = RegisterModule<RecurrentCellBase>("decoder", lstm
            ? new LSTMCell(architecture.DecoderInputSize, h, bias: true, random)
            : new GRUCell(architecture.DecoderInputSize, h, bias: true, random));
        _attention = RegisterModule("attention", architecture.Attention switch
        {
            SequenceToSequenceAttention.Additive => AttentionPooling.Additive(h, architecture.AttentionSize ?? h, h, random),
            SequenceToSequenceAttention.Dot => AttentionPooling.Dot(h, random: random),
            _ => AttentionPooling.Multiplicative(h, h, random: random),
        });
        _combine = RegisterModule("combine", new Linear(2 * h, h, bias: true, random));
        _output = RegisterModule("output", new Linear(h, architecture.TargetVocabularySize, bias: true, random));
        if (architecture.Dropout > 0)
        {
            _embeddingDropout = RegisterModule("embedding_dropout", new Dropout(architecture.Dropout, random.Fork()));
            _stateDropout = RegisterModule("state_dropout", new Dropout(architecture.Dropout, random.Fork()));
        }
    }

    /// <summary>The shape of this network.</summary>
    public SequenceToSequenceArchitecture Architecture { get; }

    internal Embedding SourceEmbedding => _sourceEmbedding;

    internal Embedding TargetEmbedding => _targetEmbedding;

    internal RecurrentBase Encoder => _encoder;

    internal Linear Bridge => _bridge;

    internal RecurrentCellBase DecoderCell => _decoder;

    internal AttentionPooling Attention => _attention;

    internal Linear Combine => _combine;

    internal Linear Output => _output;

    /// <summary>The encoder outputs of embedded sources whose every step counts. Shapes: [B, T_s, E] → [B, T_s, H].</summary>
    public override Tensor Forward(Tensor input, Tape? tape = null) => _encoder.Forward(input, default, null, null, tape).Output;

    /// <inheritdoc />
    public override int[] OutputShape(ReadOnlySpan<int> inputShape)
    {
        RequireRank(inputShape, 3, $"[B, T, {Architecture.EmbeddingSize}]");
        return [inputShape[0], inputShape[1], Architecture.HiddenSize];
    }

    /// <summary>Encodes a batch of sources, each a list of source ids ending in <c>&lt;eos&gt;</c> (<see cref="TokenVocabulary.Encode"/>).</summary>
    /// <exception cref="ArgumentException">A source is empty or holds an id outside the source vocabulary.</exception>
    public EncodedSources Encode(IReadOnlyList<int[]> sources, Tape? tape = null)
    {
        ArgumentNullException.ThrowIfNull(sources);
        if (sources.Count == 0)
            throw new ArgumentException("There is no source to encode.", nameof(sources));
        int batch = sources.Count, steps = sources.Max(s => s.Length);
        var lengths = new int[batch];
        var ids = new int[batch * steps];
        var mask = new bool[batch * steps];
        // Mean over each source's steps as a product: m[b] = w[b]·h[b] with w = 1/length on its steps, 0 on padding.
        var meanWeights = new Tensor(batch, 1, steps);
        for (int b = 0; b < batch; b++)
        {
            var source = sources[b];
            if (source.Length == 0)
                throw new ArgumentException($"Source {b} is empty; every source ends in <eos> at least.", nameof(sources));
            lengths[b] = source.Length;
            for (int t = 0; t < steps; t++)
            {
                int id = t < source.Length ? source[t] : TokenVocabulary.Padding;
                if ((uint)id >= (uint)Architecture.SourceVocabularySize)
                    throw new ArgumentException($"Source {b}, step {t}: id {id} is outside the source vocabulary of {Architecture.SourceVocabularySize}.", nameof(sources));
                ids[b * steps + t] = id;
                mask[b * steps + t] = t >= source.Length;
                meanWeights.Span[b * steps + t] = t < source.Length ? 1f / source.Length : 0f;
            }
        }
        var embedded = _sourceEmbedding.Forward(ids, [batch, steps], tape);
        if (_embeddingDropout is not null)
            embedded = _embeddingDropout.Forward(embedded, tape);
        var outputs = _encoder.Forward(embedded, lengths, null, null, tape).Output;
        var mean = TensorOps.Reshape(BatchedMatMulOp.Forward(meanWeights, outputs, tape: tape), [batch, Architecture.HiddenSize], tape);
        var initial = Activations.Tanh(_bridge.Forward(mean, tape), tape);
        return new EncodedSources(outputs, mask, lengths, initial);
    }

    /// <summary>The decoder's state before its first step: s₀ from the sources, c₀ = 0 (LSTM), h̃₀ = 0.</summary>
    public DecoderState Start(EncodedSources sources, Tape? tape = null)
    {
        ArgumentNullException.ThrowIfNull(sources);
        int batch = sources.Lengths.Length, h = Architecture.HiddenSize;
        var cell = Architecture.Cell == SequenceCellType.Lstm ? Tape.Allocate(tape, [batch, h]) : null;
        var feed = Architecture.Attention != SequenceToSequenceAttention.Additive && Architecture.InputFeeding ? Tape.Allocate(tape, [batch, h]) : null;
        return new DecoderState(sources.Initial, cell, feed);
    }

    /// <summary>One decoder step for every row of the batch (see the class remarks).</summary>
    /// <param name="sources">The encoded sources.</param>
    /// <param name="state">The state after the previous step.</param>
    /// <param name="previousTokens">y_{t−1} per row, [B].</param>
    /// <param name="tape">The tape to record on, or null for inference.</param>
    /// <returns>h̃_t [B, H], the attention weights α_t [B, T_s], and the next state.</returns>
    /// <exception cref="ArgumentException">A token is outside the target vocabulary, or the batch sizes differ.</exception>
    public DecoderStep Step(EncodedSources sources, DecoderState state, ReadOnlySpan<int> previousTokens, Tape? tape = null)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(state);
        int batch = sources.Lengths.Length;
        if (previousTokens.Length != batch || state.Hidden.Dim(0) != batch)
            throw new ArgumentException($"A decoder step over {batch} sources needs {batch} previous tokens and states; got {previousTokens.Length} and {state.Hidden.Dim(0)}.", nameof(previousTokens));
        foreach (int token in previousTokens)
        {
            if ((uint)token >= (uint)Architecture.TargetVocabularySize)
                throw new ArgumentException($"Token {token} is outside the target vocabulary of {Architecture.TargetVocabularySize}.", nameof(previousTokens));
        }
        var embedded = _targetEmbedding.Forward(previousTokens, [batch], tape);
        if (_embeddingDropout is not null)
            embedded = _embeddingDropout.Forward(embedded, tape);

        AttentionPoolingOutput attended;
        Tensor hidden;
        Tensor? cell;
        if (Architecture.Attention == SequenceToSequenceAttention.Additive)
        {
            attended = _attention.Forward(sources.Outputs, sources.PaddingMask, state.Hidden, tape);
            (hidden, cell) = Cell(ConcatOp.Columns(embedded, attended.Context, tape), state, tape);
        }
        else
        {
            (hidden, cell) = Cell(state.Feed is null ? embedded : ConcatOp.Columns(embedded, state.Feed, tape), state, tape);
            attended = _attention.Forward(sources.Outputs, sources.PaddingMask, hidden, tape);
        }
        var attentional = Activations.Tanh(_combine.Forward(ConcatOp.Columns(attended.Context, hidden, tape), tape), tape);
        return new DecoderStep(attentional, attended.Weights, new DecoderState(hidden, cell, state.Feed is null ? null : attentional));
    }

    private (Tensor Hidden, Tensor? Cell) Cell(Tensor input, DecoderState state, Tape? tape) => _decoder switch
    {
        LSTMCell lstm => lstm.Forward(input, state.Hidden, state.Cell, tape),
        GRUCell gru => (gru.Forward(input, state.Hidden, tape), null),
        _ => throw new InvalidOperationException($"Unexpected decoder cell {_decoder.GetType().Name}."),
    };

    /// <summary>Logits over the target vocabulary from attentional states. Shapes: [N, H] → [N, V_t].</summary>
    public Tensor Logits(Tensor attentional, Tape? tape = null)
    {
        ArgumentNullException.ThrowIfNull(attentional);
        return _output.Forward(_stateDropout is null ? attentional : _stateDropout.Forward(attentional, tape), tape);
    }

    /// <summary>
    /// The teacher-forced loss of a batch: every step gets the reference's previous token (or, with probability
    /// <paramref name="samplingRate"/> per row and step, the model's own argmax: scheduled sampling), and the loss is
    /// <paramref name="loss"/> (cross-entropy, ignoring <see cref="TokenVocabulary.Padding"/>) over every target token
    /// and <c>&lt;eos&gt;</c>, as one [T_t·B, V_t] product, time-major.
    /// </summary>
    /// <param name="sources">Source ids, each ending in <c>&lt;eos&gt;</c>.</param>
    /// <param name="targets">Target ids, each ending in <c>&lt;eos&gt;</c>.</param>
    /// <param name="loss">The criterion; its ignore index must be <see cref="TokenVocabulary.Padding"/>.</param>
    /// <param name="tape">The tape to record on, or null for evaluation.</param>
    /// <param name="samplingRate">The scheduled-sampling probability, in [0, 1].</param>
    /// <param name="random">The generator of the sampling draws; needed when <paramref name="samplingRate"/> &gt; 0.</param>
    /// <exception cref="ArgumentException">The batches differ in size, a target is empty or holds an id outside the vocabulary, or the loss ignores another index.</exception>
    public Tensor Loss(IReadOnlyList<int[]> sources, IReadOnlyList<int[]> targets, CrossEntropyLoss loss, Tape? tape, float samplingRate = 0f, RandomSource? random = null)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(loss);
        if (sources.Count != targets.Count)
            throw new ArgumentException($"There are {sources.Count} sources but {targets.Count} targets.", nameof(targets));
        if (loss.IgnoreIndex != TokenVocabulary.Padding)
            throw new ArgumentException($"The loss must ignore the padding id {TokenVocabulary.Padding}; it ignores {loss.IgnoreIndex}.", nameof(loss));
        if (samplingRate is < 0 or > 1 || samplingRate > 0 && random is null)
            throw new ArgumentException($"The sampling rate must be in [0, 1] (with a generator when above 0); got {samplingRate}.", nameof(samplingRate));
        int batch = targets.Count, steps = targets.Max(t => t.Length);
        for (int b = 0; b < batch; b++)
        {
            if (targets[b].Length == 0)
                throw new ArgumentException($"Target {b} is empty; every target ends in <eos> at least.", nameof(targets));
        }
        var encoded = Encode(sources, tape);
        var state = Start(encoded, tape);
        var previous = new int[batch];
        var expected = new int[steps * batch];
        var attentional = new List<Tensor>(steps);
        Array.Fill(previous, TokenVocabulary.BeginOfSequence);
        for (int t = 0; t < steps; t++)
        {
            var step = Step(encoded, state, previous, tape);
            attentional.Add(step.Attentional);
            state = step.Next;
            int[]? sampled = samplingRate > 0 && t + 1 < steps ? ArgMax(_output.Forward(step.Attentional, null)) : null;
            for (int b = 0; b < batch; b++)
            {
                var target = targets[b];
                expected[t * batch + b] = t < target.Length ? target[t] : TokenVocabulary.Padding;
                // After a row's <eos> its inputs are padding; the loss ignores those steps.
                previous[b] = t >= target.Length ? TokenVocabulary.Padding
                    : sampled is not null && random!.NextDouble() < samplingRate ? sampled[b]
                    : target[t];
            }
        }
        return loss.Forward(Logits(ConcatOp.Rows(attentional, tape), tape), expected, tape);
    }

    /// <summary>The index of the largest logit of each row. Shapes: [N, V] → [N].</summary>
    internal static int[] ArgMax(Tensor logits)
    {
        int rows = logits.Dim(0), classes = logits.Dim(1);
        var best = new int[rows];
        for (int r = 0; r < rows; r++)
            best[r] = System.Numerics.Tensors.TensorPrimitives.IndexOfMax(logits.Span.Slice(r * classes, classes));
        return best;
    }
}

/// <summary>What <see cref="SequenceToSequenceNetwork.Encode"/> returns.</summary>
/// <param name="Outputs">h, [B, T_s, H], zero at padding.</param>
/// <param name="PaddingMask">[B, T_s], true at padding.</param>
/// <param name="Lengths">Each source's length, [B].</param>
/// <param name="Initial">s₀, [B, H].</param>
public sealed record EncodedSources(Tensor Outputs, bool[] PaddingMask, int[] Lengths, Tensor Initial);

/// <summary>The decoder's recurrent state between steps.</summary>
/// <param name="Hidden">s, [B, H].</param>
/// <param name="Cell">c, [B, H], for an LSTM; null for a GRU.</param>
/// <param name="Feed">h̃ of the previous step, [B, H], with input feeding; null otherwise.</param>
public sealed record DecoderState(Tensor Hidden, Tensor? Cell, Tensor? Feed);

/// <summary>What one decoder step returns.</summary>
/// <param name="Attentional">h̃_t, [B, H].</param>
/// <param name="Weights">α_t, [B, T_s]: zero at padding, summing to 1 over each source's steps.</param>
/// <param name="Next">The state after the step.</param>
public sealed record DecoderStep(Tensor Attentional, Tensor Weights, DecoderState Next);
