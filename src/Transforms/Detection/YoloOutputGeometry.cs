using MLNetExt.Core.Detection;

namespace MLNetExt.Transforms.Detection;

/// <summary>
/// The layout and sizes of a YOLO model's outputs, resolved once from the decoder's options and the columns'
/// dimensions, and the decoding of one row's outputs into candidates (before NMS).
/// </summary>
internal sealed class YoloOutputGeometry
{
    // tiny-yolo-voc.cfg's anchors, in grid cells.
    private static readonly float[] TinyYoloV2VocAnchors = [1.08f, 1.19f, 3.42f, 4.41f, 6.63f, 11.38f, 9.42f, 5.11f, 16.62f, 10.52f];

    // yolov3.cfg's anchors, in pixels of a 416×416 input, smallest first.
    private static readonly float[] YoloV3CocoAnchors = [10, 13, 16, 30, 33, 23, 30, 61, 62, 45, 59, 119, 116, 90, 156, 198, 373, 326];

    // The ONNX model zoo's YOLOv4 anchors (yolov4_anchors.txt), in pixels of a 416×416 input, smallest first, and its
    // scale_x_y per head from the finest grid.
    private static readonly float[] YoloV4ZooAnchors = [12, 16, 19, 36, 40, 28, 36, 75, 76, 55, 72, 146, 142, 110, 192, 243, 459, 401];
    private static readonly float[] YoloV4ZooXYScales = [1.2f, 1.1f, 1.05f];

    private YoloOutputGeometry(YoloLayout layout, int classCount, int inputWidth, int inputHeight, YoloHead[] heads)
    {
        Layout = layout;
        ClassCount = classCount;
        InputWidth = inputWidth;
        InputHeight = inputHeight;
        Heads = heads;
    }

    /// <summary>The layout (never Auto).</summary>
    public YoloLayout Layout { get; }

    /// <summary>C.</summary>
    public int ClassCount { get; }

    /// <summary>The model input's width in pixels.</summary>
    public int InputWidth { get; }

    /// <summary>The model input's height in pixels.</summary>
    public int InputHeight { get; }

    /// <summary>The output columns, in the order of the options.</summary>
    public YoloHead[] Heads { get; }

    /// <summary>True for the layouts decoded with grids and anchors: tiny-YOLOv2, YOLOv3 and YOLOv4.</summary>
    public bool UsesAnchorGrids => Layout is YoloLayout.TinyYoloV2 or YoloLayout.YoloV3 or YoloLayout.YoloV4;

