using MLNetExt.Core;
using MLNetExt.Core.Autograd;
using MLNetExt.Core.Modules;
using MLNetExt.Core.Modules.Attention;
using MLNetExt.Core.Modules.Recurrent;
using MLNetExt.Core.Ops;

namespace MLNetExt.Trainers.Attention;

/// <summary>
/// Hierarchical attention network (Yang et al., 2016): each sentence's words through embedding → bidirectional GRU (or
/// LSTM) → word attention, giving one vector per sentence; the sentences through a second bidirectional recurrent
/// layer → sentence attention, giving the document vector → dropout → linear head.
/// </summary>
/// <remarks>
/// <para>Input: packed rows [B, 1 + S + S·W]: the sentence count n in [1, S], the S sentence lengths (0 to W; 0 for the
/// sentences past n, and an empty sentence inside is allowed), then S sentences of W token ids. Output: logits [B, C].
/// After each forward, <see cref="LastWordWeights"/> [B, S, W] and <see cref="LastSentenceWeights"/> [B, S] hold the
/// attention at both levels (zero at padding; an empty sentence has a zero vector and no word weights).</para>
/// <para>Attention uses learned queries as in the paper: u_it = tanh(W_w·h_it + b_w), α_it = softmax(u_itᵀ·u_w).
/// Parameter names: <c>embedding.weight</c>, <c>word_rnn.*</c>, <c>word_attention.W.weight</c>, <c>word_attention.W.bias</c>,
/// <c>word_attention.v.weight</c> (u_w), <c>sentence_rnn.*</c>, <c>sentence_attention.*</c>, <c>head.weight</c>, <c>head.bias</c>.</para>
/// </remarks>
internal sealed class HierarchicalAttentionNetwork : Module
{
    private readonly Embedding _embedding;
    private readonly RecurrentBase _wordRnn;
    private readonly AttentionPooling _wordAttention;
    private readonly RecurrentBase _sentenceRnn;
    private readonly AttentionPooling _sentenceAttention;
    private readonly Dropout? _dropout;
    private readonly Linear _head;
    private int[] _ids = [], _wordLengths = [], _sentenceCounts = [];
    private bool[] _wordPadding = [], _sentencePadding = [];

    public HierarchicalAttentionNetwork(AttentionArchitecture architecture, RandomSource random)
    {
        Architecture = architecture;
        _embedding = RegisterModule("embedding", new Embedding(architecture.VocabularySize, architecture.EmbeddingDimension, paddingIdx: 0, random: random));
        _wordRnn = RegisterModule("word_rnn", RecurrentLayers.Create(architecture.Cell, architecture.EmbeddingDimension, architecture.HiddenSize,
            architecture.NumberOfLayers, architecture.Bidirectional, architecture.Dropout, random));
        int wordWidth = architecture.Directions * architecture.HiddenSize;
        _wordAttention = RegisterModule("word_attention", AttentionPooling.Additive(wordWidth, architecture.AttentionSize, random: random));
        _sentenceRnn = RegisterModule("sentence_rnn", RecurrentLayers.Create(architecture.Cell, wordWidth, architecture.SentenceHiddenSize,
            architecture.NumberOfLayers, architecture.Bidirectional, architecture.Dropout, random));
        int sentenceWidth = architecture.Directions * architecture.SentenceHiddenSize;
        _sentenceAttention = RegisterModule("sentence_attention", AttentionPooling.Additive(sentenceWidth, architecture.AttentionSize, random: random));
        if (architecture.Dropout > 0) _dropout = RegisterModule("dropout", new Dropout(architecture.Dropout, random));
        _head = RegisterModule("head", new Linear(sentenceWidth, architecture.OutputCount, random: random));
    }

    public AttentionArchitecture Architecture { get; }

    /// <summary>The embedding table (to start from pretrained vectors or to freeze).</summary>
    public Embedding Embedding => _embedding;

    /// <summary>Word attention of the last forward, [B, S, W]; null before the first.</summary>
    public Tensor? LastWordWeights { get; private set; }

    /// <summary>Sentence attention of the last forward, [B, S]; null before the first.</summary>
    public Tensor? LastSentenceWeights { get; private set; }

