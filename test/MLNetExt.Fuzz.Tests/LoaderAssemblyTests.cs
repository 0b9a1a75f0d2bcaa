using System.IO.Compression;
using System.Text;
using MLNetExt.Cli;

namespace MLNetExt.Fuzz.Tests;

/// <summary>
/// ML.NET's loader loads the assembly a model entry's header names; the CLI refuses a file whose entries name an
/// assembly outside ML.NET before ML.NET sees it.
/// </summary>
public class LoaderAssemblyTests
{
    [Fact]
    public void Every_entry_of_a_valid_model_names_an_ML_NET_assembly_and_the_file_loads()
    {
        var zip = ModelFiles.Valid["mlp"];
        LoaderNames(zip).Should().NotBeEmpty().And.OnlyContain(name => name.StartsWith("Microsoft.ML", StringComparison.Ordinal));

        string path = Write(zip);
        try
        {
            var load = () => ModelParts.Load(new MLContext(1), path, out _);
            load.Should().NotThrow();
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void An_entry_naming_an_assembly_outside_ML_NET_is_refused_before_ML_NET_loads_it()
    {
        // Same length, so every offset in the entry stays valid: only the name changes.
        var zip = ModelFiles.Rezip(ModelFiles.Valid["mlp"], (_, bytes) => Replace(bytes, "Microsoft.ML.Data,", "Microsoft.XL.Data,"));
        LoaderNames(zip).Should().Contain(name => name.StartsWith("Microsoft.XL.Data", StringComparison.Ordinal), "the test must change a real loader name");
        string path = Write(zip);
        try
        {
            var load = () => ModelParts.Load(new MLContext(1), path, out _);

            load.Should().Throw<CliException>().Which.Message.Should().Contain(Path.GetFileName(path)).And.Contain("Microsoft.XL.Data").And.Contain("not part of ML.NET");
        }
        finally
        {
            File.Delete(path);
        }
    }

    // The loader assembly names of the entries that start with ML.NET's model header.
    private static List<string> LoaderNames(byte[] zip)
    {
        var names = new List<string>();
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        foreach (var entry in archive.Entries)
        {
            using var stream = new MemoryStream();
            using (var input = entry.Open())
                input.CopyTo(stream);
            var bytes = stream.ToArray();
            if (bytes.Length < 0x100 || BitConverter.ToUInt64(bytes, 0) != 0x4C45444F4D004C4DUL)
                continue;
            long offset = BitConverter.ToInt64(bytes, 0x90);
            int length = (int)BitConverter.ToUInt32(bytes, 0x98);
            if (length > 0)
                names.Add(Encoding.Unicode.GetString(bytes, (int)offset, length));
        }
        return names;
    }

    private static byte[] Replace(byte[] bytes, string from, string to)
    {
        byte[] find = Encoding.Unicode.GetBytes(from), with = Encoding.Unicode.GetBytes(to);
        var result = (byte[])bytes.Clone();
        for (int i = 0; i + find.Length <= result.Length; i++)
        {
            if (result.AsSpan(i, find.Length).SequenceEqual(find))
                with.CopyTo(result, i);
        }
        return result;
    }

    private static string Write(byte[] zip)
    {
        string path = Path.Combine(Path.GetTempPath(), $"mlnetext-loader-{Guid.NewGuid():N}.zip");
        File.WriteAllBytes(path, zip);
        return path;
    }
}
