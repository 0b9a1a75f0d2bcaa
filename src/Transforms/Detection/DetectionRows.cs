using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetExt.Transforms.Detection;

/// <summary>
/// Reads a detector's output (per row: a key vector of predicted labels with text key values, a vector of xyxy boxes,
/// four values per detection, and a vector of scores, as <see cref="YoloDecoderTransformer"/> and ML.NET's
/// ObjectDetection write them) as one <see cref="DetectionRow"/> per detection, row by row, lazily.
/// </summary>
public static class DetectionRows
{
    /// <summary>The detections of every row of <paramref name="scored"/>, in row order, each row's in its own order.</summary>
    /// <param name="scored">The scored data.</param>
    /// <param name="labelColumnName">The predicted labels: a vector of keys whose <c>KeyValues</c> are text.</param>
    /// <param name="boxesColumnName">The boxes: a vector of Single, x1, y1, x2, y2 per detection.</param>
    /// <param name="scoreColumnName">The scores: a vector of Single, one per detection.</param>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or has the wrong type; the message names it.</exception>
    /// <remarks>Enumerating throws <see cref="InvalidOperationException"/>, naming the row, when a row's three vectors disagree in length.</remarks>
    public static IEnumerable<DetectionRow> Read(IDataView scored, string labelColumnName = "PredictedLabel",
        string boxesColumnName = "PredictedBoundingBoxes", string scoreColumnName = "Score")
    {
        ArgumentNullException.ThrowIfNull(scored);
        var schema = scored.Schema;
        var labels = ColumnChecks.Find(schema, labelColumnName, nameof(scored));
        if (labels.Type is not VectorDataViewType { ItemType: KeyDataViewType { RawType: var raw } } || raw != typeof(uint)
            || labels.Annotations.Schema.GetColumnOrNull(ColumnChecks.KeyValues)?.Type is not VectorDataViewType { ItemType: TextDataViewType })
            throw ColumnChecks.WrongType(labelColumnName, "a vector of UInt32 keys with text KeyValues", labels.Type, nameof(scored));
        var boxes = RequireSingles(schema, boxesColumnName);
        var scores = RequireSingles(schema, scoreColumnName);
        VBuffer<ReadOnlyMemory<char>> keyValues = default;
        labels.Annotations.GetValue(ColumnChecks.KeyValues, ref keyValues);
        var names = keyValues.DenseValues().Select(v => v.ToString()).ToArray();
        return Enumerate(scored, labels, boxes, scores, names);
    }

    private static DataViewSchema.Column RequireSingles(DataViewSchema schema, string name)
    {
        var column = ColumnChecks.Find(schema, name, "scored");
        if (column.Type is not VectorDataViewType { ItemType: var item } || item != NumberDataViewType.Single)
            throw ColumnChecks.WrongType(name, "a vector of Single", column.Type, "scored");
        return column;
    }

    private static IEnumerable<DetectionRow> Enumerate(IDataView scored, DataViewSchema.Column labels, DataViewSchema.Column boxes,
        DataViewSchema.Column scores, string[] names)
    {
        using var cursor = scored.GetRowCursor([labels, boxes, scores]);
        var labelGetter = cursor.GetGetter<VBuffer<uint>>(labels);
        var boxGetter = cursor.GetGetter<VBuffer<float>>(boxes);
        var scoreGetter = cursor.GetGetter<VBuffer<float>>(scores);
        VBuffer<uint> keys = default;
        VBuffer<float> boxValues = default, scoreValues = default;
        while (cursor.MoveNext())
        {
            labelGetter(ref keys);
            boxGetter(ref boxValues);
            scoreGetter(ref scoreValues);
            if (boxValues.Length != 4 * keys.Length || scoreValues.Length != keys.Length)
                throw ColumnChecks.BadValue(boxes.Name, cursor,
                    $"{keys.Length} labels, {scoreValues.Length} scores and {boxValues.Length} box values do not describe the same detections");
            var k = keys.DenseValues().ToArray();
            var b = boxValues.DenseValues().ToArray();
            var s = scoreValues.DenseValues().ToArray();
            for (int i = 0; i < k.Length; i++)
            {
                yield return new DetectionRow
                {
                    Row = cursor.Position,
                    // Key 0 is the missing key: no class name.
                    Label = k[i] >= 1 && k[i] <= names.Length ? names[k[i] - 1] : "",
                    Score = s[i],
                    X1 = b[4 * i],
                    Y1 = b[4 * i + 1],
                    X2 = b[4 * i + 2],
                    Y2 = b[4 * i + 3],
                };
            }
        }
    }
}