    /// <summary>Floats per packed row: 1 + S + S·W.</summary>
    public int PackedRowWidth => 1 + Architecture.MaxSentences * (1 + Architecture.MaxWords);

    /// <summary>Runs packed rows [B, 1 + S + S·W] to logits [B, C].</summary>
    public override Tensor Forward(Tensor input, Tape? tape = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        int sentences = Architecture.MaxSentences, words = Architecture.MaxWords;
        if (input.Rank != 2 || input.Dim(1) != PackedRowWidth)
            throw new ArgumentException($"{nameof(HierarchicalAttentionNetwork)} expects packed rows [B, {PackedRowWidth}] (1 + {sentences} + {sentences}·{words}) but got [{string.Join(", ", input.Shape.ToArray())}].", nameof(input));
        int batch = input.Dim(0), sentenceRows = batch * sentences;
        Unpack(input.Span, batch);

        var embedded = _embedding.Forward(_ids.AsSpan(0, sentenceRows * words), [sentenceRows, words], tape);  // [B·S, W, E]
        var wordStates = _wordRnn.Forward(embedded, _wordLengths.AsSpan(0, sentenceRows), null, null, tape).Output;  // [B·S, W, Dw]
        var words1 = _wordAttention.Forward(wordStates, _wordPadding.AsSpan(0, sentenceRows * words), null, tape);
        var sentenceVectors = TensorOps.Reshape(words1.Context, [batch, sentences, words1.Context.Dim(1)], tape);  // [B, S, Dw]
        var sentenceStates = _sentenceRnn.Forward(sentenceVectors, _sentenceCounts.AsSpan(0, batch), null, null, tape).Output;  // [B, S, Ds]
        var document = _sentenceAttention.Forward(sentenceStates, _sentencePadding.AsSpan(0, sentenceRows), null, tape);
        LastWordWeights = Tape.View(tape, words1.Weights, [batch, sentences, words]);
        LastSentenceWeights = document.Weights;
        var features = _dropout is null ? document.Context : _dropout.Forward(document.Context, tape);
        return _head.Forward(features, tape);
    }

    // Packed [B, 1 + S + S·W] → ids [B·S, W] (0 at padding), word lengths [B·S] (at least 1: the recurrent layer reads one
    // padding step of an empty sentence, whose word attention is then fully masked), word padding [B·S, W],
    // sentence counts [B], sentence padding [B, S].
    private void Unpack(ReadOnlySpan<float> packed, int batch)
    {
        int sentences = Architecture.MaxSentences, words = Architecture.MaxWords, width = PackedRowWidth;
        PackedTokenRows.Grow(ref _ids, batch * sentences * words);
        PackedTokenRows.Grow(ref _wordPadding, batch * sentences * words);
        PackedTokenRows.Grow(ref _wordLengths, batch * sentences);
        PackedTokenRows.Grow(ref _sentencePadding, batch * sentences);
        PackedTokenRows.Grow(ref _sentenceCounts, batch);
        for (int b = 0; b < batch; b++)
        {
            var row = packed.Slice(b * width, width);
            int count = (int)row[0];
            if (count < 1 || count > sentences || count != row[0])
                throw new ArgumentException($"Row {b} has {row[0]} sentences; the count must be a whole number in [1, {sentences}].", "input");
            _sentenceCounts[b] = count;
            for (int s = 0; s < sentences; s++)
            {
                int sentence = b * sentences + s;
                int length = s < count ? (int)row[1 + s] : 0;
                if (length < 0 || length > words || (s < count && length != row[1 + s]))
                    throw new ArgumentException($"Row {b} sentence {s} has length {row[1 + s]}; lengths must be whole numbers in [0, {words}].", "input");
                _sentencePadding[sentence] = s >= count;
                _wordLengths[sentence] = Math.Max(length, 1);
                var ids = row.Slice(1 + sentences + s * words, words);
                for (int t = 0; t < words; t++)
                {
                    bool padded = t >= length;
                    _wordPadding[sentence * words + t] = padded;
                    _ids[sentence * words + t] = padded ? 0 : (int)ids[t];
                }
            }
        }
    }

    /// <inheritdoc />
    public override int[] OutputShape(ReadOnlySpan<int> inputShape) => [inputShape[0], Architecture.OutputCount];
}
