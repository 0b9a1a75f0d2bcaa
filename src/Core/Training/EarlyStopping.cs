using MLNetExt.Core.Modules;

namespace MLNetExt.Core.Training;

/// <summary>
/// Stops training once a monitored metric (usually the validation loss) has not improved for <see cref="Patience"/>
/// consecutive checks, optionally restoring the weights of the best check.
/// </summary>
/// <remarks>
/// A value improves on the best when it is lower than best − minDelta (<see cref="MetricMode.Min"/>) or higher than
/// best + minDelta (<see cref="MetricMode.Max"/>). With a module to watch, every improvement copies the module's
/// <see cref="Module.StateDict"/> tensors (parameters and buffers) into buffers allocated once by the constructor,
/// and the copy is written back when training stops (or on <see cref="RestoreBestWeights"/>).
/// </remarks>
public sealed class EarlyStopping
{
    private readonly Tensor[] _watched;
    private readonly float[][] _snapshot;

    /// <summary>Creates the monitor.</summary>
    /// <param name="patience">The number of consecutive checks without improvement that stops training (at least 1).</param>
    /// <param name="minDelta">The least change that counts as an improvement.</param>
    /// <param name="mode">Whether lower or higher values are better.</param>
    /// <param name="restoreBestWeightsOf">When given, this module's weights are snapshotted at each improvement and restored on stopping.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="patience"/> is less than 1, <paramref name="minDelta"/> is negative, or <paramref name="mode"/> is unknown.</exception>
    public EarlyStopping(int patience, double minDelta = 0, MetricMode mode = MetricMode.Min, Module? restoreBestWeightsOf = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(patience, 1);
        if (!double.IsFinite(minDelta) || minDelta < 0)
            throw new ArgumentOutOfRangeException(nameof(minDelta), minDelta, "minDelta must be a finite value ≥ 0.");
        if (!Enum.IsDefined(mode)) throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown metric mode.");
        Patience = patience;
        MinDelta = minDelta;
        Mode = mode;
        Best = mode == MetricMode.Min ? double.PositiveInfinity : double.NegativeInfinity;
        _watched = restoreBestWeightsOf?.StateDict().Select(kv => kv.Value).ToArray() ?? [];
        _snapshot = _watched.Select(t => new float[t.Length]).ToArray();
    }

    /// <summary>The number of consecutive checks without improvement that stops training.</summary>
    public int Patience { get; }

    /// <summary>The least change that counts as an improvement.</summary>
    public double MinDelta { get; }

    /// <summary>Whether lower or higher values are better.</summary>
    public MetricMode Mode { get; }

    /// <summary>The best value seen (∓∞ before the first check).</summary>
    public double Best { get; private set; }

    /// <summary>The zero-based index of the check that produced <see cref="Best"/>, or −1 before any improvement.</summary>
    public int BestCheck { get; private set; } = -1;

    /// <summary>Consecutive checks without improvement.</summary>
    public int ChecksWithoutImprovement { get; private set; }

    /// <summary>The number of checks so far.</summary>
    public int Checks { get; private set; }

    /// <summary>True once training should stop.</summary>
    public bool ShouldStop { get; private set; }

    /// <summary>True when a snapshot of the best weights exists.</summary>
    public bool HasSnapshot => BestCheck >= 0 && _watched.Length > 0;

    /// <summary>
    /// Records one check of the metric. On an improvement the weights are snapshotted; when patience runs out,
    /// <see cref="ShouldStop"/> becomes true and the best weights are restored.
    /// </summary>
    /// <returns>True when training should stop.</returns>
    /// <exception cref="InvalidOperationException">Training has already been stopped.</exception>
    public bool Report(double metric)
    {
        if (ShouldStop) throw new InvalidOperationException("Early stopping already triggered; no further checks are expected.");
        bool improved = Mode == MetricMode.Min ? metric < Best - MinDelta : metric > Best + MinDelta;
        if (improved)
        {
            Best = metric;
            BestCheck = Checks;
            ChecksWithoutImprovement = 0;
            for (int i = 0; i < _watched.Length; i++) _watched[i].Span.CopyTo(_snapshot[i]);
        }
        else
            ChecksWithoutImprovement++;
        Checks++;

        if (ChecksWithoutImprovement >= Patience)
        {
            ShouldStop = true;
            RestoreBestWeights();
        }
        return ShouldStop;
    }

    /// <summary>Copies the snapshot of the best weights back into the module; does nothing without a snapshot.</summary>
    /// <returns>True when weights were restored.</returns>
    public bool RestoreBestWeights()
    {
        if (!HasSnapshot) return false;
        for (int i = 0; i < _watched.Length; i++) _snapshot[i].CopyTo(_watched[i].Span);
        return true;
    }
}
