using MLNetExt.Core.Optim;
using MLNetExt.Core.Training;

namespace MLNetExt.Core.Schedules;

/// <summary>
/// Lowers an optimizer's learning rate when a monitored metric stops improving
/// (<c>torch.optim.lr_scheduler.ReduceLROnPlateau</c>, 1.13, with the same semantics step for step).
/// </summary>
/// <remarks>
/// Each <see cref="Step"/> compares the metric with the best so far (see <see cref="ThresholdMode"/>). An improvement
/// resets the count of bad epochs; otherwise it grows. During a cooldown the count is held at zero. Once it exceeds
/// <see cref="Patience"/>, the rate becomes max(η·factor, minLr) (skipped when that changes η by no more than eps),
/// the cooldown starts and the count resets.
/// </remarks>
public sealed class ReduceLROnPlateau
{
    /// <summary>Creates the scheduler; it changes nothing until the first <see cref="Step"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">factor is outside [0, 1), or patience, threshold, cooldown, minLr or eps is negative.</exception>
    public ReduceLROnPlateau(Optimizer optimizer, MetricMode mode = MetricMode.Min, double factor = 0.1, int patience = 10,
        double threshold = 1e-4, ThresholdMode thresholdMode = ThresholdMode.Relative, int cooldown = 0, double minLr = 0, double eps = 1e-8)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        if (!(factor >= 0 && factor < 1))
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "factor must lie in [0, 1).");
        ArgumentOutOfRangeException.ThrowIfNegative(patience);
        ScheduleArguments.RequireNonNegative(threshold, nameof(threshold));
        ArgumentOutOfRangeException.ThrowIfNegative(cooldown);
        ScheduleArguments.RequireNonNegative(minLr, nameof(minLr));
        ScheduleArguments.RequireNonNegative(eps, nameof(eps));
        if (!Enum.IsDefined(mode)) throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown metric mode.");
        if (!Enum.IsDefined(thresholdMode)) throw new ArgumentOutOfRangeException(nameof(thresholdMode), thresholdMode, "Unknown threshold mode.");
        Optimizer = optimizer;
        Mode = mode;
        Factor = factor;
        Patience = patience;
        Threshold = threshold;
        ThresholdMode = thresholdMode;
        Cooldown = cooldown;
        MinLr = minLr;
        Eps = eps;
        Best = WorstValue;
    }

    /// <summary>The optimizer whose rate is lowered.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>Whether lower or higher metric values are better.</summary>
    public MetricMode Mode { get; }

    /// <summary>The factor the rate is multiplied by on a plateau.</summary>
    public double Factor { get; }

    /// <summary>How many steps without improvement are tolerated before the rate is lowered.</summary>
    public int Patience { get; }

    /// <summary>The margin by which a value must beat the best to count as an improvement.</summary>
    public double Threshold { get; }

    /// <summary>Whether <see cref="Threshold"/> is relative or absolute.</summary>
    public ThresholdMode ThresholdMode { get; }

    /// <summary>Steps after a reduction during which bad steps are not counted.</summary>
    public int Cooldown { get; }

    /// <summary>The floor of the learning rate.</summary>
    public double MinLr { get; }

    /// <summary>Reductions smaller than this are skipped.</summary>
    public double Eps { get; }

    /// <summary>The best metric value seen (∓∞ before the first step).</summary>
    public double Best { get; private set; }

    /// <summary>Consecutive steps without improvement, as counted by PyTorch's <c>num_bad_epochs</c>.</summary>
    public int BadSteps { get; private set; }

    /// <summary>The number of <see cref="Step"/> calls so far.</summary>
    public int CurrentStep { get; private set; }

    private int _cooldownCounter;

    private double WorstValue => Mode == MetricMode.Min ? double.PositiveInfinity : double.NegativeInfinity;

    /// <summary>Records the metric for one step (usually the validation loss of an epoch) and lowers the rate on a plateau.</summary>
    /// <returns>True when the learning rate was lowered.</returns>
    public bool Step(double metric)
    {
        CurrentStep++;
        if (IsBetter(metric))
        {
            Best = metric;
            BadSteps = 0;
        }
        else
            BadSteps++;

        if (_cooldownCounter > 0)
        {
            _cooldownCounter--;
            BadSteps = 0;
        }

        if (BadSteps <= Patience) return false;
        bool reduced = ReduceLearningRate();
        _cooldownCounter = Cooldown;
        BadSteps = 0;
        return reduced;
    }

    private bool ReduceLearningRate()
    {
        double oldRate = Optimizer.LearningRate;
        double newRate = Math.Max(oldRate * Factor, MinLr);
        if (oldRate - newRate <= Eps) return false;
        Optimizer.LearningRate = newRate;
        return true;
    }

    private bool IsBetter(double value) => (Mode, ThresholdMode) switch
    {
        (MetricMode.Min, ThresholdMode.Relative) => value < Best * (1 - Threshold),
        (MetricMode.Min, ThresholdMode.Absolute) => value < Best - Threshold,
        (MetricMode.Max, ThresholdMode.Relative) => value > Best * (Threshold + 1),
        _ => value > Best + Threshold,
    };
}
