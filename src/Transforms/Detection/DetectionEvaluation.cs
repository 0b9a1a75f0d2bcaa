using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetExt.Core.Detection;

namespace MLNetExt.Transforms.Detection;

/// <summary>
/// Reads ground truth and detections from a scored data view (one image per row, ML.NET's object-detection columns)
/// and evaluates them with <see cref="CocoEvaluator"/> and <see cref="VocEvaluator"/>.
/// </summary>
public static class DetectionEvaluation
{
    /// <summary>Evaluates the detections of every row against its objects.</summary>
    /// <param name="data">The scored data, one image per row.</param>
    /// <param name="labelColumnName">The objects' classes: a vector of keys with text <c>KeyValues</c>, or of text.</param>
    /// <param name="boxColumnName">The objects' boxes: a vector of Single, x1, y1, x2, y2 per object.</param>
    /// <param name="predictedLabelColumnName">The detections' classes: a vector of keys with text <c>KeyValues</c>, or of text.</param>
    /// <param name="predictedBoxesColumnName">The detections' boxes: a vector of Single, four per detection.</param>
    /// <param name="scoreColumnName">The detections' scores: a vector of Single.</param>
    /// <param name="maxDetections">COCO's maxDets: the most detections per image and class counted.</param>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or has the wrong type; the message names it.</exception>
    /// <exception cref="InvalidOperationException">A row's vectors disagree in length, or a label is the missing key; the message names the column and row.</exception>
    public static DetectionMetrics Evaluate(IDataView data, string labelColumnName = "Label", string boxColumnName = "Box",
        string predictedLabelColumnName = "PredictedLabel", string predictedBoxesColumnName = "PredictedBoundingBoxes",
        string scoreColumnName = "Score", int maxDetections = 100)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDetections, 1);
        var schema = data.Schema;
        var labels = ClassColumn(schema, labelColumnName);
        var boxes = SinglesColumn(schema, boxColumnName);
        var predictedLabels = ClassColumn(schema, predictedLabelColumnName);
        var predictedBoxes = SinglesColumn(schema, predictedBoxesColumnName);
        var scores = SinglesColumn(schema, scoreColumnName);

        // One class index space for both sides: the label's key values first, then any predicted name they lack.
        var classNames = new List<string>();
        var classIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string name in KeyValues(labels).Concat(KeyValues(predictedLabels)))
            if (classIndex.TryAdd(name, classNames.Count)) classNames.Add(name);

        var truth = new List<ImageGroundTruth>();
        var predictions = new List<ImagePredictions>();
        using (var cursor = data.GetRowCursor([labels, boxes, predictedLabels, predictedBoxes, scores]))
        {
            var readLabels = ClassReader(cursor, labels, classIndex, classNames);
            var readPredicted = ClassReader(cursor, predictedLabels, classIndex, classNames);
            var boxGetter = cursor.GetGetter<VBuffer<float>>(boxes);
            var predictedBoxGetter = cursor.GetGetter<VBuffer<float>>(predictedBoxes);
            var scoreGetter = cursor.GetGetter<VBuffer<float>>(scores);
            VBuffer<float> boxValues = default, predictedBoxValues = default, scoreValues = default;
            while (cursor.MoveNext())
            {
                int[] objectClasses = readLabels();
                int[] detectionClasses = readPredicted();
                boxGetter(ref boxValues);
                predictedBoxGetter(ref predictedBoxValues);
                scoreGetter(ref scoreValues);
                if (boxValues.Length != 4 * objectClasses.Length)
                    throw ColumnChecks.BadValue(boxColumnName, cursor, $"{boxValues.Length} box values for {objectClasses.Length} labels (4 per object)");
                if (predictedBoxValues.Length != 4 * detectionClasses.Length || scoreValues.Length != detectionClasses.Length)
                    throw ColumnChecks.BadValue(predictedBoxesColumnName, cursor,
                        $"{predictedBoxValues.Length} box values and {scoreValues.Length} scores for {detectionClasses.Length} predicted labels");
                truth.Add(new ImageGroundTruth(boxValues.DenseValues().ToArray(), objectClasses));
                predictions.Add(new ImagePredictions(predictedBoxValues.DenseValues().ToArray(), scoreValues.DenseValues().ToArray(), detectionClasses));
            }
        }
        int classCount = Math.Max(classNames.Count, 1);
        return new DetectionMetrics(classNames,
            CocoEvaluator.Evaluate(predictions, truth, classCount, maxDetections),
            VocEvaluator.Evaluate(predictions, truth, classCount));
    }

    private static DataViewSchema.Column ClassColumn(DataViewSchema schema, string name)
    {
        var column = ColumnChecks.Find(schema, name, "data");
        bool keys = column.Type is VectorDataViewType { ItemType: KeyDataViewType { RawType: var raw } } && raw == typeof(uint)
            && column.Annotations.Schema.GetColumnOrNull(ColumnChecks.KeyValues)?.Type is VectorDataViewType { ItemType: TextDataViewType };
        if (!keys && column.Type is not VectorDataViewType { ItemType: TextDataViewType })
            throw ColumnChecks.WrongType(name, "a vector of UInt32 keys with text KeyValues, or a vector of text", column.Type, "data");
        return column;
    }

    private static DataViewSchema.Column SinglesColumn(DataViewSchema schema, string name)
    {
        var column = ColumnChecks.Find(schema, name, "data");
        if (column.Type is not VectorDataViewType { ItemType: var item } || item != NumberDataViewType.Single)
            throw ColumnChecks.WrongType(name, "a vector of Single", column.Type, "data");
        return column;
    }

    private static string[] KeyValues(DataViewSchema.Column column)
    {
        if (((VectorDataViewType)column.Type).ItemType is not KeyDataViewType)
            return [];
        VBuffer<ReadOnlyMemory<char>> values = default;
        column.Annotations.GetValue(ColumnChecks.KeyValues, ref values);
        return [.. values.DenseValues().Select(v => v.ToString())];
    }

    // Reads the current row's classes as indices into the shared class list (text names not seen before are added).
    private static Func<int[]> ClassReader(DataViewRowCursor cursor, DataViewSchema.Column column, Dictionary<string, int> classIndex, List<string> classNames)
    {
        if (((VectorDataViewType)column.Type).ItemType is KeyDataViewType)
        {
            var names = KeyValues(column);
            var getter = cursor.GetGetter<VBuffer<uint>>(column);
            VBuffer<uint> keys = default;
            return () =>
            {
                getter(ref keys);
                return [.. keys.DenseValues().Select(key => key >= 1 && key <= names.Length
                    ? classIndex[names[key - 1]]
                    : throw ColumnChecks.BadValue(column.Name, cursor, $"key {key} is not one of the {names.Length} classes (0 is the missing key)"))];
            };
        }
        var textGetter = cursor.GetGetter<VBuffer<ReadOnlyMemory<char>>>(column);
        VBuffer<ReadOnlyMemory<char>> texts = default;
        return () =>
        {
            textGetter(ref texts);
            return [.. texts.DenseValues().Select(text =>
            {
                string name = text.ToString();
                if (!classIndex.TryGetValue(name, out int index))
                {
                    index = classNames.Count;
                    classIndex.Add(name, index);
                    classNames.Add(name);
                }
                return index;
            })];
        };
    }
}
