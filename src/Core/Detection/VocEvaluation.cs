namespace MLNetExt.Core.Detection;

/// <summary>The result of <see cref="VocEvaluator.Evaluate"/>.</summary>
/// <param name="MeanAveragePrecision">The mean of <paramref name="AveragePrecisionPerClass"/> over the classes with at least one counted object (NaN when none has one).</param>
/// <param name="AveragePrecisionPerClass">[C] each class's AP; NaN for a class without counted objects.</param>
/// <param name="Curves">[C] each class's precision–recall curve (empty for a class without counted detections).</param>
/// <param name="IouThreshold">The IoU at or above which a detection matches an object.</param>
/// <param name="Method">How AP was read off each curve.</param>
public sealed record VocEvaluation(double MeanAveragePrecision, double[] AveragePrecisionPerClass,
    PrecisionRecallCurve[] Curves, double IouThreshold, VocApMethod Method);
