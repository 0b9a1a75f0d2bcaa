using System.Text.Json;
using MLNetExt.Core;

namespace MLNetExt.Trainers.Tests;

/// <summary>
/// Reference tensors written by this project's PyTorch generator scripts (<c>&lt;Folder&gt;/generate_*.py</c>) as
/// JSON: <c>{ "name": { "shape": [..], "data": [..] }, ..., "meta": { .. } }</c>, floats to 9 significant digits so
/// float32 values round-trip. The files are read where they are committed, in the source tree beside the script.
/// </summary>
internal static class ReferenceJson
{
    /// <summary>The path of <c>test/MLNetExt.Trainers.Tests/<paramref name="folder"/>/Reference/<paramref name="name"/>.json</c>, found above the test output folder.</summary>
    public static string PathOf(string folder, string name)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        string relative = Path.Combine("test", "MLNetExt.Trainers.Tests", folder, "Reference", name + ".json");
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, relative)))
            directory = directory.Parent;
        return directory is null ? throw new FileNotFoundException($"{relative} was not found above {AppContext.BaseDirectory}.") : Path.Combine(directory.FullName, relative);
    }

    /// <summary>The values of the named tensor, flat.</summary>
    public static float[] Read(JsonElement root, string name) =>
        [.. root.GetProperty(name).GetProperty("data").EnumerateArray().Select(v => v.GetSingle())];

    /// <summary>A fresh tensor of the named tensor's shape and values.</summary>
    public static Tensor Load(JsonElement root, string name) =>
        new(Read(root, name), [.. root.GetProperty(name).GetProperty("shape").EnumerateArray().Select(v => v.GetInt32())]);
}
