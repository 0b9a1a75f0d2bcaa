using System.Text;
using FluentAssertions;
using MLNetExt.Core.Serialization;

namespace MLNetExt.Core.Tests.Serialization;

public sealed class AtomicFileTests : IDisposable
{
    private static readonly byte[] Previous = "previous"u8.ToArray();

    private readonly string _directory = Directory.CreateTempSubdirectory("mlnetext-atomic-file-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string WritePrevious(string name)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllBytes(path, Previous);
        return path;
    }

    [Fact]
    public void Replaces_the_file_even_when_the_writer_disposes_the_stream()
    {
        string path = WritePrevious("out.txt");

        AtomicFile.Write(path, stream =>
        {
            // A writer that owns its stream closes it; the flush to disk and the rename still follow.
            using var writer = new StreamWriter(stream, Encoding.UTF8);
            writer.Write("new content");
        });

        File.ReadAllText(path).Should().Be("new content");
        Directory.GetFiles(_directory).Should().Equal(path);
    }

    [Fact]
    public void A_failure_of_the_content_passes_through_unchanged_and_keeps_the_previous_file()
    {
        string path = WritePrevious("out.txt");

        var failing = () => AtomicFile.Write(path, stream =>
        {
            stream.Write(new byte[100_000]);
            throw new InvalidDataException("row 7 is bad");
        });

        failing.Should().Throw<InvalidDataException>().WithMessage("row 7 is bad");
        File.ReadAllBytes(path).Should().Equal(Previous);
        Directory.GetFiles(_directory).Should().Equal(path);
    }

    [Fact]
    public void A_file_system_failure_names_the_target_not_the_temporary_file()
    {
        // A directory in the way: the content is written, the rename fails.
        string path = Directory.CreateDirectory(Path.Combine(_directory, "taken.bin")).FullName;

        var failing = () => AtomicFile.Write(path, stream => stream.Write(new byte[10]));

        failing.Should().Throw<IOException>()
            .Which.Message.Should().StartWith($"Could not write '{path}' (a previous file there is left as it was): ").And.NotContain(".tmp");
        Directory.Exists(path).Should().BeTrue();
        Directory.GetFiles(_directory).Should().BeEmpty();
    }

    [Fact]
    public void A_missing_folder_is_named()
    {
        string path = Path.Combine(_directory, "absent", "out.bin");

        var failing = () => AtomicFile.Write(path, stream => stream.Write(new byte[10]));

        failing.Should().Throw<DirectoryNotFoundException>().WithMessage($"Could not write '{path}'*").Which.Message.Should().NotContain(".tmp");
    }
}