    /// <summary>Resolves the layout and sizes; <paramref name="dimensionsOf"/> gives each column's dimensions.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A column's size fits no layout, or not the one named; the message names the column and its dimensions.</exception>
    /// <exception cref="ArgumentException">The anchors or scale_x_y values do not match the heads, or a single-output layout is given several columns.</exception>
    public static YoloOutputGeometry Resolve(YoloDecoderOptions options, Func<string, int[]> dimensionsOf)
    {
        int classCount = options.ClassNames.Length;
        var columns = options.InputColumnNames;
        var dims = columns.Select(dimensionsOf).ToArray();
        var layout = options.Layout == YoloLayout.Auto ? Recognize(columns, dims, classCount) : options.Layout;
        if (layout is YoloLayout.TinyYoloV2 or YoloLayout.YoloV5 or YoloLayout.YoloV8 && columns.Length != 1)
            throw new ArgumentException($"The {layout} layout has one output column; {columns.Length} were given.", nameof(options.InputColumnNames));
        bool anchorGrids = layout is YoloLayout.TinyYoloV2 or YoloLayout.YoloV3 or YoloLayout.YoloV4;
        int inputWidth = options.InputWidth > 0 ? options.InputWidth : anchorGrids ? 416 : 640;
        int inputHeight = options.InputHeight > 0 ? options.InputHeight : anchorGrids ? 416 : 640;
        if (!anchorGrids)
        {
            int width = layout == YoloLayout.YoloV5 ? 5 + classCount : 4 + classCount;
            int size = Size(dims[0]);
            var core = Core(dims[0]);
            bool fits = size % width == 0 && (core.Length == 1 || core.Length == 2 && (layout == YoloLayout.YoloV5 ? core[1] : core[0]) == width);
            if (!fits)
                throw Mismatch(columns[0], dims[0], layout == YoloLayout.YoloV5 ? $"[1, N, 5 + {classCount}]" : $"[1, 4 + {classCount}, N]");
            return new YoloOutputGeometry(layout, classCount, inputWidth, inputHeight,
                [new YoloHead(columns[0], dims[0], size, 0, 0, [], 1, size / width)]);
        }

        var heads = new YoloHead[columns.Length];
        var grids = new (int Anchors, int Height, int Width)[columns.Length];
        for (int i = 0; i < columns.Length; i++)
        {
            var core = Core(dims[i]);
            if (layout == YoloLayout.YoloV4)
            {
                if (core.Length != 4 || core[3] != 5 + classCount)
                    throw Mismatch(columns[i], dims[i], $"[1, H, W, A, 5 + {classCount}]");
                grids[i] = (core[2], core[0], core[1]);
                continue;
            }
            if (core.Length != 3 || core[0] % (5 + classCount) != 0)
                throw Mismatch(columns[i], dims[i], $"[1, A·(5 + {classCount}), H, W]");
            grids[i] = (core[0] / (5 + classCount), core[1], core[2]);
        }
        var byFineness = Enumerable.Range(0, columns.Length).OrderByDescending(i => grids[i].Width * grids[i].Height).ToArray();
        var anchors = HeadAnchors(options, layout, grids, byFineness, inputWidth, inputHeight);
        for (int i = 0; i < columns.Length; i++)
        {
            if (anchors[i].Length != 2 * grids[i].Anchors)
                throw new ArgumentException(
                    $"Column '{columns[i]}' has {grids[i].Anchors} anchors per cell, but {anchors[i].Length / 2} anchor sizes were given for it.", nameof(options.Anchors));
            float xyScale = options.XYScales is { } scales
                ? (scales.Length == columns.Length ? scales[i] : throw new ArgumentException($"XYScales holds {scales.Length} values for {columns.Length} heads.", nameof(options.XYScales)))
                : layout == YoloLayout.YoloV4 && columns.Length == YoloV4ZooXYScales.Length ? YoloV4ZooXYScales[Array.IndexOf(byFineness, i)] : 1f;
            heads[i] = new YoloHead(columns[i], dims[i], Size(dims[i]), grids[i].Height, grids[i].Width, anchors[i], xyScale,
                grids[i].Anchors * grids[i].Height * grids[i].Width);
        }
        return new YoloOutputGeometry(layout, classCount, inputWidth, inputHeight, heads);
    }

    /// <summary>Appends the row's candidates over all heads, in output order, keeping scores above the threshold.</summary>
    /// <param name="outputs">Each head's values for the row, in the order of <see cref="Heads"/>.</param>
    /// <param name="scoreThreshold">Candidates need a score above this.</param>
    /// <param name="candidates">Receives the candidates.</param>
    /// <param name="scratch">Reusable buffers.</param>
    public void Decode(ReadOnlySpan<float[]> outputs, float scoreThreshold, DetectionCandidates candidates, DecodingScratch scratch)
    {
        candidates.Clear();
        for (int i = 0; i < Heads.Length; i++)
        {
            var head = Heads[i];
            var values = outputs[i].AsSpan(0, head.Size);
            switch (Layout)
            {
                case YoloLayout.YoloV8:
                    scratch.Ensure(head.BoxCount, ClassCount);
                    YoloDecoding.DecodeYoloV8(values, ClassCount, scoreThreshold, candidates, scratch.BestScores, scratch.BestClasses);
                    break;
                case YoloLayout.YoloV5:
                    YoloDecoding.DecodeYoloV5(values, ClassCount, scoreThreshold, candidates);
                    break;
                case YoloLayout.YoloV4:
                    YoloDecoding.DecodeYoloV4Head(values, ClassCount, head.Height, head.Width,
                        (float)InputWidth / head.Width, (float)InputHeight / head.Height, head.Anchors, head.XYScale, scoreThreshold, candidates);
                    break;
                default:
                    scratch.Ensure(0, ClassCount);
                    YoloDecoding.DecodeDarknetHead(values, ClassCount, head.Height, head.Width,
                        (float)InputWidth / head.Width, (float)InputHeight / head.Height, head.Anchors,
                        softmaxClasses: Layout == YoloLayout.TinyYoloV2, head.XYScale, scoreThreshold, candidates, scratch.ClassValues);
                    break;
            }
        }
    }

