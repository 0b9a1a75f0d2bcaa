using System.Collections.Immutable;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetExt.Transforms.Persistence;
using MLNetExt.Transforms.Saving;

namespace MLNetExt.Transforms.Detection;

/// <summary>
/// Decodes the raw outputs of a standard YOLO ONNX model (run by ML.NET's <c>ApplyOnnxModel</c>) into detections:
/// per row, the predicted classes (a vector of keys whose key values are the class names), the boxes (x1, y1, x2, y2
/// per detection, in model-input pixels or, with the original sizes, in original-image pixels) and the scores, by
/// decreasing score: the output columns of ML.NET's own detector (Microsoft.ML.TorchSharp's ObjectDetection).
/// Made by <c>mlContext.Transforms.DecodeYolo</c>; saved as kind <c>"YoloDecoder"</c>.
/// </summary>
/// <remarks>
/// <para>Per row: candidates with a score above <see cref="YoloDecoderOptions.ScoreThreshold"/> (see
/// <c>MLNetExt.Core.Detection.YoloDecoding</c> for each layout's formulas), then torchvision's per-class (or
/// class-agnostic) greedy NMS at <see cref="YoloDecoderOptions.IouThreshold"/>, the
/// <see cref="YoloDecoderOptions.MaxDetections"/> highest scores (equal scores by output index), then, with the
/// original-size columns, Ultralytics' letterbox inverse, clipped to the image.</para>
/// <para>In an ML.NET model file (<c>mlContext.Model.Save</c>) the decoder is saved as ML.NET's own transformers, so
/// plain ML.NET loads and scores it: an <c>OnnxTransformer</c> over <see cref="ColumnAddingTransformer.ExportOnnx"/>'s
/// graph (the same decoding in ONNX operators, ONNX's <c>NonMaxSuppression</c> per class, <c>TopK</c> for the order
/// and the cap), then <c>CopyColumns</c> for the boxes and scores and <c>MapValueToKey</c> over the class names for
/// the labels, which rebuilds the same key type and <c>KeyValues</c>. ONNX Runtime's sigmoid, exponential and softmax
/// round differently from .NET's in the last bits, so an anchor-grid layout's saved model agrees with the native decoder
/// to about 1e-6 relative, not bit for bit; YOLOv5 and YOLOv8 decode with multiplications and comparisons only.</para>
/// </remarks>
public sealed class YoloDecoderTransformer : ColumnAddingTransformer
{
    internal const string Kind = "YoloDecoder";

    private const string HeadRanksName = "headRanks";
    private const string HeadDimensionsName = "headDimensions";

    private readonly YoloDecoderOptions _options;
    private readonly YoloOutputGeometry _geometry;

    internal YoloDecoderTransformer(YoloDecoderOptions options, YoloOutputGeometry geometry)
    {
        _options = options;
        _geometry = geometry;
    }

    /// <summary>The layout the decoder reads (resolved when it was fitted).</summary>
    public YoloLayout Layout => _geometry.Layout;

    /// <summary>The class names, in the model's class order.</summary>
    public IReadOnlyList<string> ClassNames => _options.ClassNames;

    /// <summary>The columns the decoder was fitted on: each model output's name and its dimensions.</summary>
    public IReadOnlyList<(string Column, int[] Dimensions)> Outputs => [.. _geometry.Heads.Select(h => (h.Column, h.Dimensions.ToArray()))];

    /// <summary>Resolves the layout against <paramref name="schema"/> and checks every input column.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing, not a known-size vector of Single, or fits no layout.</exception>
    internal static YoloOutputGeometry Resolve(YoloDecoderOptions options, DataViewSchema schema, string paramName)
    {
        var geometry = YoloOutputGeometry.Resolve(options, name =>
        {
            var column = ColumnChecks.Find(schema, name, paramName);
            if (column.Type is not VectorDataViewType { Size: > 0 } vector || vector.ItemType != NumberDataViewType.Single)
                throw ColumnChecks.WrongType(name, "a known-size vector of Single (a model output)", column.Type, paramName);
            return vector.Dimensions.ToArray();
        });
        if (options.OriginalWidthColumnName is { } width)
            RequireSingle(schema, width, paramName);
        if (options.OriginalHeightColumnName is { } height)
            RequireSingle(schema, height, paramName);
        return geometry;
    }

