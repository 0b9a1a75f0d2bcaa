using Microsoft.ML;

namespace MLNetExt.Transforms;

/// <summary>Builds the ML.NET savable form of each MLNetExt transformer (see <see cref="ColumnAddingTransformer"/>).</summary>
internal static class SavableForms
{
    public static ITransformer Create(ColumnAddingTransformer transformer) =>
        throw new NotSupportedException($"Saving a {transformer.GetType().Name} into an ML.NET model file is being moved onto ONNX and is not available in this build.");
}
