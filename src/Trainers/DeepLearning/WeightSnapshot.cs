using MLNetExt.Core.Modules;

namespace MLNetExt.Trainers.DeepLearning;

/// <summary>
/// A copy of a module's parameters and buffers (its state dict), taken into buffers allocated once, so that the best
/// weights can be kept during training and put back without allocating.
/// </summary>
internal sealed class WeightSnapshot
{
    private readonly Core.Tensor[] _watched;
    private readonly float[][] _copies;

    public WeightSnapshot(Module module)
    {
        _watched = [.. module.StateDict().Select(entry => entry.Value)];
        _copies = [.. _watched.Select(tensor => new float[tensor.Length])];
    }

    /// <summary>Copies the module's current state into the snapshot.</summary>
    public void Capture()
    {
        for (int i = 0; i < _watched.Length; i++)
            _watched[i].Span.CopyTo(_copies[i]);
    }

    /// <summary>Writes the snapshot back into the module.</summary>
    public void Restore()
    {
        for (int i = 0; i < _watched.Length; i++)
            _copies[i].CopyTo(_watched[i].Span);
    }
}
