using System.Text.Json;
using MLNetExt.Core.Onnx;
using MLNetExt.Core.Serialization;
using MLNetExt.Transforms.Persistence;

namespace MLNetExt.Transforms.Saving;

/// <summary>
/// Carries a native transformer's <see cref="NativeModelState"/> inside the ONNX graph it is saved with, so that
/// MLNetExt can rebuild the native transformer from an ML.NET model file: <see cref="StateKey"/> holds the JSON
/// document; a tensor the graph already holds as an initializer of the same name and bits (the exporters keep PyTorch's
/// parameter names) is listed in <see cref="InitializersKey"/> rather than stored twice; the others go to
/// <see cref="TensorsKey"/> as one base64 safetensors blob.
/// </summary>
internal static class NativeStateInOnnx
{
    /// <summary>The metadata key of the JSON document.</summary>
    public const string StateKey = "mlnetext.state";

    /// <summary>The metadata key of the tensors.</summary>
    public const string TensorsKey = "mlnetext.tensors";

    /// <summary>The metadata key of the JSON list of tensors read back from the graph's initializers.</summary>
    public const string InitializersKey = "mlnetext.initializers";

    /// <summary>Writes <paramref name="state"/> into <paramref name="graph"/>'s metadata.</summary>
    public static void Write(OnnxGraphBuilder graph, NativeModelState state)
    {
        graph.AddMetadata(StateKey, state.DocumentJson);
        var inGraph = state.Tensors.Where(t => graph.HoldsInitializer(t.Key, t.Value)).Select(t => t.Key).ToArray();
        graph.AddMetadata(InitializersKey, JsonSerializer.Serialize(inGraph));
        var rest = state.Tensors.Where(t => !inGraph.Contains(t.Key)).ToArray();
        if (rest.Length == 0)
            return;
        using var stream = new MemoryStream();
        SafeTensors.Save(stream, rest);
        graph.AddMetadata(TensorsKey, Convert.ToBase64String(stream.GetBuffer(), 0, (int)stream.Length));
    }
}
