using System.Runtime.CompilerServices;
using MLNetExt.Data;
using MLNetExt.Trainers.Mlp;
using MLNetExt.Transforms;

namespace MLNetExt.Cli;

/// <summary>Finds the parts of a loaded model that the evaluate and predict commands need.</summary>
internal static class ModelParts
{
    /// <summary>The MLP at the end of the model, or a one-line error when the model holds none.</summary>
    public static MlpPredictionTransformer Predictor(ITransformer model, string path) =>
        (model is IEnumerable<ITransformer> chain ? chain.OfType<MlpPredictionTransformer>().LastOrDefault() : model as MlpPredictionTransformer)
        ?? throw new CliException($"Model '{path}' holds no MLP predictor; train one with 'mlnetext train'.");

    /// <summary>The part of the model used for scoring (without label conversions that only training and testing need).</summary>
    public static ITransformer ScoringModel(ITransformer model) =>
        model is TransformerChain<ITransformer> chain ? chain.GetModelFor(TransformerScope.Scoring) : model;

    /// <summary>Loads a model file, with a one-line error when it is missing.</summary>
    public static ITransformer Load(MLContext ml, string path, out DataViewSchema inputSchema)
    {
        if (!File.Exists(path))
            throw new CliException($"Model file '{path}' does not exist.");
        // A model names its parts' kinds; the assemblies that register them must be loaded before it is read.
        RuntimeHelpers.RunModuleConstructor(typeof(ColumnConcatenatingTransformer).Module.ModuleHandle);
        RuntimeHelpers.RunModuleConstructor(typeof(MlpPredictionTransformer).Module.ModuleHandle);
        return ml.Model.Load(path, out inputSchema);
    }
}