    private static void RequireSingle(DataViewSchema schema, string name, string paramName)
    {
        var column = ColumnChecks.Find(schema, name, paramName);
        if (column.Type != NumberDataViewType.Single)
            throw ColumnChecks.WrongType(name, "Single (an image size in pixels)", column.Type, paramName);
    }

    private protected override AddedColumn[] Bind(DataViewSchema schema)
    {
        var heads = new DataViewSchema.Column[_geometry.Heads.Length];
        for (int i = 0; i < heads.Length; i++)
        {
            var head = _geometry.Heads[i];
            heads[i] = ColumnChecks.Find(schema, head.Column);
            if (heads[i].Type is not VectorDataViewType { Size: var size } vector || vector.ItemType != NumberDataViewType.Single || size != head.Size)
                throw ColumnChecks.WrongType(head.Column, $"Vector<Single, {string.Join(", ", head.Dimensions)}>", heads[i].Type);
        }
        DataViewSchema.Column? width = null, height = null;
        if (_options.OriginalWidthColumnName is not null)
        {
            RequireSingle(schema, _options.OriginalWidthColumnName, "inputSchema");
            RequireSingle(schema, _options.OriginalHeightColumnName!, "inputSchema");
            width = schema[_options.OriginalWidthColumnName];
            height = schema[_options.OriginalHeightColumnName!];
        }
        var dependencies = width is null ? heads : [.. heads, width.Value, height!.Value];
        var decoderOf = YoloRowDecoder.PerRow(_geometry, _options, heads, width, height);

        var labels = new DataViewSchema.DetachedColumn(_options.PredictedLabelColumnName,
            new VectorDataViewType(new KeyDataViewType(typeof(uint), _options.ClassNames.Length)), ClassNameAnnotations());
        var boxes = new DataViewSchema.DetachedColumn(_options.PredictedBoundingBoxesColumnName, new VectorDataViewType(NumberDataViewType.Single));
        var scores = new DataViewSchema.DetachedColumn(_options.ScoreColumnName, new VectorDataViewType(NumberDataViewType.Single));
        return
        [
            new AddedColumn(labels, dependencies, ColumnGetterFactory.Of(Getter(decoderOf, d => d.Keys))),
            new AddedColumn(boxes, dependencies, ColumnGetterFactory.Of(Getter(decoderOf, d => d.Boxes))),
            new AddedColumn(scores, dependencies, ColumnGetterFactory.Of(Getter(decoderOf, d => d.Scores))),
        ];
    }

    private static Func<DataViewRow, ValueGetter<VBuffer<T>>> Getter<T>(Func<DataViewRow, YoloRowDecoder> decoderOf, Func<YoloRowDecoder, T[]> read) =>
        row =>
        {
            var decoder = decoderOf(row);
            return (ref VBuffer<T> value) =>
            {
                decoder.Decode();
                var values = read(decoder);
                var editor = VBufferEditor.Create(ref value, values.Length);
                values.CopyTo(editor.Values);
                value = editor.Commit();
            };
        };

    /// <summary>The <c>KeyValues</c> annotation holding the class names.</summary>
    internal DataViewSchema.Annotations ClassNameAnnotations()
    {
        var names = _options.ClassNames.Select(n => n.AsMemory()).ToArray();
        var builder = new DataViewSchema.Annotations.Builder();
        builder.Add(ColumnChecks.KeyValues, new VectorDataViewType(TextDataViewType.Instance, names.Length),
            (ref VBuffer<ReadOnlyMemory<char>> value) => DenseVBuffer.Write(ref value, names));
        return builder.ToAnnotations();
    }

    /// <summary>The saved form (see the remarks): OnnxTransformer over the decoding graph, then ML.NET's own column transforms.</summary>
    private protected override ITransformer CreateSavableForm()
    {
        var exported = ExportGraph();
        var form = new OnnxSavedForm(exported.Inputs);
        string[] inputs = [.. exported.Inputs.Select(c => c.Name)];
        form.AddOnnx(exported.Graph, inputs, exported.OutputColumns, intermediateOutputs: true);
        var transforms = form.Context.Transforms;
        // In the native transformer's column order: labels, boxes, scores.
        var keyData = new ValuesDataView<ReadOnlyMemory<char>>("Value", TextDataViewType.Instance, [.. _options.ClassNames.Select(n => n.AsMemory())]);
        form.Add(transforms.Conversion.MapValueToKey(_options.PredictedLabelColumnName, YoloDecoderOnnx.LabelsOutput,
            maximumNumberOfKeys: _options.ClassNames.Length, keyData: keyData));
        form.Add(transforms.CopyColumns(_options.PredictedBoundingBoxesColumnName, YoloDecoderOnnx.BoxesOutput));
        form.Add(transforms.CopyColumns(_options.ScoreColumnName, YoloDecoderOnnx.ScoresOutput));
        return form.Build();
    }