    private static YoloLayout Recognize(string[] columns, int[][] dims, int classCount)
    {
        var cores = dims.Select(Core).ToArray();
        if (cores.All(c => c.Length == 4 && c[3] == 5 + classCount))
            return YoloLayout.YoloV4;
        if (columns.Length > 1)
            return YoloLayout.YoloV3;
        var core = cores[0];
        if (core.Length == 3)
            return YoloLayout.TinyYoloV2;
        if (core.Length == 2)
        {
            bool v5 = core[1] == 5 + classCount, v8 = core[0] == 4 + classCount;
            if (v5 && v8)
                throw new ArgumentOutOfRangeException("inputSchema",
                    $"Column '{columns[0]}' has dimensions [{string.Join(", ", dims[0])}], which fit both YOLOv5 ([1, N, 5 + {classCount}]) and YOLOv8 ([1, 4 + {classCount}, N]); name the Layout.");
            if (v5) return YoloLayout.YoloV5;
            if (v8) return YoloLayout.YoloV8;
        }
        throw new ArgumentOutOfRangeException("inputSchema",
            $"Column '{columns[0]}' has dimensions [{string.Join(", ", dims[0])}], which fit no YOLO layout for {classCount} classes: expected [1, N, 5 + C] (YOLOv5), [1, 4 + C, N] (YOLOv8), [1, A·(5 + C), H, W] (tiny-YOLOv2) or [1, H, W, A, 5 + C] (YOLOv4); check ClassNames or name the Layout.");
    }

    // Each head's anchors in pixels. Given anchors go to the heads in column order; YOLOv3's and YOLOv4's defaults go
    // by grid size, the smallest anchors to the finest grid (as yolov3.cfg's masks and the zoo's YOLOv4 assign them).
    private static float[][] HeadAnchors(YoloDecoderOptions options, YoloLayout layout, (int Anchors, int Height, int Width)[] grids, int[] byFineness,
        int inputWidth, int inputHeight)
    {
        var result = new float[grids.Length][];
        if (options.Anchors is { } given)
        {
            int offset = 0;
            for (int i = 0; i < grids.Length; i++)
            {
                int count = Math.Min(2 * grids[i].Anchors, given.Length - offset);
                result[i] = given.AsSpan(offset, count).ToArray();
                offset += count;
            }
            if (offset != given.Length)
                throw new ArgumentException($"Anchors holds {given.Length / 2} sizes; the heads have {grids.Sum(g => g.Anchors)} anchors in all.", nameof(options.Anchors));
            return result;
        }
        if (layout == YoloLayout.TinyYoloV2)
        {
            float strideX = (float)inputWidth / grids[0].Width, strideY = (float)inputHeight / grids[0].Height;
            result[0] = TinyYoloV2VocAnchors.Select((a, k) => a * (k % 2 == 0 ? strideX : strideY)).ToArray();
            return result;
        }
        var defaults = layout == YoloLayout.YoloV4 ? YoloV4ZooAnchors : YoloV3CocoAnchors;
        int total = grids.Sum(g => g.Anchors);
        if (total * 2 != defaults.Length)
            throw new ArgumentException($"The heads have {total} anchors in all, not the {defaults.Length / 2} default anchors of {layout}; give Anchors.", nameof(options.Anchors));
        int next = 0;
        foreach (int i in byFineness)
        {
            result[i] = defaults.AsSpan(next, 2 * grids[i].Anchors).ToArray();
            next += 2 * grids[i].Anchors;
        }
        return result;
    }

    private static int[] Core(int[] dims)
    {
        int first = 0;
        while (first < dims.Length - 1 && dims[first] == 1) first++;
        return dims[first..];
    }

    private static int Size(int[] dims) => dims.Aggregate(1, (a, b) => a * b);

    private static ArgumentOutOfRangeException Mismatch(string column, int[] dims, string expected) =>
        new("inputSchema", $"Column '{column}' has dimensions [{string.Join(", ", dims)}]; this layout expects {expected}.");
}
