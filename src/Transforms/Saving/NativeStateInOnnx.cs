using MLNetExt.Core;
using MLNetExt.Core.Onnx;
using MLNetExt.Core.Serialization;
using MLNetExt.Transforms.Persistence;

namespace MLNetExt.Transforms.Saving;

/// <summary>
/// Carries a native transformer's <see cref="NativeModelState"/> inside the ONNX graph it is saved with, as two
/// metadata entries: <see cref="StateKey"/> (the JSON document) and <see cref="TensorsKey"/> (its tensors as one
/// base64 safetensors blob), so that MLNetExt can rebuild the native transformer from an ML.NET model file.
/// </summary>
internal static class NativeStateInOnnx
{
    /// <summary>The metadata key of the JSON document.</summary>
    public const string StateKey = "mlnetext.state";

    /// <summary>The metadata key of the tensors.</summary>
    public const string TensorsKey = "mlnetext.tensors";

    /// <summary>Writes <paramref name="state"/> into <paramref name="graph"/>'s metadata.</summary>
    public static void Write(OnnxGraphBuilder graph, NativeModelState state)
    {
        graph.AddMetadata(StateKey, state.DocumentJson);
        using var stream = new MemoryStream();
        SafeTensors.Save(stream, state.Tensors);
        graph.AddMetadata(TensorsKey, Convert.ToBase64String(stream.GetBuffer(), 0, (int)stream.Length));
    }
}
