using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Trainers;

namespace MLNetExt.Transforms.Saving;

/// <summary>
/// ML.NET's own scorers (prediction transformers over linear model parameters), built to turn the raw outputs of an
/// exported network into ML.NET's scorer columns in a saved model: Score (Single), PredictedLabel (Boolean, or a key
/// with the label's key values), with ML.NET's annotations.
/// </summary>
/// <remarks>
/// <para>Why: ML.NET 5.0.1's OnnxTransformer cannot return a scalar column (a rank-0 output takes its object getter
/// and fails), and no public transform turns a one-slot vector into a scalar, so the last step of a saved model is
/// one of ML.NET's own savable scorers: an identity linear model (weight 1, bias 0) over the one-slot logit, or a
/// maximum-entropy model with identity weights over the logits (its Score is their softmax).</para>
/// <para>Their constructors are internal (ML.NET builds them only from its trainers); this is the one place
/// MLNetExt calls them, pinned to Microsoft.ML 5.0.1, checked by a test. The saved file holds only ML.NET's own
/// types, so it loads without MLNetExt.</para>
/// </remarks>
internal static class MLNetScorers
{
    private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public;

    /// <summary>Score = the one slot of <paramref name="featureColumn"/> (Vector&lt;Single, 1&gt;), as ML.NET's regression scorer.</summary>
    public static ITransformer Regression(IHostEnvironment environment, DataViewSchema inputSchema, string featureColumn)
    {
        var weights = new VBuffer<float>(1, [1f]);
        var model = Construct<LinearRegressionModelParameters>([typeof(IHostEnvironment), typeof(VBuffer<float>).MakeByRefType(), typeof(float)],
            environment, weights, 0f);
        return Construct<RegressionPredictionTransformer<LinearRegressionModelParameters>>(
            [typeof(IHostEnvironment), typeof(LinearRegressionModelParameters), typeof(DataViewSchema), typeof(string)],
            environment, model, inputSchema, featureColumn);
    }

    /// <summary>
    /// Score = the one slot of <paramref name="featureColumn"/> (the logit) and PredictedLabel = Score &gt; 0, as
    /// ML.NET's binary scorer; Probability comes from a fixed Platt calibrator added after it.
    /// </summary>
    public static ITransformer BinaryUncalibrated(IHostEnvironment environment, DataViewSchema inputSchema, string featureColumn)
    {
        var weights = new VBuffer<float>(1, [1f]);
        var model = Construct<LinearBinaryModelParameters>(
            [typeof(IHostEnvironment), typeof(VBuffer<float>).MakeByRefType(), typeof(float), typeof(ModelStatisticsBase)],
            environment, weights, 0f, null);
        return Construct<BinaryPredictionTransformer<LinearBinaryModelParameters>>(
            [typeof(IHostEnvironment), typeof(LinearBinaryModelParameters), typeof(DataViewSchema), typeof(string), typeof(float), typeof(string)],
            environment, model, inputSchema, featureColumn, 0f, "Score");
    }

    /// <summary>
    /// Score = the one slot of <paramref name="featureColumn"/> and PredictedLabel = Score &gt; <paramref name="threshold"/>,
    /// as ML.NET's anomaly detectors (<c>AnomalyPredictionTransformer</c>, the type RandomizedPca's model is, so that
    /// <c>mlContext.AnomalyDetection.ChangeModelThreshold</c> works on the loaded model).
    /// </summary>
    public static ITransformer AnomalyDetection(IHostEnvironment environment, DataViewSchema inputSchema, string featureColumn, float threshold)
    {
        var weights = new VBuffer<float>(1, [1f]);
        var model = Construct<LinearBinaryModelParameters>(
            [typeof(IHostEnvironment), typeof(VBuffer<float>).MakeByRefType(), typeof(float), typeof(ModelStatisticsBase)],
            environment, weights, 0f, null);
        return Construct<AnomalyPredictionTransformer<LinearBinaryModelParameters>>(
            [typeof(IHostEnvironment), typeof(LinearBinaryModelParameters), typeof(DataViewSchema), typeof(string), typeof(float), typeof(string)],
            environment, model, inputSchema, featureColumn, threshold, "Score");
    }

    /// <summary>
    /// Score = softmax of the <paramref name="classes"/> logits in <paramref name="featureColumn"/> and PredictedLabel =
    /// the key of the highest, carrying the key values of <paramref name="labelColumn"/> in <paramref name="inputSchema"/>,
    /// as ML.NET's multiclass scorer.
    /// </summary>
    public static ITransformer Multiclass(IHostEnvironment environment, DataViewSchema inputSchema, string featureColumn, string labelColumn, int classes)
    {
        var weights = new VBuffer<float>[classes];
        for (int c = 0; c < classes; c++)
            weights[c] = new VBuffer<float>(classes, 1, [1f], [c]);
        var model = Construct<MaximumEntropyModelParameters>(
            [typeof(IHostEnvironment), typeof(VBuffer<float>[]), typeof(float[]), typeof(int), typeof(int), typeof(string[]), typeof(ModelStatisticsBase)],
            environment, weights, new float[classes], classes, classes, null, null);
        return Construct<MulticlassPredictionTransformer<MaximumEntropyModelParameters>>(
            [typeof(IHostEnvironment), typeof(MaximumEntropyModelParameters), typeof(DataViewSchema), typeof(string), typeof(string), typeof(string), typeof(string)],
            environment, model, inputSchema, featureColumn, labelColumn, "Score", "PredictedLabel");
    }

    private static T Construct<T>(Type[] parameterTypes, params object?[] arguments)
    {
        var constructor = typeof(T).GetConstructor(Instance, null, parameterTypes, null)
            ?? throw new MissingMemberException(
                $"MLNetExt saves models through ML.NET's constructor {typeof(T).Name}({string.Join(", ", parameterTypes.Select(t => t.Name))}), which Microsoft.ML {typeof(MLContext).Assembly.GetName().Version} does not have. MLNetExt is built for Microsoft.ML 5.0.1.");
        try
        {
            return (T)constructor.Invoke(arguments);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
    }
}
