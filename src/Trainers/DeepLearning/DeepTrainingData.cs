namespace MLNetExt.Trainers.DeepLearning;

/// <summary>
/// The rows a <see cref="DeepTrainingLoop"/> trains on, in memory: every row's input is a block of
/// <c>RowShape</c> floats, and its target is either a class index (for <see cref="Core.Losses.CrossEntropyLoss"/>)
/// or a block of <c>TargetShape</c> floats (for the element-wise losses).
/// </summary>
/// <remarks>The arrays are used as given, not copied: do not change them while a run uses them.</remarks>
public sealed class DeepTrainingData
{
    /// <summary>The class that marks a token without a label in <see cref="ForTokenClasses"/> (PyTorch's ignore index): it adds neither loss nor gradient and is not counted by the accuracy.</summary>
    public const int IgnoredClass = -100;

    private DeepTrainingData(float[] inputs, int[] rowShape, int[]? classes, int classCount, float[]? targets, int[] targetShape, int classesPerRow = 1)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(rowShape);
        if (rowShape.Length == 0 || rowShape.Any(d => d < 1))
            throw new ArgumentException($"The row shape must have at least one dimension, all at least 1, but is [{string.Join(", ", rowShape)}].", nameof(rowShape));
        RowLength = rowShape.Aggregate(1, (product, d) => checked(product * d));
        if (inputs.Length % RowLength != 0)
            throw new ArgumentException($"The inputs hold {inputs.Length} floats, not a whole number of rows of {RowLength}.", nameof(inputs));
        RowCount = inputs.Length / RowLength;
        if (RowCount == 0)
            throw new ArgumentException("There are no rows to train on.", nameof(inputs));
        Inputs = inputs;
        RowShape = [.. rowShape];
        Classes = classes;
        ClassCount = classCount;
        ClassesPerRow = classesPerRow;
        Targets = targets;
        TargetShape = [.. targetShape];
        TargetLength = targetShape.Aggregate(1, (product, d) => checked(product * d));
    }

    /// <summary>Rows with class-index targets.</summary>
    /// <param name="inputs">The inputs, row after row: [N, ...rowShape] flattened.</param>
    /// <param name="rowShape">The shape of one row's input.</param>
    /// <param name="classes">The class of each row, in [0, <paramref name="classCount"/>).</param>
    /// <param name="classCount">The number of classes, at least 2.</param>
    /// <exception cref="ArgumentException">The lengths do not agree.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A class is out of range; the message names the row.</exception>
    public static DeepTrainingData ForClasses(float[] inputs, int[] rowShape, int[] classes, int classCount)
    {
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 2);
        var data = new DeepTrainingData(inputs, rowShape, classes, classCount, null, []);
        if (classes.Length != data.RowCount)
            throw new ArgumentException($"There are {data.RowCount} input rows but {classes.Length} classes.", nameof(classes));
        for (int row = 0; row < classes.Length; row++)
        {
            if ((uint)classes[row] >= (uint)classCount)
                throw new ArgumentOutOfRangeException(nameof(classes), classes[row], $"Row {row} has class {classes[row]}; expected a class in [0, {classCount}).");
        }
        return data;
    }

    /// <summary>
    /// Rows with one class-index target per token (sequence tagging): the model maps a batch of B rows to logits
    /// [B·<paramref name="classesPerRow"/>, C], row-major by row then token.
    /// </summary>
    /// <param name="inputs">The inputs, row after row: [N, ...rowShape] flattened.</param>
    /// <param name="rowShape">The shape of one row's input.</param>
    /// <param name="classes">[N, classesPerRow] flattened: each in [0, <paramref name="classCount"/>), or <see cref="IgnoredClass"/> for padding.</param>
    /// <param name="classesPerRow">The tokens per row, at least 1.</param>
    /// <param name="classCount">The number of classes, at least 2.</param>
    /// <exception cref="ArgumentException">The lengths do not agree.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A class is out of range; the message names the row and token.</exception>
    public static DeepTrainingData ForTokenClasses(float[] inputs, int[] rowShape, int[] classes, int classesPerRow, int classCount)
    {
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentOutOfRangeException.ThrowIfLessThan(classesPerRow, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 2);
        var data = new DeepTrainingData(inputs, rowShape, classes, classCount, null, [], classesPerRow);
        if (classes.Length != (long)data.RowCount * classesPerRow)
            throw new ArgumentException($"There are {data.RowCount} input rows, so {data.RowCount * (long)classesPerRow} token classes are needed, but there are {classes.Length}.", nameof(classes));
        for (int i = 0; i < classes.Length; i++)
        {
            if (classes[i] != IgnoredClass && (uint)classes[i] >= (uint)classCount)
                throw new ArgumentOutOfRangeException(nameof(classes), classes[i], $"Row {i / classesPerRow}, token {i % classesPerRow} has class {classes[i]}; expected a class in [0, {classCount}) or {IgnoredClass}.");
        }
        return data;
    }

    /// <summary>Rows with float targets.</summary>
    /// <param name="inputs">The inputs, row after row: [N, ...rowShape] flattened.</param>
    /// <param name="rowShape">The shape of one row's input.</param>
    /// <param name="targets">The targets, row after row: [N, ...targetShape] flattened.</param>
    /// <param name="targetShape">The shape of one row's target (and of the model's output for one row).</param>
    /// <exception cref="ArgumentException">The lengths do not agree.</exception>
    public static DeepTrainingData ForTargets(float[] inputs, int[] rowShape, float[] targets, int[] targetShape)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(targetShape);
        if (targetShape.Length == 0 || targetShape.Any(d => d < 1))
            throw new ArgumentException($"The target shape must have at least one dimension, all at least 1, but is [{string.Join(", ", targetShape)}].", nameof(targetShape));
        var data = new DeepTrainingData(inputs, rowShape, null, 0, targets, targetShape);
        if (targets.Length != (long)data.RowCount * data.TargetLength)
            throw new ArgumentException($"There are {data.RowCount} input rows, so {data.RowCount * (long)data.TargetLength} target floats are needed, but there are {targets.Length}.", nameof(targets));
        return data;
    }

    /// <summary>The number of rows.</summary>
    public int RowCount { get; }

    /// <summary>The shape of one row's input.</summary>
    public IReadOnlyList<int> RowShape { get; }

    /// <summary>The shape of one row's float target; empty for class targets.</summary>
    public IReadOnlyList<int> TargetShape { get; }

    /// <summary>The number of classes; 0 for float targets.</summary>
    public int ClassCount { get; }

    /// <summary>The class targets per row: 1, or the tokens per row of <see cref="ForTokenClasses"/>.</summary>
    public int ClassesPerRow { get; }

    internal float[] Inputs { get; }

    internal int RowLength { get; }

    internal int[]? Classes { get; }

    internal float[]? Targets { get; }

    internal int TargetLength { get; }
}
