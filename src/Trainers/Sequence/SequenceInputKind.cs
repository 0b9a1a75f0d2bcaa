namespace MLNetExt.Trainers.Sequence;

/// <summary>How a sequence model reads its features column.</summary>
public enum SequenceInputKind
{
    /// <summary>A vector of keys (tokens, e.g. from <c>MapValueToKey</c> over <c>TokenizeIntoWords</c>) fed to a trainable embedding; missing keys (0) are skipped, so padding on either side is harmless.</summary>
    Keys = 0,

    /// <summary>A vector of Single holding T steps of <c>StepSize</c> values each, step after step.</summary>
    Floats = 1,
}