    private protected override ExportedGraph ExportGraph()
    {
        var graph = YoloDecoderOnnx.Build(_geometry, _options);
        var writer = new NativeModelWriter();
        WriteNativeState(writer);
        NativeStateInOnnx.Write(graph, writer.ToState());
        var inputs = new DataViewSchema.Builder();
        foreach (var head in _geometry.Heads)
            inputs.AddColumn(head.Column, new VectorDataViewType(NumberDataViewType.Single, head.Dimensions));
        if (_options.OriginalWidthColumnName is { } width)
        {
            inputs.AddColumn(width, NumberDataViewType.Single);
            inputs.AddColumn(_options.OriginalHeightColumnName!, NumberDataViewType.Single);
        }
        return new ExportedGraph(graph, inputs.ToSchema(), [YoloDecoderOnnx.LabelsOutput, YoloDecoderOnnx.BoxesOutput, YoloDecoderOnnx.ScoresOutput]);
    }

    /// <summary>Saves the options, with the layout, input size and anchors as resolved, and each column's dimensions.</summary>
    internal void WriteNativeState(NativeModelWriter context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.SetKind(Kind);
        var resolved = _options.Validated();
        resolved.Layout = _geometry.Layout;
        resolved.InputWidth = _geometry.InputWidth;
        resolved.InputHeight = _geometry.InputHeight;
        if (_geometry.UsesAnchorGrids)
        {
            resolved.Anchors = [.. _geometry.Heads.SelectMany(h => h.Anchors)];
            resolved.XYScales = [.. _geometry.Heads.Select(h => h.XYScale)];
        }
        context.SetOptions(resolved);
        context.AddValues<int>(HeadRanksName, [.. _geometry.Heads.Select(h => h.Dimensions.Length)]);
        context.AddValues<int>(HeadDimensionsName, [.. _geometry.Heads.SelectMany(h => h.Dimensions)]);
    }

    internal static YoloDecoderTransformer Load(NativeModelReader context)
    {
        var saved = context.GetOptions<YoloDecoderOptions>();
        int headCount = saved.InputColumnNames?.Length ?? 0;
        if (headCount > SavedModelLimits.MaximumLayers)
            throw context.Invalid($"it reads {headCount} model outputs, more than the limit of {SavedModelLimits.MaximumLayers}");
        if ((saved.ClassNames?.Length ?? 0) > SavedModelLimits.MaximumWidth)
            throw context.Invalid($"it has {saved.ClassNames!.Length} classes, more than the limit of {SavedModelLimits.MaximumWidth}");
        var ranks = context.GetValues<int>(HeadRanksName, headCount);
        if (ranks.Any(r => r < 1 || r > 8))
            throw context.Invalid($"its output ranks [{string.Join(", ", ranks)}] are not between 1 and 8");
        var dims = context.GetValues<int>(HeadDimensionsName, ranks.Sum());
        long largest = 0;
        for (int i = 0, offset = 0; i < headCount; offset += ranks[i], i++)
            largest = Math.Max(largest, dims[offset..(offset + ranks[i])].Aggregate(1L, (a, b) => a * Math.Max(b, 0)));
        if (dims.Any(d => d < 1) || largest > SavedModelLimits.MaximumWeights)
            throw context.Invalid($"its output dimensions [{string.Join(", ", dims)}] are not positive sizes of at most {SavedModelLimits.MaximumWeights} values");
        try
        {
            var options = saved.Validated();
            var byColumn = new Dictionary<string, int[]>(StringComparer.Ordinal);
            int offset = 0;
            for (int i = 0; i < headCount; i++)
            {
                byColumn[options.InputColumnNames[i]] = dims[offset..(offset + ranks[i])];
                offset += ranks[i];
            }
            return new YoloDecoderTransformer(options, YoloOutputGeometry.Resolve(options, name => byColumn[name]));
        }
        catch (ArgumentException e)
        {
            throw context.Invalid($"its options are not valid ({e.Message.Split('\n', 2)[0].TrimEnd('.', '\r')})");
        }
    }
}
