using MLNetExt.Core.Detection;
using MLNetExt.Transforms.Detection;
using static MLNetExt.Estimators.Tests.Detection.YoloHeads;

namespace MLNetExt.Estimators.Tests.Detection;

public class YoloDecoderTests
{
    private static readonly string[] ThreeClasses = ["cat", "dog", "bird"];

    // The expected detections of YoloHeads.YoloV8/YoloV5: b0, b2, b3, b5 by score, equal scores (b3, b5) by index.
    private const string ExpectedLabels = "[cat, dog, bird, dog]";
    private const string ExpectedBoxes = "[75, 75, 125, 125, 77, 76, 127, 126, 280, 160, 320, 240, 490, 90, 510, 110]";
    private const string ExpectedScores = "[0.9, 0.85, 0.7, 0.7]";

    [Fact]
    public void Yolov8_in_one_pipeline_after_ApplyOnnxModel_saves_and_loads()
    {
        var ml = new MLContext(1);
        int[] dims = [1, 7, 6];
        var data = Rows(ml, dims, new HeadRow { Raw = YoloV8() }, new HeadRow { Raw = YoloV8(scale: 0.1f) });
        var pipeline = ml.Transforms.ApplyOnnxModel("output0", "Raw", PassThroughModel(dims, "output0"))
            .Append(ml.Transforms.DecodeYolo("output0", ThreeClasses));
        var result = EstimatorWorkout.Run(ml, pipeline, data);

        result.Transformer.LastTransformer.Layout.Should().Be(YoloLayout.YoloV8);
        result.Output.Schema["PredictedLabel"].Type.Should().Be(new VectorDataViewType(new KeyDataViewType(typeof(uint), 3)));
        DataViewCells.Column(result.Output, "PredictedLabel").Should().Equal("[1, 2, 3, 2]", "[]");
        DataViewCells.Column(result.Output, "PredictedBoundingBoxes").Should().Equal(ExpectedBoxes, "[]");
        DataViewCells.Column(result.Output, "Score").Should().Equal(ExpectedScores, "[]");
        var back = ml.Transforms.Conversion.MapKeyToValue("Names", "PredictedLabel").Fit(result.Output).Transform(result.Output);
        DataViewCells.Column(back, "Names").Should().Equal(ExpectedLabels, "[]");

        // The file holds only ML.NET's own transformers (plain ML.NET scores it), and MLNetExt reopens the decoder.
        string path = Path.Combine(Path.GetTempPath(), $"mlnetext-yolo-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(result.Transformer, data.Schema, path);
            var loaded = (TransformerChain<ITransformer>)ml.Model.Load(path, out _);
            Flatten(loaded).Select(t => t.GetType().Assembly.GetName().Name).Should().OnlyContain(name => name!.StartsWith("Microsoft.ML"));
            var reopened = MLNetExt.Transforms.MLNetExtModel.Load<YoloDecoderTransformer>(path);
            reopened.Layout.Should().Be(YoloLayout.YoloV8);
            reopened.ClassNames.Should().Equal(ThreeClasses);
            var native = reopened.Transform(result.Transformer.Take(1).Single().Transform(data));
            DataViewCells.Column(native, "PredictedBoundingBoxes").Should().Equal(ExpectedBoxes, "[]");
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static IEnumerable<ITransformer> Flatten(ITransformer transformer) =>
        transformer is IEnumerable<ITransformer> chain ? chain.SelectMany(Flatten) : [transformer];

    [Fact]
    public void Detections_read_as_one_row_each()
    {
        var ml = new MLContext(1);
        int[] dims = [1, 7, 6];
        var data = Rows(ml, dims, new HeadRow { Raw = YoloV8() }, new HeadRow { Raw = YoloV8(scale: 0.1f) }, new HeadRow { Raw = YoloV8() });
        var scored = ml.Transforms.ApplyOnnxModel("output0", "Raw", PassThroughModel(dims, "output0"))
            .Append(ml.Transforms.DecodeYolo("output0", ThreeClasses, maxDetections: 2)).Fit(data).Transform(data);

        var tidy = ml.Data.ToDetectionRows(scored);
        var rows = ml.Data.CreateEnumerable<DetectionRow>(tidy, reuseRowObject: false).ToArray();
        rows.Select(r => (r.Row, r.Label, r.Score)).Should().Equal((0L, "cat", 0.9f), (0L, "dog", 0.85f), (2L, "cat", 0.9f), (2L, "dog", 0.85f));
        rows[1].Should().BeEquivalentTo(new DetectionRow { Row = 0, Label = "dog", Score = 0.85f, X1 = 77, Y1 = 76, X2 = 127, Y2 = 126 });
        ml.Data.CreateEnumerable<DetectionRow>(tidy, reuseRowObject: false).Should().HaveCount(4, "each pass reads the scored data again");

        // Raw is a vector of Single, but not four values per detection: reading says which row and column disagree.
        var mismatched = ml.Data.ToDetectionRows(scored, boxesColumnName: "Raw");
        FluentActions.Invoking(() => ml.Data.CreateEnumerable<DetectionRow>(mismatched, reuseRowObject: false).ToArray())
            .Should().Throw<InvalidOperationException>().WithMessage("*'Raw', row 0*2 labels, 2 scores and 42 box values*");
        FluentActions.Invoking(() => ml.Data.ToDetectionRows(scored, labelColumnName: "Score"))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'Score'*keys with text KeyValues*");
    }

    [Fact]
    public void Yolov5_scores_are_objectness_times_class_probability()
    {
        var ml = new MLContext(1);
        int[] dims = [1, 6, 8];
        var heads = ml.Transforms.ApplyOnnxModel("output0", "Raw", PassThroughModel(dims, "output0"))
            .Fit(Rows(ml, dims, new HeadRow { Raw = YoloV5() }));
        var data = heads.Transform(Rows(ml, dims, new HeadRow { Raw = YoloV5() }));
        var invalid = ml.Data.LoadFromEnumerable(new[] { new { output0 = 1f } });
        var result = EstimatorWorkout.Run(ml, ml.Transforms.DecodeYolo("output0", ThreeClasses), data, invalid, "output0");

        result.Transformer.Layout.Should().Be(YoloLayout.YoloV5);
        DataViewCells.Column(result.Output, "PredictedLabel").Should().Equal("[1, 2, 3, 2]");
        DataViewCells.Column(result.Output, "PredictedBoundingBoxes").Should().Equal(ExpectedBoxes);
        DataViewCells.Column(result.Output, "Score").Should().Equal(ExpectedScores);
    }

    [Fact]
    public void Class_agnostic_suppression_and_the_cap()
    {
        var ml = new MLContext(1);
        int[] dims = [1, 7, 6];
        var data = ml.Transforms.ApplyOnnxModel("output0", "Raw", PassThroughModel(dims, "output0"))
            .Fit(Rows(ml, dims, new HeadRow { Raw = YoloV8() })).Transform(Rows(ml, dims, new HeadRow { Raw = YoloV8() }));
        var agnostic = ml.Transforms.DecodeYolo(new YoloDecoderOptions { InputColumnNames = ["output0"], ClassNames = ThreeClasses, ClassAgnostic = true });
        var result = EstimatorWorkout.Run(ml, agnostic, data);
        DataViewCells.Column(result.Output, "Score").Should().Equal("[0.9, 0.7, 0.7]");

        var capped = EstimatorWorkout.Run(ml, ml.Transforms.DecodeYolo("output0", ThreeClasses, maxDetections: 3), data);
        DataViewCells.Column(capped.Output, "Score").Should().Equal("[0.9, 0.85, 0.7]");
        DataViewCells.Column(capped.Output, "PredictedBoundingBoxes").Should().Equal("[75, 75, 125, 125, 77, 76, 127, 126, 280, 160, 320, 240]");
    }

    [Theory]
    [InlineData(LetterboxKind.Ultralytics)]
    [InlineData(LetterboxKind.MLNetIsoPad)]
    [InlineData(LetterboxKind.Stretch)]
    public void Boxes_map_back_to_each_original_image(LetterboxKind kind)
    {
        // 640×640 input. A 1280×720 original is scaled by 0.5 and padded 140 rows top and bottom (both letterboxes);
        // a 300×211 one is padded 94 rows on top by ML.NET's IsoPad (it truncates), 95 by Ultralytics.
        var ml = new MLContext(1);
        int[] dims = [1, 7, 6];
        (int Width, int Height)[] originals = [(1280, 720), (300, 211), (640, 640)];
        var data = ml.Transforms.ApplyOnnxModel("output0", "Raw", PassThroughModel(dims, "output0"))
            .Fit(Rows(ml, dims, new HeadRow { Raw = YoloV8() }))
            .Transform(Rows(ml, dims, [.. originals.Select(o => new HeadRow { Raw = YoloV8(), OriginalWidth = o.Width, OriginalHeight = o.Height })]));
        var decoder = ml.Transforms.DecodeYolo(new YoloDecoderOptions
        {
            InputColumnNames = ["output0"],
            ClassNames = ThreeClasses,
            MaxDetections = 2,
            OriginalWidthColumnName = nameof(HeadRow.OriginalWidth),
            OriginalHeightColumnName = nameof(HeadRow.OriginalHeight),
            LetterboxKind = kind,
        });
        var result = EstimatorWorkout.Run(ml, decoder, data);

        var boxes = result.Output.GetColumn<float[]>("PredictedBoundingBoxes").ToArray();
        for (int row = 0; row < originals.Length; row++)
        {
            // b0 and b2, the two highest scores, mapped by the letterbox's own inverse.
            float[] expected = [75, 75, 125, 125, 77, 76, 127, 126];
            Letterbox.Fit(originals[row].Width, originals[row].Height, 640, 640, kind).MapToOriginal(expected);
            boxes[row].Should().Equal(expected, $"row {row} ({originals[row].Width}×{originals[row].Height}) maps back by {kind}");
        }
        if (kind == LetterboxKind.Ultralytics)
            boxes[0].Should().Equal(150, 0, 250, 0, 154, 0, 254, 0);   // (75 − 140)/0.5 < 0: clipped to the image
    }

    [Fact]
    public void Tiny_yolov2_decodes_the_voc_anchors_with_softmax_classes()
    {
        var ml = new MLContext(1);
        int[] dims = [1, 125, 13, 13];
        var head = new float[125 * 13 * 13];
        void Plant(int anchor, int y, int x, int classIndex, float objectnessLogit)
        {
            int Channel(int c) => ((anchor * 25 + c) * 13 + y) * 13 + x;
            head[Channel(4)] = objectnessLogit;
            head[Channel(5 + classIndex)] = 10;
        }
        // Every other cell's objectness is σ(−10): below the threshold.
        for (int a = 0; a < 5; a++)
            for (int cell = 0; cell < 169; cell++) head[(a * 25 + 4) * 169 + cell] = -10;
        Plant(anchor: 2, y: 4, x: 6, classIndex: 3, objectnessLogit: 4);   // kept
        Plant(anchor: 2, y: 5, x: 6, classIndex: 3, objectnessLogit: 3);   // one cell lower, same class: IoU 0.84, dropped
        Plant(anchor: 0, y: 1, x: 1, classIndex: 7, objectnessLogit: 2);   // kept
        string[] voc = ["aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat", "chair", "cow", "diningtable", "dog", "horse",
            "motorbike", "person", "pottedplant", "sheep", "sofa", "train", "tvmonitor"];
        var data = ml.Transforms.ApplyOnnxModel("grid", "Raw", PassThroughModel(dims, "grid"))
            .Fit(Rows(ml, dims, new HeadRow { Raw = head })).Transform(Rows(ml, dims, new HeadRow { Raw = head }));
        var result = EstimatorWorkout.Run(ml, ml.Transforms.DecodeYolo("grid", voc), data);

        result.Transformer.Layout.Should().Be(YoloLayout.TinyYoloV2);
        DataViewCells.Column(result.Output, "PredictedLabel").Should().Equal("[4, 8]");
        // Centre (cell + σ(0))·32, size anchor·32·e⁰, in float as the decoder computes them.
        float w2 = 6.63f * 32f, h2 = 11.38f * 32f, w0 = 1.08f * 32f, h0 = 1.19f * 32f;
        float[] expected = [208f - 0.5f * w2, 144f - 0.5f * h2, 208f + 0.5f * w2, 144f + 0.5f * h2, 48f - 0.5f * w0, 48f - 0.5f * h0, 48f + 0.5f * w0, 48f + 0.5f * h0];
        Boxes(result.Output).Should().Equal(expected);
        // Score = σ(objectness)·softmax: the planted class's logit 10 against 19 zeros.
        double softmax = 1 / (1 + 19 * Math.Exp(-10));
        Scores(result.Output).Should().Equal([Sigmoid(4) * softmax, Sigmoid(2) * softmax], (a, b) => Math.Abs(a - b) < 1e-6);
    }

    [Fact]
    public void Yolov3_heads_use_their_own_anchors_strides_and_xy_scales()
    {
        // 64×64 input, 2 classes, 3 anchors per head: Coarse is 2×2 (stride 32), Fine is 4×4 (stride 16).
        var ml = new MLContext(1);
        var coarse = new float[3 * 7 * 4];
        var fine = new float[3 * 7 * 16];
        Array.Fill(coarse, -10f);
        Array.Fill(fine, -10f);
        void Plant(float[] head, int cells, int width, int anchor, int y, int x, int classIndex, float objectnessLogit)
        {
            int Channel(int c) => (anchor * 7 + c) * cells + y * width + x;
            for (int c = 0; c < 4; c++) head[Channel(c)] = 0;   // σ(0) = 0.5, e⁰ = 1
            head[Channel(4)] = objectnessLogit;
            head[Channel(5 + classIndex)] = 5;
        }
        Plant(fine, 16, 4, anchor: 1, y: 1, x: 2, classIndex: 1, objectnessLogit: 3);
        Plant(coarse, 4, 2, anchor: 0, y: 0, x: 1, classIndex: 0, objectnessLogit: 2);
        var schema = SchemaDefinition.Create(typeof(TwoHeadRow));
        schema[nameof(TwoHeadRow.Coarse)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 1, 21, 2, 2);
        schema[nameof(TwoHeadRow.Fine)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 1, 21, 4, 4);
        var data = ml.Data.LoadFromEnumerable([new TwoHeadRow { Coarse = coarse, Fine = fine }], schema);
        var decoder = ml.Transforms.DecodeYolo(new YoloDecoderOptions
        {
            InputColumnNames = [nameof(TwoHeadRow.Coarse), nameof(TwoHeadRow.Fine)],
            ClassNames = ["a", "b"],
            InputWidth = 64,
            InputHeight = 64,
            Anchors = [40, 40, 50, 50, 60, 60, 10, 10, 20, 20, 30, 30],
            XYScales = [2, 1],
        });
        var result = EstimatorWorkout.Run(ml, decoder, data);

        result.Transformer.Layout.Should().Be(YoloLayout.YoloV3);
        DataViewCells.Column(result.Output, "PredictedLabel").Should().Equal("[2, 1]");
        // Fine, anchor 20×20 at cell (2, 1): centre (2.5·16, 1.5·16) = (40, 24). Coarse, anchor 40×40 at cell (1, 0)
        // with scale_x_y 2: centre ((1 + 2·0.5 − 0.5)·32, (0 + 1 − 0.5)·32) = (48, 16).
        Boxes(result.Output).Should().Equal([30, 14, 50, 34, 28, -4, 68, 36]);
        Scores(result.Output).Should().Equal([Sigmoid(3) * Sigmoid(5), Sigmoid(2) * Sigmoid(5)], (a, b) => Math.Abs(a - b) < 1e-6);
    }

    [Fact]
    public void Zoo_yolov4_heads_are_channels_last_with_probabilities_and_default_anchors_by_grid_size()
    {
        // The ONNX model zoo's YOLOv4 layout, [1, H, W, A, 5 + C] per scale, on a 64×64 input with 2 classes; the
        // columns come coarse first, so the defaults must go by grid size: the finest grid (8×8, stride 8) gets the
        // anchors (12, 16), (19, 36), (40, 28) and scale_x_y 1.2, the coarsest (2×2, stride 32) (142, 110),
        // (192, 243), (459, 401) and 1.05.
        var ml = new MLContext(1);
        var coarse = new float[2 * 2 * 3 * 7];
        var middle = new float[4 * 4 * 3 * 7];
        var fine = new float[8 * 8 * 3 * 7];
        void Plant(float[] head, int width, int y, int x, int anchor, int classIndex, float objectness, float probability)
        {
            int row = ((y * width + x) * 3 + anchor) * 7;
            head[row + 4] = objectness;
            head[row + 5 + classIndex] = probability;
        }
        Plant(fine, 8, y: 2, x: 3, anchor: 1, classIndex: 1, objectness: 0.9f, probability: 0.8f);      // 0.72
        Plant(coarse, 2, y: 1, x: 1, anchor: 2, classIndex: 0, objectness: 0.6f, probability: 0.9f);    // 0.54
        Plant(middle, 4, y: 0, x: 0, anchor: 0, classIndex: 0, objectness: 0.5f, probability: 0.4f);    // 0.2: under the threshold
        var schema = SchemaDefinition.Create(typeof(ThreeHeadRow));
        schema[nameof(ThreeHeadRow.Coarse)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 1, 2, 2, 3, 7);
        schema[nameof(ThreeHeadRow.Middle)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 1, 4, 4, 3, 7);
        schema[nameof(ThreeHeadRow.Fine)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 1, 8, 8, 3, 7);
        var data = ml.Data.LoadFromEnumerable([new ThreeHeadRow { Coarse = coarse, Middle = middle, Fine = fine }], schema);
        var decoder = ml.Transforms.DecodeYolo(new YoloDecoderOptions
        {
            InputColumnNames = [nameof(ThreeHeadRow.Coarse), nameof(ThreeHeadRow.Middle), nameof(ThreeHeadRow.Fine)],
            ClassNames = ["a", "b"],
            InputWidth = 64,
            InputHeight = 64,
        });
        var result = EstimatorWorkout.Run(ml, decoder, data);

        result.Transformer.Layout.Should().Be(YoloLayout.YoloV4);
        DataViewCells.Column(result.Output, "PredictedLabel").Should().Equal("[2, 1]");
        Scores(result.Output).Should().Equal(0.9f * 0.8f, 0.6f * 0.9f);
        // Centres (cell + s·σ(0) − (s − 1)/2)·stride, sizes the anchors (e⁰ = 1), in float as the decoder computes them.
        float fineX = (3 + 1.2f * 0.5f - (1.2f - 1) / 2) * 8, fineY = (2 + 1.2f * 0.5f - (1.2f - 1) / 2) * 8;
        float coarseCentre = (1 + 1.05f * 0.5f - (1.05f - 1) / 2) * 32;
        Boxes(result.Output).Should().Equal(fineX - 0.5f * 19, fineY - 0.5f * 36, fineX + 0.5f * 19, fineY + 0.5f * 36,
            coarseCentre - 0.5f * 459, coarseCentre - 0.5f * 401, coarseCentre + 0.5f * 459, coarseCentre + 0.5f * 401);
    }

    [Fact]
    public void A_shape_that_fits_no_layout_is_rejected_naming_the_column()
    {
        var ml = new MLContext(1);
        int[] dims = [1, 9, 6];
        var data = ml.Transforms.ApplyOnnxModel("output0", "Raw", PassThroughModel(dims, "output0"))
            .Fit(Rows(ml, dims, new HeadRow { Raw = new float[54] })).Transform(Rows(ml, dims, new HeadRow { Raw = new float[54] }));
        FluentActions.Invoking(() => ml.Transforms.DecodeYolo("output0", ThreeClasses).Fit(data))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'output0'*[1, 9, 6]*3 classes*");
        FluentActions.Invoking(() => ml.Transforms.DecodeYolo("output0", ThreeClasses, YoloLayout.YoloV5).Fit(data))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'output0'*[1, N, 5 + 3]*");
    }

    [Fact]
    public void Bad_options_are_rejected_naming_the_setting()
    {
        var ml = new MLContext(1);
        FluentActions.Invoking(() => ml.Transforms.DecodeYolo("output0", ["a", "a"]))
            .Should().Throw<ArgumentException>().WithParameterName("ClassNames").WithMessage("*'a' more than once*");
        FluentActions.Invoking(() => ml.Transforms.DecodeYolo("output0", ["a"], iouThreshold: 1.5f))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("IouThreshold");
        FluentActions.Invoking(() => ml.Transforms.DecodeYolo("output0", ["a"], maxDetections: 0))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("MaxDetections");
        FluentActions.Invoking(() => ml.Transforms.DecodeYolo(new YoloDecoderOptions { InputColumnNames = ["o"], ClassNames = ["a"], OriginalWidthColumnName = "W" }))
            .Should().Throw<ArgumentException>().WithParameterName("OriginalWidthColumnName");
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    private static float[] Boxes(IDataView output) => [.. output.GetColumn<float[]>("PredictedBoundingBoxes").Single()];

    private static float[] Scores(IDataView output) => [.. output.GetColumn<float[]>("Score").Single()];
}
