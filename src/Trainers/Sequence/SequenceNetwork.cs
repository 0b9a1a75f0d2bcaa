using MLNetExt.Core;
using MLNetExt.Core.Autograd;
using MLNetExt.Core.Modules;
using MLNetExt.Core.Modules.Recurrent;
using MLNetExt.Core.Ops;

namespace MLNetExt.Trainers.Sequence;

/// <summary>
/// The network of every sequence trainer: an optional embedding, a stack of LSTM, GRU or RNN (tanh) layers run over each
/// sequence's own length, then either pooling and a linear head (many-to-one) or a linear head on every step (tagging).
/// </summary>
/// <remarks>
/// <para>Packed input rows (so that the shared <see cref="DeepLearning.DeepTrainingLoop"/> can batch them as plain
/// float rows): [B, 1 + T·W], where element 0 of a row is its length ℓ in [1, T] and the rest are T steps of W floats
/// (W = 1 key id for key input, F values for float input; steps at or after ℓ are padding and never read).</para>
/// <para>Outputs: [B, C] for many-to-one tasks; [B·T, C] for tagging, row b·T + t holding step t of sequence b
/// (the logits of padded steps are the head's bias, and training ignores them).</para>
/// <para>Parameter names as PyTorch's for the same module tree: <c>embedding.weight</c>, <c>rnn.weight_ih_l0</c>, …,
/// <c>head.weight</c>, <c>head.bias</c>.</para>
/// </remarks>
internal sealed class SequenceNetwork : Module
{
    private readonly Embedding? _embedding;
    private readonly RecurrentBase _rnn;
    private readonly Dropout? _dropout;
    private readonly Linear _head;
    private int[] _lengths = [];

    public SequenceNetwork(SequenceArchitecture architecture, RandomSource random)
    {
        Architecture = architecture;
        if (architecture.InputKind == SequenceInputKind.Keys)
            _embedding = RegisterModule("embedding", new Embedding(architecture.VocabularySize, architecture.EmbeddingDimension, paddingIdx: 0, random: random));
        int input = architecture.RecurrentInputSize, hidden = architecture.HiddenSize, layers = architecture.NumberOfLayers;
        float dropout = layers > 1 ? architecture.Dropout : 0f;
        _rnn = RegisterModule<RecurrentBase>("rnn", architecture.Cell switch
        {
            SequenceCellType.Lstm => new LSTM(input, hidden, layers, dropout: dropout, bidirectional: architecture.Bidirectional, random: random),
            SequenceCellType.Gru => new GRU(input, hidden, layers, dropout: dropout, bidirectional: architecture.Bidirectional, random: random),
            SequenceCellType.Rnn => new RNN(input, hidden, layers, RnnNonlinearity.Tanh, dropout: dropout, bidirectional: architecture.Bidirectional, random: random),
            _ => throw new ArgumentOutOfRangeException(nameof(architecture), architecture.Cell, "Expected Lstm, Gru or Rnn."),
        });
        if (architecture.Dropout > 0)
            _dropout = RegisterModule("dropout", new Dropout(architecture.Dropout, random));
        _head = RegisterModule("head", new Linear(architecture.Directions * hidden, architecture.OutputCount, random: random));
    }

    public SequenceArchitecture Architecture { get; }

    /// <summary>The embedding table, or null for float input.</summary>
    public Embedding? Embedding => _embedding;

    /// <summary>The recurrent stack.</summary>
    public RecurrentBase Recurrent => _rnn;

    /// <summary>Runs packed rows [B, 1 + T·W] to logits (see the class remarks).</summary>
    public override Tensor Forward(Tensor input, Tape? tape = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        int width = Architecture.PackedStepWidth;
        if (input.Rank != 2 || input.Dim(1) < 1 + width || (input.Dim(1) - 1) % width != 0)
            throw new ArgumentException($"A sequence network expects packed rows [B, 1 + T·{width}] but got [{string.Join(", ", input.Shape.ToArray())}].", nameof(input));
        int batch = input.Dim(0), steps = (input.Dim(1) - 1) / width, rowWidth = input.Dim(1);
        // Grown, never shrunk: training alternates full, tail and validation batches and must not allocate for each.
        if (_lengths.Length < batch)
            _lengths = new int[batch];
        var lengths = _lengths.AsSpan(0, batch);
        var packed = input.Span;
        for (int b = 0; b < batch; b++)
            lengths[b] = (int)packed[b * rowWidth];

        Tensor sequence;
        if (_embedding is not null)
        {
            var ids = Tape.Allocate(tape, [batch, steps], clear: false);
            for (int b = 0; b < batch; b++)
                packed.Slice(b * rowWidth + 1, steps).CopyTo(ids.Span.Slice(b * steps, steps));
            sequence = _embedding.Forward(ids, tape);
        }
        else
        {
            sequence = Tape.Allocate(tape, [batch, steps, width], clear: false);
            for (int b = 0; b < batch; b++)
                packed.Slice(b * rowWidth + 1, steps * width).CopyTo(sequence.Span.Slice(b * steps * width, steps * width));
        }
        var outputs = _rnn.Forward(sequence, lengths, null, null, tape).Output;
        Tensor features = Architecture.Task == SequenceTask.Tagging
            ? TensorOps.Reshape(outputs, [batch * steps, outputs.Dim(2)], tape)
            : SequencePoolingOp.Forward(outputs, lengths, Architecture.Pooling, Architecture.Directions, tape);
        if (_dropout is not null)
            features = _dropout.Forward(features, tape);
        return _head.Forward(features, tape);
    }

    /// <inheritdoc />
    public override int[] OutputShape(ReadOnlySpan<int> inputShape)
    {
        int steps = (inputShape[1] - 1) / Architecture.PackedStepWidth;
        return Architecture.Task == SequenceTask.Tagging
            ? [inputShape[0] * steps, Architecture.OutputCount]
            : [inputShape[0], Architecture.OutputCount];
    }
}
