using System.Runtime.InteropServices;

namespace MLNetExt.Data;

/// <summary>
/// The scores and binary labels of every row of scored data, read once for the metrics of binary
/// classification and anomaly detection, with the base-2 log-loss summed on the way when a probability column is
/// given.
/// </summary>
internal sealed class LabeledScores
{
    private readonly List<float> _scores = [];
    private readonly List<bool> _labels = [];

    private LabeledScores()
    {
    }

    /// <summary>The scores, one per row.</summary>
    public ReadOnlySpan<float> Scores => CollectionsMarshal.AsSpan(_scores);

    /// <summary>Whether each row is positive.</summary>
    public ReadOnlySpan<bool> Labels => CollectionsMarshal.AsSpan(_labels);

    /// <summary>The number of rows.</summary>
    public int Count => _scores.Count;

    /// <summary>The number of positive rows.</summary>
    public int Positives { get; private set; }

    /// <summary>Sum over rows of -log2(p), p the probability of the row's label; 0 without a probability column.</summary>
    public double LogLossBitsSum { get; private set; }

    /// <summary>Reads every row of <paramref name="data"/>.</summary>
    /// <param name="data">The scored data.</param>
    /// <param name="label">A Boolean or Single label column.</param>
    /// <param name="score">A Single score column.</param>
    /// <param name="probability">A Single probability column, or null.</param>
    /// <exception cref="ArgumentException">A label is NaN, a score is not finite or a probability is outside [0, 1]; or there are no rows.</exception>
    public static LabeledScores Read(IDataView data, DataViewSchema.Column label, DataViewSchema.Column score, DataViewSchema.Column? probability)
    {
        var rows = new LabeledScores();
        DataViewSchema.Column[] needed = probability is { } p ? [label, score, p] : [label, score];
        using var cursor = data.GetRowCursor(needed);
        var readLabel = EvaluationColumns.CreateBinaryLabelReader(cursor, label);
        var readScore = EvaluationColumns.CreateFiniteReader(cursor, score, "score");
        var readProbability = probability is { } column ? cursor.GetGetter<float>(column) : null;
        float probabilityValue = 0;
        while (cursor.MoveNext())
        {
            bool isPositive = readLabel();
            rows._labels.Add(isPositive);
            rows._scores.Add(readScore());
            rows.Positives += isPositive ? 1 : 0;
            if (readProbability is null)
                continue;
            readProbability(ref probabilityValue);
            if (!(probabilityValue >= 0 && probabilityValue <= 1))
                throw EvaluationColumns.BadValue("probability", probability!.Value, cursor.Position,
                    $"is {probabilityValue}; expected a probability in [0, 1]");
            rows.LogLossBitsSum -= Math.Log(isPositive ? probabilityValue : 1.0 - probabilityValue, 2);
        }
        if (rows.Count == 0)
            throw EvaluationColumns.NoRows();
        return rows;
    }

    /// <summary>
    /// Throws unless both classes occur, since the area under the ROC curve is then undefined (ML.NET's error).
    /// </summary>
    /// <param name="label">The label column, for the message.</param>
    /// <param name="positiveClass">The positive class in messages, e.g. "positive", "anomaly".</param>
    public void RequireBothClasses(DataViewSchema.Column label, string positiveClass)
    {
        if (Positives == 0)
            throw new ArgumentException(
                $"AUC is not defined when there is no {positiveClass} class in the data: label column '{label.Name}' has no {positiveClass} rows.", "data");
        if (Positives == Count)
            throw new ArgumentException(
                $"AUC is not defined when there is no negative class in the data: label column '{label.Name}' has only {positiveClass} rows.", "data");
    }
}
