using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using MLNetExt.Core.Detection;

namespace MLNetExt.Bench.Commands;

/// <summary>
/// Decoding + NMS of one YOLOv8 output [4 + C, N] read from a raw float32 file (written by
/// <c>anchors-detection/yolo_decode.py</c>), the path <c>YoloDecoderTransformer</c> runs per row:
/// <see cref="YoloDecoding.DecodeYoloV8"/> (score &gt; 0.25) then per-class <see cref="NonMaxSuppression"/> at IoU 0.45,
/// at most 300 kept. Timed as the reference times torchvision: warm-up calls, then the best of R timings of
/// back-to-back calls (about 0.2 s each). Prints
/// <c>mlnetext yolo-decode threads=1 boxes=&lt;n&gt; classes=&lt;c&gt; candidates=&lt;k&gt; kept=&lt;m&gt; us_per_call=&lt;x&gt;</c>.
/// </summary>
internal sealed class YoloDecodeCommand : IBenchCommand
{
    public string Name => "yolo-decode";

    public string Usage => "yolo-decode --input FILE [--boxes 8400] [--classes 80] [--rounds 5]   prints: mlnetext yolo-decode ... us_per_call=<x>";

    public int Run(string[] args)
    {
        string input = CommandLine.Option(args, "--input", "");
        int boxes = CommandLine.IntOption(args, "--boxes", 8400);
        int classes = CommandLine.IntOption(args, "--classes", 80);
        int rounds = CommandLine.IntOption(args, "--rounds", 5);
        var output = MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(input)).ToArray();
        if (output.Length != (4 + classes) * boxes)
            throw new ArgumentException($"{input} holds {output.Length} floats; [{4 + classes}, {boxes}] needs {(4 + classes) * boxes}.", nameof(args));

        var candidates = new DetectionCandidates();
        var bestScores = new float[boxes];
        var bestClasses = new int[boxes];
        int Decode()
        {
            candidates.Clear();
            YoloDecoding.DecodeYoloV8(output, classes, 0.25f, candidates, bestScores, bestClasses);
            return NonMaxSuppression.Run(candidates.Boxes, candidates.Scores, candidates.Classes, 0.45f, maxDetections: 300).Length;
        }

        int kept = Decode();
        // .NET's tiered JIT replaces its first code after a few hundred calls and some milliseconds.
        for (var warm = Stopwatch.StartNew(); warm.ElapsedMilliseconds < 500;) Decode();
        int reps = 1;
        for (var sizing = Stopwatch.StartNew(); sizing.Elapsed.TotalSeconds < 0.2; reps++) Decode();
        double best = double.PositiveInfinity;
        for (int round = 0; round < rounds; round++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int rep = 0; rep < reps; rep++) Decode();
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds / reps);
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"mlnetext yolo-decode threads=1 boxes={boxes} classes={classes} candidates={candidates.Count} kept={kept} us_per_call={best * 1e6:F1}"));
        return 0;
    }
}
