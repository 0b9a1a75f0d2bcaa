using MLNetExt.Trainers.DeepLearning;

namespace MLNetExt.Trainers.Mlp;

/// <summary>
/// The settings of the multi-layer perceptron trainers: the columns, the architecture, and the common deep-trainer
/// settings of <see cref="DeepTrainerOptions"/>. Checked when the trainer is created; never written to.
/// </summary>
public abstract class MlpTrainerOptions : DeepTrainerOptions
{
    /// <summary>Sets the MLP's defaults where they differ from the common ones (learning rate 0.01).</summary>
    protected MlpTrainerOptions() => LearningRate = 0.01;

    /// <summary>The label column; required. Its type depends on the task (see each trainer).</summary>
    public string LabelColumnName { get; set; } = "Label";

    /// <summary>The features column, a known-size vector of Single; required.</summary>
    public string FeatureColumnName { get; set; } = "Features";

    /// <summary>The widths of the hidden layers, input side first; each at least 1, and at least one layer. Default one layer of 64.</summary>
    public int[] HiddenLayers { get; set; } = [64];

    /// <summary>The non-linearity after each hidden layer; ReLU by default.</summary>
    public MlpActivation Activation { get; set; } = MlpActivation.ReLU;

    /// <summary>The probability that dropout zeroes a hidden unit while training, in [0, 1); 0 (the default) adds no dropout.</summary>
    public float DropoutRate { get; set; }

    /// <summary>Whether each hidden layer is followed by batch normalization (before the activation).</summary>
    public bool UseBatchNorm { get; set; }

    internal override void Validate()
    {
        if (string.IsNullOrEmpty(LabelColumnName))
            throw new ArgumentException($"Option {nameof(LabelColumnName)} needs a column name.", nameof(LabelColumnName));
        if (string.IsNullOrEmpty(FeatureColumnName))
            throw new ArgumentException($"Option {nameof(FeatureColumnName)} needs a column name.", nameof(FeatureColumnName));
        if (HiddenLayers is not { Length: > 0 } || HiddenLayers.Any(width => width < 1))
            throw new ArgumentOutOfRangeException(nameof(HiddenLayers), HiddenLayers is null ? "null" : $"[{string.Join(", ", HiddenLayers)}]",
                $"Option {nameof(HiddenLayers)} needs at least one layer, each of width at least 1.");
        if (!Enum.IsDefined(Activation))
            throw Bad(nameof(Activation), Activation, "must be one of " + string.Join(", ", Enum.GetNames<MlpActivation>()));
        if (!(DropoutRate >= 0 && DropoutRate < 1))
            throw Bad(nameof(DropoutRate), DropoutRate, "must lie in [0, 1)");
        base.Validate();
    }

    /// <summary>A copy that shares nothing mutable with these options.</summary>
    internal MlpTrainerOptions Copy()
    {
        var copy = (MlpTrainerOptions)CopyShallow();
        copy.HiddenLayers = [.. HiddenLayers];
        return copy;
    }
}
