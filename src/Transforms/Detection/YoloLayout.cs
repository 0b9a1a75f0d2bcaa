namespace MLNetExt.Transforms.Detection;

/// <summary>The output layouts of standard YOLO ONNX models that <see cref="YoloDecoderTransformer"/> reads.</summary>
public enum YoloLayout
{
    /// <summary>Recognized from the input columns' shapes and the number of classes (see <see cref="YoloDecoderOptions.Layout"/>).</summary>
    Auto = 0,

    /// <summary>tiny-YOLOv2 (ONNX model zoo): one output [1, A·(5 + C), H, W] of raw logits, channel-major; softmax classes; 5 VOC anchors by default.</summary>
    TinyYoloV2 = 1,

    /// <summary>YOLOv3/v4 darknet heads (PyTorch exports): one output per scale, each [1, A·(5 + C), H, W] of raw logits; sigmoid classes; the COCO anchors by default.</summary>
    YoloV3 = 2,

    /// <summary>
    /// YOLOv4 as the ONNX model zoo exports it (the model ML.NET's own YOLOv4 sample runs): one output per scale, each
    /// [1, H, W, A, 5 + C] (channels last); x, y, w, h raw (σ with scale_x_y, e^·anchor), objectness and classes
    /// already probabilities; by default the zoo's anchors (12, 16) … (459, 401) and scale_x_y 1.2, 1.1, 1.05, from the
    /// finest grid to the coarsest.
    /// </summary>
    YoloV4 = 5,

    /// <summary>YOLOv5/v7: one output [1, N, 5 + C] of cx, cy, w, h (input pixels), objectness and class probabilities; score = objectness·probability.</summary>
    YoloV5 = 3,

    /// <summary>YOLOv8/v11: one output [1, 4 + C, N] (transposed) of cx, cy, w, h (input pixels) and class scores; no objectness.</summary>
    YoloV8 = 4,
}
