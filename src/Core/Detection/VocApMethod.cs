namespace MLNetExt.Core.Detection;

/// <summary>How <see cref="VocEvaluator"/> turns a precision–recall curve into an average precision.</summary>
public enum VocApMethod
{
    /// <summary>
    /// PASCAL VOC 2007: AP = (1/11)·Σ_{t ∈ {0, 0.1, …, 1}} max{p(r) : r ≥ t} (0 where no recall reaches t); the
    /// thresholds are k/10 exactly.
    /// </summary>
    ElevenPoint,

    /// <summary>
    /// VOC 2010 and later: the area under the curve after precision is made non-increasing from the right,
    /// AP = Σ (r_{i+1} − r_i)·p_interp(r_{i+1}) with the curve started at (0, 0) and ended at (1, 0).
    /// </summary>
    AllPoints,
}
