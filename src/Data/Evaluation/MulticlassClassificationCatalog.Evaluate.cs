namespace MLNetExt.Data;

public sealed partial class MulticlassClassificationCatalog
{
    /// <summary>
    /// Evaluates the scored output of a multiclass classifier: micro and macro accuracy, log-loss (in nats) and
    /// its reduction, per-class log-loss, the confusion matrix and, when asked for, top-K accuracy.
    /// </summary>
    /// <param name="data">The scored data, at least one row.</param>
    /// <param name="labelColumnName">The label column: a UInt32 key, class i + 1 for score slot i; the missing key 0 is refused.</param>
    /// <param name="scoreColumnName">
    /// The score column: a fixed-size Single vector of per-class probabilities, one slot per class, all finite.
    /// </param>
    /// <param name="predictedLabelColumnName">
    /// The predicted label column: a key. It must be present, as in ML.NET, but the metrics use the highest score.
    /// </param>
    /// <param name="topKPredictionCount">The K of top-K accuracy, at least 0; 0 skips it.</param>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or has another type, or <paramref name="topKPredictionCount"/> is negative.</exception>
    /// <exception cref="ArgumentException">A value is bad (the message names the column and row), or there are no rows.</exception>
    public MulticlassClassificationMetrics Evaluate(IDataView data, string labelColumnName = "Label", string scoreColumnName = "Score",
        string predictedLabelColumnName = "PredictedLabel", int topKPredictionCount = 0)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegative(topKPredictionCount);
        var label = EvaluationColumns.Require(data, labelColumnName, nameof(labelColumnName), "label",
            type => type is KeyDataViewType, "Key");
        var score = EvaluationColumns.Require(data, scoreColumnName, nameof(scoreColumnName), "score",
            type => type is VectorDataViewType { IsKnownSize: true } vector && vector.ItemType == NumberDataViewType.Single,
            "known-size vector of Single");
        EvaluationColumns.Require(data, predictedLabelColumnName, nameof(predictedLabelColumnName), "predicted label",
            type => type is KeyDataViewType, "Key");

        var counters = new MulticlassCounters(((VectorDataViewType)score.Type).Size, topKPredictionCount);
        using var cursor = data.GetRowCursor([label, score]);
        var labelGetter = cursor.GetGetter<uint>(label);
        var scoreGetter = cursor.GetGetter<VBuffer<float>>(score);
        uint key = 0;
        var scores = default(VBuffer<float>);
        while (cursor.MoveNext())
        {
            labelGetter(ref key);
            if (key == 0)
                throw EvaluationColumns.BadValue("label", label, cursor.Position, "is the missing key 0; every row needs a label");
            scoreGetter(ref scores);
            var values = scores.GetValues();
            if (values.Length != counters.Classes)
                throw EvaluationColumns.BadValue("score", score, cursor.Position,
                    $"has {values.Length} slots but the column's type has {counters.Classes}");
            foreach (float value in values)
            {
                if (!float.IsFinite(value))
                    throw EvaluationColumns.BadValue("score", score, cursor.Position, $"holds {value}; expected finite numbers");
            }
            counters.Add(values, (int)Math.Min(key - 1, int.MaxValue));
        }
        if (counters.Rows == 0)
            throw EvaluationColumns.NoRows();
        return counters.ToMetrics();
    }

    /// <summary>The sums a pass over the rows gathers, and the metrics made of them.</summary>
    private sealed class MulticlassCounters(int classes, int topK)
    {
        // The natural log-loss of a row is -ln(max(p, 1e-15)), the clip taken in single precision as ML.NET does.
        private const float MinimumProbability = 1e-15f;

        private readonly double[] _rowsOfClass = new double[classes];
        private readonly double[] _logLossOfClass = new double[classes];
        private readonly double[][] _confusion = Enumerable.Range(0, classes).Select(_ => new double[classes]).ToArray();
        private readonly double[] _rowsWithRank = new double[topK];
        private double _correct;
        private double _logLoss;

        public int Classes => classes;

        public double Rows { get; private set; }

        /// <param name="scores">The row's class scores.</param>
        /// <param name="trueClass">The 0-based true class; at or beyond the score count for a class the model does not know.</param>
        public void Add(ReadOnlySpan<float> scores, int trueClass)
        {
            Rows++;
            if (trueClass >= classes)
            {
                _logLoss -= Math.Log(MinimumProbability);
                return;
            }
            float trueScore = scores[trueClass];
            int rank = 0, predicted = 0;
            for (int c = 0; c < scores.Length; c++)
            {
                if (scores[c] > trueScore || (scores[c] == trueScore && c < trueClass))
                    rank++;
                if (scores[c] > scores[predicted])
                    predicted = c;
            }
            double logLoss = -Math.Log(Math.Min(1f, Math.Max(MinimumProbability, trueScore)));
            _logLoss += logLoss;
            _logLossOfClass[trueClass] += logLoss;
            _rowsOfClass[trueClass]++;
            _confusion[trueClass][predicted]++;
            if (rank == 0)
                _correct++;
            if (rank < topK)
                _rowsWithRank[rank]++;
        }

        public MulticlassClassificationMetrics ToMetrics()
        {
            double recallSum = 0, entropy = 0;
            int occurringClasses = 0;
            var perClassLogLoss = new double[classes];
            for (int c = 0; c < classes; c++)
            {
                if (_rowsOfClass[c] == 0)
                    continue;
                occurringClasses++;
                recallSum += _confusion[c][c] / _rowsOfClass[c];
                perClassLogLoss[c] = _logLossOfClass[c] / _rowsOfClass[c];
                double frequency = _rowsOfClass[c] / Rows;
                entropy -= frequency * Math.Log(frequency);
            }
            double logLoss = _logLoss / Rows;
            double[]? topKAccuracies = null;
            if (topK > 0)
            {
                topKAccuracies = new double[topK];
                double found = 0;
                for (int k = 0; k < topK; k++)
                {
                    found += _rowsWithRank[k];
                    topKAccuracies[k] = found / Rows;
                }
            }
            var classNames = Enumerable.Range(0, classes).Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            return new MulticlassClassificationMetrics(_correct / Rows, occurringClasses > 0 ? recallSum / occurringClasses : 0,
                logLoss, (entropy - logLoss) / entropy, topK, topKAccuracies, perClassLogLoss,
                new ConfusionMatrix(_confusion, classNames, isBinary: false));
        }
    }
}
