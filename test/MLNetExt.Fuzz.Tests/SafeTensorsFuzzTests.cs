using MLNetExt.Core;
using MLNetExt.Core.Serialization;

namespace MLNetExt.Fuzz.Tests;

/// <summary>Hostile safetensors files: every mutation of a valid file is read or refused cleanly, naming the file.</summary>
public class SafeTensorsFuzzTests
{
    private static byte[] ValidFile()
    {
        var stream = new MemoryStream();
        var weight = new Tensor(4, 3);
        new RandomSource(1).FillUniform(weight.Span, -1, 1);
        SafeTensors.Save(stream, [new("encoder.0.weight", weight), new("encoder.0.bias", Tensor.FromValues([1f, 2f, 3f, 4f], 4))],
            new Dictionary<string, string> { ["format"] = "pt" });
        return stream.ToArray();
    }

    private static bool IsClean(Exception error) => error is InvalidDataException or IOException;

    [Fact]
    public void Mutated_files_are_read_or_refused_cleanly()
    {
        var results = FuzzHarness.Mutations(ValidFile(), seed: 15)
            .Select(m => FuzzHarness.Run("safetensors", m.Name, m.Bytes, path => SafeTensors.Load(path), IsClean))
            .ToList();

        FuzzHarness.Assert(results);
        results.Should().Contain(r => r.Outcome == FuzzOutcome.CleanError, "truncated files must be refused");
    }

    [Fact]
    public void A_directory_and_an_empty_file_are_refused_by_name()
    {
        string folder = Directory.CreateTempSubdirectory("mlnetext-fuzz-dir-").FullName;
        try
        {
            var results = new List<FuzzResult>
            {
                FuzzHarness.RunOnPath("safetensors", "a directory", folder, 0, path => SafeTensors.Load(path), IsClean),
                FuzzHarness.Run("safetensors", "an empty file", [], path => SafeTensors.Load(path), IsClean),
            };

            FuzzHarness.Assert(results);
            results.Should().OnlyContain(r => r.Outcome == FuzzOutcome.CleanError);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
