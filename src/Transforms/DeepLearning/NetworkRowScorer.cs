using System.Runtime.CompilerServices;
using Microsoft.ML;
using MLNetExt.Core.Autograd;

namespace MLNetExt.Transforms.DeepLearning;

/// <summary>
/// Runs a network once per row for all the output columns of one cursor: the outputs stay until the row's position
/// changes. Scorers of one network, on any number of threads, run it one at a time: its layers keep reusable scratch
/// buffers (a recurrent layer's workspace and packed weights), so overlapping runs would corrupt each other.
/// </summary>
/// <param name="network">The network the scorer runs, whose lock serializes the runs.</param>
internal abstract class NetworkRowScorer(object network)
{
    private long _position = -1;

    /// <summary>The current row's outputs (see the derived scorer).</summary>
    public float[] Outputs { get; protected set; } = [];

    /// <summary>
    /// The tape the derived scorer runs the network on: not recording, its arena hands the same tensors back every
    /// row, so scoring a row allocates next to nothing.
    /// </summary>
    protected Tape Tape { get; } = new() { IsRecording = false };

    /// <summary>One scorer per cursor row object, shared by all the output columns of that cursor.</summary>
    public static Func<DataViewRow, TScorer> PerRow<TScorer>(Func<DataViewRow, TScorer> create) where TScorer : NetworkRowScorer
    {
        var scorers = new ConditionalWeakTable<DataViewRow, TScorer>();
        return row => scorers.GetValue(row, r => create(r));
    }

    /// <summary><see cref="Outputs"/> with room for exactly <paramref name="length"/> values, reused while the length stays the same.</summary>
    protected float[] OutputsOfLength(int length) => Outputs.Length == length ? Outputs : Outputs = new float[length];

    /// <summary>Computes the outputs of the row the cursor is on, once per row.</summary>
    public void Score(DataViewRow row)
    {
        if (row.Position == _position)
            return;
        lock (network)
        {
            Tape.Reset();
            Compute(row);
        }
        _position = row.Position;
    }

    /// <summary>Reads the row's features, runs the network and sets <see cref="Outputs"/>.</summary>
    protected abstract void Compute(DataViewRow row);
}
