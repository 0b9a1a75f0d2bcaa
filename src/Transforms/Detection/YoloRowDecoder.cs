using System.Runtime.CompilerServices;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetExt.Core.Detection;

namespace MLNetExt.Transforms.Detection;

/// <summary>
/// Decodes the row a cursor is on once for all three output columns: candidates above the score threshold, per-class
/// (or class-agnostic) NMS, the cap on detections, then the letterbox inverse when original sizes are given.
/// </summary>
internal sealed class YoloRowDecoder
{
    private readonly YoloOutputGeometry _geometry;
    private readonly YoloDecoderOptions _options;
    private readonly ValueGetter<VBuffer<float>>[] _heads;
    private readonly ValueGetter<float>? _originalWidth;
    private readonly ValueGetter<float>? _originalHeight;
    private readonly VBuffer<float>[] _headValues;
    private readonly float[][] _dense;
    private readonly DetectionCandidates _candidates = new();
    private readonly DecodingScratch _scratch = new();
    private readonly DataViewRow _row;
    private long _position = -1;

    private YoloRowDecoder(DataViewRow row, YoloOutputGeometry geometry, YoloDecoderOptions options, DataViewSchema.Column[] heads,
        DataViewSchema.Column? originalWidth, DataViewSchema.Column? originalHeight)
    {
        _row = row;
        _geometry = geometry;
        _options = options;
        _heads = heads.Select(row.GetGetter<VBuffer<float>>).ToArray();
        _headValues = new VBuffer<float>[heads.Length];
        _dense = geometry.Heads.Select(h => new float[h.Size]).ToArray();
        _originalWidth = originalWidth is { } w ? row.GetGetter<float>(w) : null;
        _originalHeight = originalHeight is { } h ? row.GetGetter<float>(h) : null;
    }

    /// <summary>[K, 4] xyxy boxes of the current row, by decreasing score.</summary>
    public float[] Boxes { get; private set; } = [];

    /// <summary>[K] scores.</summary>
    public float[] Scores { get; private set; } = [];

    /// <summary>[K] class keys (class index + 1).</summary>
    public uint[] Keys { get; private set; } = [];

    /// <summary>One decoder per cursor row object, shared by the output columns of that cursor.</summary>
    public static Func<DataViewRow, YoloRowDecoder> PerRow(YoloOutputGeometry geometry, YoloDecoderOptions options, DataViewSchema.Column[] heads,
        DataViewSchema.Column? originalWidth, DataViewSchema.Column? originalHeight)
    {
        var decoders = new ConditionalWeakTable<DataViewRow, YoloRowDecoder>();
        return row => decoders.GetValue(row, r => new YoloRowDecoder(r, geometry, options, heads, originalWidth, originalHeight));
    }

    /// <summary>Decodes the current row unless it already has.</summary>
    /// <exception cref="InvalidOperationException">A head has the wrong length, or an original size is not a positive whole number; the message names the column and row.</exception>
    public void Decode()
    {
        if (_row.Position == _position)
            return;
        for (int i = 0; i < _heads.Length; i++)
        {
            _heads[i](ref _headValues[i]);
            var head = _geometry.Heads[i];
            if (_headValues[i].Length != head.Size)
                throw ColumnChecks.BadValue(head.Column, _row, $"it holds {_headValues[i].Length} values; the decoder was fitted on {head.Size}");
            _headValues[i].CopyTo(_dense[i]);
        }
        _geometry.Decode(_dense, _options.ScoreThreshold, _candidates, _scratch);
        var kept = NonMaxSuppression.Run(_candidates.Boxes, _candidates.Scores, _candidates.Classes, _options.IouThreshold,
            _options.ClassAgnostic, _options.MaxDetections);
        var boxes = new float[4 * kept.Length];
        var scores = new float[kept.Length];
        var keys = new uint[kept.Length];
        var candidateBoxes = _candidates.Boxes;
        for (int k = 0; k < kept.Length; k++)
        {
            candidateBoxes.Slice(4 * kept[k], 4).CopyTo(boxes.AsSpan(4 * k));
            scores[k] = _candidates.Scores[kept[k]];
            keys[k] = (uint)_candidates.Classes[kept[k]] + 1;
        }
        if (_originalWidth is not null)
            OriginalLetterbox().MapToOriginal(boxes);
        Boxes = boxes;
        Scores = scores;
        Keys = keys;
        _position = _row.Position;
    }

    private Letterbox OriginalLetterbox()
    {
        float width = 0, height = 0;
        _originalWidth!(ref width);
        _originalHeight!(ref height);
        if (!(width >= 1) || width != MathF.Round(width) || width > int.MaxValue)
            throw ColumnChecks.BadValue(_options.OriginalWidthColumnName!, _row, $"the original width {width} is not a positive whole number of pixels");
        if (!(height >= 1) || height != MathF.Round(height) || height > int.MaxValue)
            throw ColumnChecks.BadValue(_options.OriginalHeightColumnName!, _row, $"the original height {height} is not a positive whole number of pixels");
        return Letterbox.Fit((int)width, (int)height, _geometry.InputWidth, _geometry.InputHeight, _options.LetterboxKind);
    }
}
