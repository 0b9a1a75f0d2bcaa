using MLNetExt.Core.Modules;

namespace MLNetExt.Core.Serialization;

/// <summary>
/// Saves and loads a module's weights (its <see cref="Module.StateDict"/>: parameters and buffers under PyTorch's
/// names) as a safetensors file, which PyTorch's <c>safetensors.torch.load_file</c> reads too.
/// </summary>
public static class ModuleWeights
{
    /// <summary>Writes every state-dict tensor of <paramref name="module"/> to <paramref name="path"/> as F32, atomically.</summary>
    public static void Save(Module module, string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        SafeTensors.Save(path, module.StateDict(), metadata);
    }

    /// <summary>
    /// Copies the tensors of the safetensors file at <paramref name="path"/> into <paramref name="module"/>'s state-dict
    /// tensors by name. The file must hold exactly the module's names with the same shapes; everything is checked
    /// before anything is copied, so on any error the module is left unchanged.
    /// </summary>
    /// <returns>The file's metadata.</returns>
    /// <exception cref="InvalidDataException">The file is malformed, or a tensor is missing, unexpected or wrongly shaped; the message lists every mismatch.</exception>
    public static IReadOnlyDictionary<string, string> Load(Module module, string path)
    {
        ArgumentNullException.ThrowIfNull(module);
        var file = SafeTensors.Load(path);
        var targets = module.StateDict().ToArray();
        var problems = new List<string>();
        var expectedNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, target) in targets)
        {
            expectedNames.Add(name);
            if (!file.Tensors.TryGetValue(name, out var source))
                problems.Add($"missing tensor '{name}'");
            else if (!source.HasShape(target.Shape))
                problems.Add($"tensor '{name}' has shape [{string.Join(", ", source.Shape.ToArray())}] in the file but [{string.Join(", ", target.Shape.ToArray())}] in the module");
        }
        foreach (var name in file.Names)
            if (!expectedNames.Contains(name))
                problems.Add($"unexpected tensor '{name}'");
        if (problems.Count > 0)
            throw new InvalidDataException($"'{path}' does not match {module.GetType().Name}: {string.Join("; ", problems)}.");

        foreach (var (name, target) in targets)
            target.CopyFrom(file.Tensors[name]);
        return file.Metadata;
    }
}
