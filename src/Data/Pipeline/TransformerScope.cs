namespace MLNetExt.Data;

/// <summary>
/// When a transformer of a chain applies, as ML.NET's <c>TransformerScope</c>: e.g. a label-conversion step is
/// needed for training and testing but not for scoring.
/// </summary>
[Flags]
public enum TransformerScope
{
    /// <summary>Never.</summary>
    None = 0,

    /// <summary>While training.</summary>
    Training = 1 << 0,

    /// <summary>While testing.</summary>
    Testing = 1 << 1,

    /// <summary>While scoring (prediction).</summary>
    Scoring = 1 << 2,

    /// <summary>Training and testing.</summary>
    TrainTest = Training | Testing,

    /// <summary>Always.</summary>
    Everything = Training | Testing | Scoring,
}
