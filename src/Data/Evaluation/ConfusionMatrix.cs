using System.Globalization;
using System.Text;

namespace MLNetExt.Data;

/// <summary>
/// The <a href="https://en.wikipedia.org/wiki/Confusion_matrix">confusion matrix</a> of a classifier on labelled
/// data, as ML.NET's <c>ConfusionMatrix</c>: <see cref="Counts"/>[actual][predicted] is the number of rows of
/// actual class <c>actual</c> that were predicted as class <c>predicted</c>. For a binary classifier the classes
/// are, in order, "positive" and "negative", so the counts are [[TP, FN], [FP, TN]]; for a multiclass classifier
/// class i is label key i + 1.
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly bool _isBinary;

    internal ConfusionMatrix(double[][] counts, IReadOnlyList<string> classNames, bool isBinary)
    {
        int classes = counts.Length;
        var precision = new double[classes];
        var recall = new double[classes];
        for (int c = 0; c < classes; c++)
        {
            double predictedAsC = 0, actuallyC = 0;
            for (int other = 0; other < classes; other++)
            {
                predictedAsC += counts[other][c];
                actuallyC += counts[c][other];
            }
            precision[c] = predictedAsC > 0 ? counts[c][c] / predictedAsC : 0;
            recall[c] = actuallyC > 0 ? counts[c][c] / actuallyC : 0;
        }
        PerClassPrecision = precision;
        PerClassRecall = recall;
        Counts = counts.Select(row => (IReadOnlyList<double>)row).ToArray();
        NumberOfClasses = classes;
        PredictedClassesIndicators = classNames.Select(name => name.AsMemory()).ToArray();
        _isBinary = isBinary;
    }

    /// <summary>
    /// The precision of each class c: the rows correctly predicted as c over all rows predicted as c
    /// (Counts[c][c] / sum over a of Counts[a][c]); 0 for a class never predicted.
    /// </summary>
    public IReadOnlyList<double> PerClassPrecision { get; }

    /// <summary>
    /// The recall of each class c: the rows of class c predicted as c over all rows of class c
    /// (Counts[c][c] / sum over p of Counts[c][p]); 0 for a class that does not occur.
    /// </summary>
    public IReadOnlyList<double> PerClassRecall { get; }

    /// <summary>The counts, [actual class][predicted class]; <see cref="NumberOfClasses"/> rows of as many items.</summary>
    public IReadOnlyList<IReadOnlyList<double>> Counts { get; }

    /// <summary>The number of classes: 2 for a binary classifier, the score vector's length for a multiclass one.</summary>
    public int NumberOfClasses { get; }

    /// <summary>The names of the classes, in the order of <see cref="Counts"/>' rows and columns.</summary>
    public IReadOnlyList<ReadOnlyMemory<char>> PredictedClassesIndicators { get; }

    /// <summary>The number of rows of class <paramref name="actualClassIndicatorIndex"/> predicted as <paramref name="predictedClassIndicatorIndex"/>.</summary>
    /// <param name="predictedClassIndicatorIndex">The predicted class, in [0, <see cref="NumberOfClasses"/>).</param>
    /// <param name="actualClassIndicatorIndex">The actual class, in [0, <see cref="NumberOfClasses"/>).</param>
    public double GetCountForClassPair(int predictedClassIndicatorIndex, int actualClassIndicatorIndex)
    {
        if ((uint)predictedClassIndicatorIndex >= (uint)NumberOfClasses)
            throw new ArgumentOutOfRangeException(nameof(predictedClassIndicatorIndex), predictedClassIndicatorIndex,
                $"The matrix has {NumberOfClasses} classes.");
        if ((uint)actualClassIndicatorIndex >= (uint)NumberOfClasses)
            throw new ArgumentOutOfRangeException(nameof(actualClassIndicatorIndex), actualClassIndicatorIndex,
                $"The matrix has {NumberOfClasses} classes.");
        return Counts[actualClassIndicatorIndex][predictedClassIndicatorIndex];
    }

    /// <summary>
    /// The matrix as text, laid out as ML.NET prints it: one row per actual class ending with its recall, one
    /// column per predicted class, and a last line with each class's precision; a binary matrix is preceded by
    /// the test set's positive ratio.
    /// </summary>
    public string GetFormattedConfusionTable()
    {
        var culture = CultureInfo.InvariantCulture;
        string[] names = PredictedClassesIndicators.Select(n => n.ToString()).ToArray();
        string[][] cells = Counts.Select(row => row.Select(count => count.ToString("0.##", culture)).ToArray()).ToArray();
        int width = Math.Max("0.0000".Length, names.Concat(cells.SelectMany(row => row)).Max(text => text.Length));
        const int margin = 9;
        string rule = new string(' ', margin + 1) + "||" + new string('=', NumberOfClasses * (width + 3));

        var table = new StringBuilder();
        if (_isBinary)
        {
            double positives = Counts[0][0] + Counts[0][1], negatives = Counts[1][0] + Counts[1][1];
            double ratio = positives + negatives > 0 ? positives / (positives + negatives) : 0;
            table.Append(culture, $"TEST POSITIVE RATIO:\t{ratio:F4} ({positives:F1}/({positives:F1}+{negatives:F1}))").AppendLine();
        }
        table.AppendLine("Confusion table").AppendLine(rule);
        table.Append("PREDICTED".PadRight(margin + 1)).Append("||");
        foreach (string name in names)
            table.Append(' ').Append(name.PadLeft(width)).Append(" |");
        table.AppendLine(" Recall").Append("TRUTH".PadRight(margin + 1)).Append("||").AppendLine(rule[(margin + 3)..]);
        for (int actual = 0; actual < NumberOfClasses; actual++)
        {
            table.Append(names[actual].PadLeft(margin)).Append(" ||");
            foreach (string cell in cells[actual])
                table.Append(' ').Append(cell.PadLeft(width)).Append(" |");
            table.Append(culture, $" {PerClassRecall[actual]:F4}").AppendLine();
        }
        table.AppendLine(rule).Append("Precision".PadRight(margin + 1)).Append("||");
        foreach (double precision in PerClassPrecision)
            table.Append(' ').Append(precision.ToString("F4", culture).PadLeft(width)).Append(" |");
        return table.AppendLine().ToString();
    }
}
