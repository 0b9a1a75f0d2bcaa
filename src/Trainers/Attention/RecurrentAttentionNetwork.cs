using MLNetExt.Core;
using MLNetExt.Core.Autograd;
using MLNetExt.Core.Modules;
using MLNetExt.Core.Modules.Attention;
using MLNetExt.Core.Modules.Recurrent;
using MLNetExt.Trainers.Sequence;

namespace MLNetExt.Trainers.Attention;

/// <summary>
/// Recurrent + attention classifier: embedding → (bidirectional) LSTM or GRU over each sequence's own length →
/// additive attention with a learned query over the valid steps → dropout → linear head.
/// </summary>
/// <remarks>
/// <para>Input: packed rows [B, 1 + T] (see <see cref="PackedTokenRows"/>). Output: logits [B, C]. After each forward,
/// <see cref="LastAttentionWeights"/> holds α [B, T] (zero at padded steps): which tokens decided.</para>
/// <para>Parameter names as PyTorch's for the same module tree: <c>embedding.weight</c>, <c>rnn.weight_ih_l0</c>, …,
/// <c>attention.W.weight</c>, <c>attention.W.bias</c>, <c>attention.v.weight</c>, <c>head.weight</c>, <c>head.bias</c>.</para>
/// </remarks>
internal sealed class RecurrentAttentionNetwork : Module
{
    private readonly PackedTokenRows _rows = new();
    private readonly Embedding _embedding;
    private readonly RecurrentBase _rnn;
    private readonly AttentionPooling _attention;
    private readonly Dropout? _dropout;
    private readonly Linear _head;

    public RecurrentAttentionNetwork(AttentionArchitecture architecture, RandomSource random)
    {
        Architecture = architecture;
        _embedding = RegisterModule("embedding", new Embedding(architecture.VocabularySize, architecture.EmbeddingDimension, paddingIdx: 0, random: random));
        _rnn = RegisterModule("rnn", RecurrentLayers.Create(architecture.Cell, architecture.EmbeddingDimension, architecture.HiddenSize,
            architecture.NumberOfLayers, architecture.Bidirectional, architecture.Dropout, random));
        int width = architecture.Directions * architecture.HiddenSize;
        _attention = RegisterModule("attention", AttentionPooling.Additive(width, architecture.AttentionSize, random: random));
        if (architecture.Dropout > 0) _dropout = RegisterModule("dropout", new Dropout(architecture.Dropout, random));
        _head = RegisterModule("head", new Linear(width, architecture.OutputCount, random: random));
    }

    public AttentionArchitecture Architecture { get; }

    /// <summary>The embedding table (to start from pretrained vectors or to freeze).</summary>
    public Embedding Embedding => _embedding;

    /// <summary>α of the last forward, [B, T]; null before the first.</summary>
    public Tensor? LastAttentionWeights { get; private set; }

    /// <summary>Runs packed rows [B, 1 + T] to logits [B, C].</summary>
    public override Tensor Forward(Tensor input, Tape? tape = null)
    {
        var (lengths, ids, padding, steps) = _rows.Read(input, nameof(RecurrentAttentionNetwork));
        int batch = lengths.Length;
        var embedded = _embedding.Forward(ids.Span, [batch, steps], tape);  // [B, T, E]
        var outputs = _rnn.Forward(embedded, lengths.Span, null, null, tape).Output;  // [B, T, D·H]
        var pooled = _attention.Forward(outputs, padding.Span, null, tape);
        LastAttentionWeights = pooled.Weights;
        var features = _dropout is null ? pooled.Context : _dropout.Forward(pooled.Context, tape);
        return _head.Forward(features, tape);
    }

    /// <inheritdoc />
    public override int[] OutputShape(ReadOnlySpan<int> inputShape) => [inputShape[0], Architecture.OutputCount];
}
