using Microsoft.ML.Transforms.Image;
using MLNetExt.Core.Detection;
using MLNetExt.Core.Onnx;
using MLNetExt.Transforms.Detection;

namespace MLNetExt.Estimators.Tests.Detection;

/// <summary>
/// The decoder at the end of an ML.NET image pipeline: LoadImages → ResizeImages (IsoPad) → ExtractPixels →
/// ApplyOnnxModel → DecodeYolo, on images with one white rectangle, and a hand-written ONNX "detector" that outputs
/// the bounding box of the bright pixels in the YOLOv8 layout. The decoded boxes, mapped back through ML.NET's IsoPad
/// geometry, must land on the rectangles drawn in the original images.
/// </summary>
public sealed class YoloImagePipelineTests : IDisposable
{
    private const int InputSize = 128;

    private readonly string _folder = Directory.CreateTempSubdirectory("mlnetext-yolo-images-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    public sealed class ImageRow
    {
        public string ImagePath = "";

        public float Width;

        public float Height;
    }

    [Fact]
    public void Boxes_found_on_isopad_resized_images_land_on_the_original_rectangles()
    {
        // A wide and a tall image, so that IsoPad pads rows in one and columns in the other.
        (int Width, int Height, int X1, int Y1, int X2, int Y2)[] images = [(300, 211, 60, 40, 180, 150), (200, 300, 20, 100, 150, 260)];
        var rows = images.Select((image, i) => new ImageRow
        {
            ImagePath = WriteImage($"image{i}.png", image.Width, image.Height, image.X1, image.Y1, image.X2, image.Y2),
            Width = image.Width,
            Height = image.Height,
        }).ToArray();
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(rows);
        var pipeline = ml.Transforms.LoadImages("Image", _folder, nameof(ImageRow.ImagePath))
            .Append(ml.Transforms.ResizeImages("Resized", InputSize, InputSize, "Image", ImageResizingEstimator.ResizingKind.IsoPad))
            .Append(ml.Transforms.ExtractPixels("Pixels", "Resized", scaleImage: 1f / 255))
            .Append(ml.Transforms.ApplyOnnxModel("output0", "Pixels", BrightBoxDetector()))
            .Append(ml.Transforms.DecodeYolo(new YoloDecoderOptions
            {
                InputColumnNames = ["output0"],
                ClassNames = ["rectangle"],
                InputWidth = InputSize,
                InputHeight = InputSize,
                OriginalWidthColumnName = nameof(ImageRow.Width),
                OriginalHeightColumnName = nameof(ImageRow.Height),
                LetterboxKind = LetterboxKind.MLNetIsoPad,
            }));
        var model = pipeline.Fit(data);
        string path = Path.Combine(_folder, "model.zip");
        ml.Model.Save(model, data.Schema, path);
        var loaded = ml.Model.Load(path, out _);

        foreach (var scored in new[] { model.Transform(data), loaded.Transform(data) })
        {
            var boxes = scored.GetColumn<float[]>("PredictedBoundingBoxes").ToArray();
            var labels = ml.Transforms.Conversion.MapKeyToValue("Names", "PredictedLabel").Fit(scored).Transform(scored)
                .GetColumn<VBuffer<ReadOnlyMemory<char>>>("Names").Select(v => v.DenseValues().Select(n => n.ToString()).ToArray()).ToArray();
            for (int i = 0; i < images.Length; i++)
            {
                var image = images[i];
                labels[i].Should().Equal("rectangle");
                // The resize blurs the edges by about a pixel of the model input: allow 1.5 input pixels.
                float tolerance = 1.5f * Math.Max(image.Width, image.Height) / InputSize;
                boxes[i].Should().Equal([image.X1, image.Y1, image.X2, image.Y2], (a, b) => Math.Abs(a - b) <= tolerance,
                    $"image {i} ({image.Width}×{image.Height}) holds its rectangle there");
            }
        }
    }

    // A black image with one white rectangle [x1, x2) × [y1, y2), as a PNG in the test folder.
    private string WriteImage(string name, int width, int height, int x1, int y1, int x2, int y2)
    {
        var pixels = new byte[width * height * 4];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int at = (y * width + x) * 4;
                byte value = x >= x1 && x < x2 && y >= y1 && y < y2 ? (byte)255 : (byte)0;
                pixels[at] = pixels[at + 1] = pixels[at + 2] = value;
                pixels[at + 3] = 255;
            }
        using var image = MLImage.CreateFromPixels(width, height, MLPixelFormat.Bgra32, pixels);
        image.Save(Path.Combine(_folder, name));
        return name;
    }

    // [1, 3, S, S] pixels in [0, 1] → YOLOv8 [1, 4 + 1, 1]: the box around the pixels brighter than 0.5 (first and
    // last bright row and column), score 1 when there is one.
    private static MemoryStream BrightBoxDetector()
    {
        var graph = new OnnxGraphBuilder();
        var pixels = graph.AddInput("Pixels", OnnxElementType.Float, [1, 3, InputSize, InputSize]);
        string brightness = graph.AddNode("ReduceMean", [pixels.Name], "detector", OnnxAttribute.Ints("axes", 0, 1), OnnxAttribute.Int("keepdims", 0));
        string bright = graph.AddNode("Cast", [graph.AddNode("Greater", [brightness, graph.FloatConstant(0.5f)], "detector")], "detector",
            OnnxAttribute.Int("to", (long)OnnxElementType.Float));                                                   // [S, S]
        string Edge(int reducedAxis, bool last)
        {
            string any = graph.AddNode("ReduceMax", [bright], "detector", OnnxAttribute.Ints("axes", reducedAxis), OnnxAttribute.Int("keepdims", 0));
            string index = graph.AddNode("ArgMax", [any], "detector", OnnxAttribute.Int("axis", 0), OnnxAttribute.Int("keepdims", 1),
                OnnxAttribute.Int("select_last_index", last ? 1 : 0));                                                // [1]
            string value = graph.AddNode("Cast", [index], "detector", OnnxAttribute.Int("to", (long)OnnxElementType.Float));
            return last ? graph.AddNode("Add", [value, graph.FloatConstant(1f)], "detector") : value;                 // one past the last
        }
        string x1 = Edge(0, last: false), x2 = Edge(0, last: true), y1 = Edge(1, last: false), y2 = Edge(1, last: true);
        string half = graph.FloatConstant(0.5f);
        string cx = graph.AddNode("Mul", [graph.AddNode("Add", [x1, x2], "detector"), half], "detector");
        string cy = graph.AddNode("Mul", [graph.AddNode("Add", [y1, y2], "detector"), half], "detector");
        string w = graph.AddNode("Sub", [x2, x1], "detector"), h = graph.AddNode("Sub", [y2, y1], "detector");
        string score = graph.AddNode("ReduceMax", [bright], "detector", OnnxAttribute.Int("keepdims", 0));
        score = graph.AddNode("Reshape", [score, graph.Int64Constant(1)], "detector");
        string rows = graph.AddNode("Concat", [cx, cy, w, h, score], "detector", OnnxAttribute.Int("axis", 0));      // [5]
        string output = graph.AddNode("Reshape", [rows, graph.Int64Constant(1, 5, 1)], "detector");
        graph.AddOutput(new OnnxValue(output, OnnxElementType.Float, [1, 5, 1]), "output0");
        return new MemoryStream(graph.ToBytes(), writable: false);
    }
}
