namespace MLNetExt.Core.Autograd;

/// <summary>
/// One recorded operation: its backward, its output, up to three tensor inputs and a few scalar arguments.
/// A plain struct so that recording into the tape's reusable list allocates nothing.
/// </summary>
public readonly record struct TapeNode(
    IBackward Op,
    Tensor Output,
    Tensor? A,
    Tensor? B = null,
    Tensor? C = null,
    int IntArg = 0,
    float FloatArg = 0f,
    object? State = null,
    Tensor? Saved = null);
