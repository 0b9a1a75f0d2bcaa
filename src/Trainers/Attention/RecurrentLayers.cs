using MLNetExt.Core;
using MLNetExt.Core.Modules.Recurrent;
using MLNetExt.Trainers.Sequence;

namespace MLNetExt.Trainers.Attention;

/// <summary>The recurrent stack of the recurrent and hierarchical attention networks.</summary>
internal static class RecurrentLayers
{
    /// <summary>An LSTM or GRU (batch first), with dropout between layers when there are several.</summary>
    public static RecurrentBase Create(SequenceCellType cell, int input, int hidden, int layers, bool bidirectional, float dropout, RandomSource random)
    {
        float between = layers > 1 ? dropout : 0f;
        return cell switch
        {
            SequenceCellType.Lstm => new LSTM(input, hidden, layers, dropout: between, bidirectional: bidirectional, random: random),
            SequenceCellType.Gru => new GRU(input, hidden, layers, dropout: between, bidirectional: bidirectional, random: random),
            _ => throw new ArgumentOutOfRangeException(nameof(cell), cell, "Expected Lstm or Gru."),
        };
    }
}
