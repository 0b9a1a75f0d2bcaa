using MLNetExt.Core;
using MLNetExt.Core.Autograd;
using MLNetExt.Core.Modules;
using MLNetExt.Core.Modules.Attention;
using MLNetExt.Core.Ops;

namespace MLNetExt.Trainers.Attention;

/// <summary>
/// Transformer encoder classifier: token embedding scaled by √d → positional encoding → N encoder layers with a key
/// padding mask → mean over the valid tokens or the first token → dropout → linear head.
/// </summary>
/// <remarks>
/// <para>Input: packed rows [B, 1 + T] (see <see cref="PackedTokenRows"/>), T ≤ max_len. Output: logits [B, C]. After
/// a forward in evaluation mode, <see cref="LastAttentionWeights"/> [B, T] says how much each token counted.</para>
/// <para>The embedding starts from N(0, 1/d) and is scaled by √d, as in "Attention Is All You Need" (and fairseq): the
/// scaled tokens and the positional encoding then have the same size, so neither drowns the other. Pre-norm stacks
/// end with a layer norm (<c>encoder.norm</c>), post-norm stacks do not need one.</para>
/// <para>Parameter names as PyTorch's for the same module tree: <c>embedding.weight</c>, <c>position.weight</c> (learned;
/// the sinusoidal table is the buffer <c>position.pe</c>), <c>encoder.layers.0.self_attn.in_proj_weight</c>, …,
/// <c>head.weight</c>, <c>head.bias</c>.</para>
/// </remarks>
internal sealed class TransformerClassifierNetwork : Module
{
    private readonly PackedTokenRows _rows = new();
    private readonly Embedding _embedding;
    private readonly Module _position;
    private readonly Dropout? _inputDropout;
    private readonly TransformerEncoder _encoder;
    private readonly Dropout? _dropout;
    private readonly Linear _head;

    public TransformerClassifierNetwork(AttentionArchitecture architecture, RandomSource random)
    {
        Architecture = architecture;
        int d = architecture.EmbeddingDimension;
        _embedding = RegisterModule("embedding", new Embedding(architecture.VocabularySize, d, paddingIdx: 0, random: random));
        // N(0, 1/d), as the original transformer (and fairseq) start the table they scale by √d: the scaled tokens then
        // have unit size, as the positional encoding has, rather than drowning it.
        Init.Normal(_embedding.Weight, 0f, 1f / MathF.Sqrt(d), random);
        _embedding.Weight.Span[..d].Clear();
        _position = RegisterModule("position", architecture.PositionalEncoding == PositionalEncodingKind.Learned
            ? (Module)new LearnedPositionalEncoding(architecture.MaxLength, d, random)
            : new SinusoidalPositionalEncoding(d, architecture.MaxLength));
        if (architecture.Dropout > 0) _inputDropout = RegisterModule("input_dropout", new Dropout(architecture.Dropout, random));
        var layer = new TransformerEncoderLayer(d, architecture.Heads, architecture.FeedforwardSize, architecture.Dropout, architecture.Activation,
            normFirst: architecture.NormFirst, random: random);
        _encoder = RegisterModule("encoder", new TransformerEncoder(layer, architecture.EncoderLayers, architecture.NormFirst ? new LayerNorm(d) : null));
        if (architecture.Dropout > 0) _dropout = RegisterModule("dropout", new Dropout(architecture.Dropout, random));
        _head = RegisterModule("head", new Linear(d, architecture.OutputCount, random: random));
    }

    public AttentionArchitecture Architecture { get; }

    /// <summary>The embedding table (to start from pretrained vectors or to freeze).</summary>
    public Embedding Embedding => _embedding;

    /// <summary>The encoder stack.</summary>
    public TransformerEncoder Encoder => _encoder;

    /// <summary>Runs packed rows [B, 1 + T] to logits [B, C].</summary>
    public override Tensor Forward(Tensor input, Tape? tape = null)
    {
        var (lengths, ids, padding, steps) = _rows.Read(input, nameof(TransformerClassifierNetwork), Architecture.MaxLength);
        int batch = lengths.Length, d = Architecture.EmbeddingDimension;
        var embedded = TensorOps.Scale(_embedding.Forward(ids.Span, [batch, steps], tape), MathF.Sqrt(d), tape);  // [B, T, d]
        var x = _position.Forward(embedded, tape);
        if (_inputDropout is not null) x = _inputDropout.Forward(x, tape);
        // The last layer's weights are collected for inspection in evaluation mode only: training does not need them.
        var attended = _encoder.ForwardWithAttention(x, padding.Span, null, false, Training ? AttentionWeightsMode.None : AttentionWeightsMode.Averaged, tape);
        var encoded = attended.Output;  // [B, T, d]
        // The pooling is a product with fixed weights [B, 1, T]: 1/ℓ on the valid steps (mean) or 1 on the first.
        var poolingWeights = Tape.Allocate(tape, [batch, 1, steps]);
        for (int b = 0; b < batch; b++)
        {
            var row = poolingWeights.Span.Slice(b * steps, steps);
            if (Architecture.Pooling == TransformerPooling.First) row[0] = 1f;
            else row[..lengths.Span[b]].Fill(1f / lengths.Span[b]);
        }
        var pooled = TensorOps.Reshape(BatchedMatMulOp.Forward(poolingWeights, encoded, tape: tape), [batch, d], tape);
        LastAttentionWeights = attended.Weights is null ? null : TokenWeights(poolingWeights, attended.Weights, batch, steps, tape);
        var features = _dropout is null ? pooled : _dropout.Forward(pooled, tape);
        return _head.Forward(features, tape);
    }

    /// <summary>
    /// After a forward in evaluation mode, the weight of each token in the pooled vector's last attention, [B, T]: the
    /// last layer's weights averaged over heads, read by the pooled queries (the mean over the valid queries, or the
    /// first query's row). Zero at padding; each row sums to 1. Null after a forward in training mode.
    /// </summary>
    public Tensor? LastAttentionWeights { get; private set; }

    // Shapes: pooling [B, 1, T] (how the pooled vector reads the queries), weights [B, T, T] → [B, T] = pooling·weights.
    private static Tensor TokenWeights(Tensor pooling, Tensor weights, int batch, int steps, Tape? tape)
    {
        var tokens = Tape.Allocate(tape, [batch, steps]);
        for (int b = 0; b < batch; b++)
            Core.Kernels.Gemm.Sgemm(false, false, 1, steps, steps, 1f, pooling.Span.Slice(b * steps, steps), steps,
                weights.Span.Slice(b * steps * steps, steps * steps), steps, 0f, tokens.Span.Slice(b * steps, steps), steps);
        return tokens;
    }

    /// <inheritdoc />
    public override int[] OutputShape(ReadOnlySpan<int> inputShape) => [inputShape[0], Architecture.OutputCount];
}
