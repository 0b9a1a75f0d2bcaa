using FluentAssertions;
using MLNetExt.Core.Modules;
using MLNetExt.Core.Serialization;

namespace MLNetExt.Core.Tests.Serialization;

public sealed class ModuleWeightsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mlnetext-weights-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static Sequential Model(ulong seed, int hidden = 4) =>
        new(new Linear(3, hidden, random: new RandomSource(seed)), new Linear(hidden, 2, random: new RandomSource(seed + 1)));

    private static float[][] Snapshot(Module module) => module.StateDict().Select(kv => kv.Value.Span.ToArray()).ToArray();

    [Fact]
    public void Save_then_load_restores_every_tensor_by_name()
    {
        var source = Model(1);
        string path = Path.Combine(_directory, "model.safetensors");
        ModuleWeights.Save(source, path, new Dictionary<string, string> { ["epoch"] = "3" });
        SafeTensors.Load(path).Names.Should().Equal("0.weight", "0.bias", "1.weight", "1.bias");

        var target = Model(10);
        var metadata = ModuleWeights.Load(target, path);
        metadata["epoch"].Should().Be("3");
        Snapshot(target).Should().BeEquivalentTo(Snapshot(source), o => o.WithStrictOrdering());
    }

    [Fact]
    public void Mismatched_files_are_rejected_without_touching_the_module()
    {
        string wrongShape = Path.Combine(_directory, "wide.safetensors");
        ModuleWeights.Save(Model(1, hidden: 5), wrongShape);
        string missing = Path.Combine(_directory, "missing.safetensors");
        SafeTensors.Save(missing, Model(1).StateDict().Where(kv => kv.Key != "1.bias"));
        string unexpected = Path.Combine(_directory, "unexpected.safetensors");
        SafeTensors.Save(unexpected, Model(1).StateDict().Append(new("2.weight", new Tensor(2))));

        var target = Model(10);
        var before = Snapshot(target);
        foreach (var (path, problem) in new[] { (wrongShape, "'0.weight' has shape [5, 3] in the file but [4, 3]"), (missing, "missing tensor '1.bias'"), (unexpected, "unexpected tensor '2.weight'") })
        {
            var act = () => ModuleWeights.Load(target, path);
            act.Should().Throw<InvalidDataException>().WithMessage($"*{Path.GetFileName(path)}*{problem}*");
            Snapshot(target).Should().BeEquivalentTo(before, o => o.WithStrictOrdering());
        }
    }
}
