using System.Buffers.Binary;
using System.Text;
using FluentAssertions;
using MLNetExt.Trainers.WordEmbeddings;

namespace MLNetExt.Trainers.Tests.WordEmbeddings;

/// <summary>
/// Issue 15's findings on word-vector files, one regression test each: unbounded reads, misread formats (a long first
/// word, a byte-order mark), NaN and infinite values, header counts trusted before the file, bare framework errors,
/// and non-atomic output.
/// </summary>
public sealed class WordVectorHostileInputTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("w2v-hostile-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private string Write(string name, string text) => Write(name, Encoding.UTF8.GetBytes(text));

    private static byte[] Bom => [0xEF, 0xBB, 0xBF];

    private static KeyedVectors Small() => new(["alpha", "beta", "gamma"], [0.5f, -1f, 0.25f, 2f, 3f, -0.125f], 2);

    private static byte[] Binary(KeyedVectors vectors)
    {
        var stream = new MemoryStream();
        Word2VecFormat.Write(vectors, stream, binary: true);
        return stream.ToArray();
    }

    /// <summary>Bytes allocated on this thread by <paramref name="action"/>, which must throw.</summary>
    private static (long Allocated, Exception Error) AllocationOfFailure(Action action)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        Exception? error = null;
        try
        {
            action();
        }
        catch (Exception e)
        {
            error = e;
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        error.Should().NotBeNull("the input is hostile");
        return (allocated, error!);
    }

    [Theory]
    [InlineData(WordVectorFileFormat.Word2VecText)]
    [InlineData(WordVectorFileFormat.GloVeText)]
    [InlineData(WordVectorFileFormat.Word2VecBinary)]
    [InlineData(null)]
    public void Dev_zero_is_refused_at_a_cap_without_running_out_of_memory(WordVectorFileFormat? format)
    {
        if (!File.Exists("/dev/zero"))
            return;
        var (allocated, error) = AllocationOfFailure(() => WordVectorFiles.Read("/dev/zero", format));

        error.Should().BeOfType<InvalidDataException>().Which.Message.Should().Contain("/dev/zero");
        allocated.Should().BeLessThan(3L * WordVectorFiles.MaxLineBytes + (16 << 20), "reads stop at the line cap");
    }

    [Fact]
    public void A_line_past_the_cap_is_named_by_line_and_offset()
    {
        // Two good lines, then a GloVe line of MaxLineBytes + 1 bytes without a newline.
        var bytes = new byte[WordVectorFiles.MaxLineBytes + 1];
        Array.Fill(bytes, (byte)'7');
        bytes[0] = (byte)'z';
        bytes[1] = (byte)' ';
        string path = Write("long.txt", [.. "a 1\nb 2\n"u8, .. bytes]);

        var act = () => GloVeTextFormat.Read(path);

        act.Should().Throw<InvalidDataException>().WithMessage($"'{path}': line 3 (at byte offset 8) is longer than 16,777,216 bytes*");
    }

    [Fact]
    public void A_word2vec_text_file_with_a_2KB_first_word_is_detected_as_text()
    {
        string word = new('w', 2048);
        string path = Write("long-word.txt", $"2 3\n{word} 1 2 3\nb 4 5 6\n");

        WordVectorFiles.DetectFormat(path).Should().Be(WordVectorFileFormat.Word2VecText);
        var vectors = WordVectorFiles.Read(path);
        vectors.Words.Should().Equal(word, "b");
        vectors[word].ToArray().Should().Equal(1f, 2f, 3f);
    }

    [Fact]
    public void Words_longer_than_the_cap_are_refused_by_name()
    {
        string word = new('w', WordVectorFiles.MaxWordBytes + 1);
        string text = Write("huge-word.txt", $"1 1\n{word} 1\n");
        string glove = Write("huge-word.glove", $"{word} 1\n");
        var binary = Write("huge-word.bin", [.. "1 1\n"u8, .. Encoding.ASCII.GetBytes(word), (byte)' ', 0, 0, 0, 0]);

        FluentActions.Invoking(() => Word2VecFormat.Read(text, binary: false)).Should().Throw<InvalidDataException>().WithMessage("*huge-word.txt' line 2*longer than 65,536 bytes*");
        FluentActions.Invoking(() => GloVeTextFormat.Read(glove)).Should().Throw<InvalidDataException>().WithMessage("*huge-word.glove' line 1*longer than 65,536 bytes*");
        FluentActions.Invoking(() => Word2VecFormat.Read(binary, binary: true)).Should().Throw<InvalidDataException>().WithMessage("*huge-word.bin': word 0 at byte offset 4 is longer than 65,536 bytes*");
    }

    [Fact]
    public void Numbers_longer_than_the_cap_are_refused_by_line()
    {
        string path = Write("long-number.txt", $"1 1\na 0.{new string('1', 100)}\n");

        FluentActions.Invoking(() => Word2VecFormat.Read(path, binary: false))
            .Should().Throw<InvalidDataException>().WithMessage("*long-number.txt' line 2: value 1 is 102 characters long, more than the 64*");
    }

    [Theory]
    [InlineData(WordVectorFileFormat.Word2VecText, "2 2\na 1 2\nb 3 4\n")]
    [InlineData(WordVectorFileFormat.GloVeText, "a 1 2\nb 3 4\n")]
    public void A_byte_order_mark_is_skipped_by_detection_and_by_the_text_readers(WordVectorFileFormat format, string text)
    {
        string path = Write("bom.txt", [.. Bom, .. Encoding.UTF8.GetBytes(text)]);

        WordVectorFiles.DetectFormat(path).Should().Be(format);
        var vectors = WordVectorFiles.Read(path);
        vectors.Words.Should().Equal("a", "b");
        vectors.Vectors.ToArray().Should().Equal(1f, 2f, 3f, 4f);
        WordVectorFiles.Read(path, format).Words.Should().Equal("a", "b");
    }

    [Fact]
    public void A_byte_order_mark_before_a_binary_header_is_skipped()
    {
        string path = Write("bom.bin", [.. Bom, .. Binary(Small())]);

        WordVectorFiles.DetectFormat(path).Should().Be(WordVectorFileFormat.Word2VecBinary);
        WordVectorFiles.Read(path).Vectors.ToArray().Should().Equal(Small().Vectors.ToArray());
    }

    [Theory]
    [InlineData("NaN", "NaN")]
    [InlineData("Infinity", "infinite")]
    [InlineData("-Infinity", "infinite")]
    [InlineData("1e39", "infinite (or beyond the float32 range)")]
    public void NaN_and_infinite_text_values_are_refused_with_the_line(string value, string named)
    {
        string text = Write("nan.txt", $"2 2\na 1 2\nb 3 {value}\n");
        string glove = Write("nan.glove", $"a 1 2\nb {value} 4\n");

        WordVectorFiles.DetectFormat(text).Should().Be(WordVectorFileFormat.Word2VecText);
        FluentActions.Invoking(() => WordVectorFiles.Read(text)).Should().Throw<InvalidDataException>()
            .WithMessage($"'{text}' line 3: value 2 '{value}' is {named}*must be finite*");
        FluentActions.Invoking(() => WordVectorFiles.Read(glove)).Should().Throw<InvalidDataException>()
            .WithMessage($"'{glove}' line 2: value 1 '{value}' is {named}*must be finite*");
    }

    [Theory]
    [InlineData(float.NaN, "NaN")]
    [InlineData(float.PositiveInfinity, "infinite*")]
    [InlineData(float.NegativeInfinity, "infinite*")]
    public void NaN_and_infinite_binary_values_are_refused_with_the_word_and_byte_offset(float value, string named)
    {
        var bytes = Binary(Small());
        // "3 2\n" (4 bytes), "alpha " (6) + 8, "\n", "beta " (5): beta's second value starts at 4 + 15 + 5 + 4 = 28.
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(28), value);
        string path = Write("nan.bin", bytes);

        FluentActions.Invoking(() => WordVectorFiles.Read(path)).Should().Throw<InvalidDataException>()
            .WithMessage($"'{path}': word 1 ('beta'), value 2 at byte offset 28 is {named}; vector values must be finite.");
    }

    [Fact]
    public void Writing_refuses_NaN_and_infinite_values_and_leaves_no_file()
    {
        var vectors = new KeyedVectors(["a", "b"], [1f, 2f, float.NaN, 4f], 2);
        string path = Path.Combine(_directory, "out.txt");

        foreach (var format in Enum.GetValues<WordVectorFileFormat>())
        {
            FluentActions.Invoking(() => WordVectorFiles.Write(vectors, path, format)).Should().Throw<ArgumentException>()
                .WithMessage("Word 1 ('b') has a value that is NaN (value 1)*finite numbers only*");
        }
        Directory.GetFileSystemEntries(_directory).Should().BeEmpty();
    }

    [Fact]
    public void A_failed_write_keeps_the_previous_file_and_leaves_no_temporary_file()
    {
        string path = Write("keep.txt", "previous");
        var vectors = Small();

        // A folder that does not exist, and a target that is a directory: the error is the writer's, nothing is left.
        FluentActions.Invoking(() => WordVectorFiles.Write(vectors, Path.Combine(_directory, "missing", "v.txt"), WordVectorFileFormat.GloVeText))
            .Should().Throw<DirectoryNotFoundException>();
        Directory.CreateDirectory(Path.Combine(_directory, "folder"));
        FluentActions.Invoking(() => WordVectorFiles.Write(vectors, Path.Combine(_directory, "folder"), WordVectorFileFormat.Word2VecBinary))
            .Should().Throw<IOException>();
        WordVectorFiles.Write(vectors, path, WordVectorFileFormat.Word2VecText);

        File.ReadAllText(path).Should().StartWith("3 2\n");
        Directory.GetFiles(_directory, "*.tmp", SearchOption.AllDirectories).Should().BeEmpty();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_header_of_40_million_words_in_a_1KB_file_fails_before_allocating(bool binary)
    {
        string path = Write("huge-header", [.. "40000000 300\n"u8, .. new byte[1000]]);

        var (allocated, error) = AllocationOfFailure(() => Word2VecFormat.Read(path, binary));

        error.Should().BeOfType<InvalidDataException>().Which.Message.Should().Contain("announces 40000000 words of 300 dimensions").And.Contain(path);
        allocated.Should().BeLessThan(1 << 20);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_stream_of_unknown_length_allocates_for_what_it_holds_not_for_its_header(bool binary)
    {
        // The header claims 40 million words of 300 dimensions; the stream cannot say how long it is and holds three.
        var body = new MemoryStream();
        Word2VecFormat.Write(Small(), body, binary);
        var bytes = body.ToArray();
        int newline = Array.IndexOf(bytes, (byte)'\n');
        var stream = new UnseekableStream([.. "40000000 2\n"u8, .. bytes[(newline + 1)..]]);

        var (allocated, error) = AllocationOfFailure(() => Word2VecFormat.Read(stream, binary, "pipe"));

        error.Should().BeOfType<InvalidDataException>().Which.Message.Should().StartWith("'pipe' is truncated").And.Contain("word 3 of the 40000000");
        allocated.Should().BeLessThan(16 << 20);
    }

    [Fact]
    public void A_stream_of_unknown_length_is_read_in_full_when_it_is_whole()
    {
        var body = new MemoryStream();
        Word2VecFormat.Write(Small(), body, binary: true);

        var vectors = Word2VecFormat.Read(new UnseekableStream(body.ToArray()), binary: true, "pipe");

        vectors.Words.Should().Equal(Small().Words);
        vectors.Vectors.ToArray().Should().Equal(Small().Vectors.ToArray());
    }

    [Fact]
    public void Repeated_words_are_refused_with_both_places()
    {
        string text = Write("twice.txt", "2 1\na 1\na 2\n");
        string glove = Write("twice.glove", "a 1\nb 2\na 3\n");

        FluentActions.Invoking(() => WordVectorFiles.Read(text)).Should().Throw<InvalidDataException>().WithMessage("'*twice.txt' line 3: the word 'a' appears twice (words 0 and 1).");
        FluentActions.Invoking(() => WordVectorFiles.Read(glove)).Should().Throw<InvalidDataException>().WithMessage("'*twice.glove' line 3: the word 'a' appears twice (words 0 and 2).");
    }

    [Fact]
    public void Framework_errors_are_rephrased_naming_the_file()
    {
        FluentActions.Invoking(() => Word2VecFormat.Read(new FailingStream(), binary: true, "disk.bin"))
            .Should().Throw<IOException>().WithMessage("'disk.bin' could not be read: the disk failed");
        FluentActions.Invoking(() => GloVeTextFormat.Read(new FailingStream(), "disk.txt"))
            .Should().Throw<IOException>().WithMessage("'disk.txt' could not be read: the disk failed");
    }

    [Fact]
    public void A_directory_is_refused_by_name()
    {
        FluentActions.Invoking(() => WordVectorFiles.Read(_directory)).Should().Throw<InvalidDataException>().WithMessage($"'{_directory}' is a directory*");
        FluentActions.Invoking(() => GloVeTextFormat.Read(_directory)).Should().Throw<InvalidDataException>().WithMessage($"'{_directory}' is a directory*");
        FluentActions.Invoking(() => Word2VecFormat.Read(_directory, binary: true)).Should().Throw<InvalidDataException>().WithMessage($"'{_directory}' is a directory*");
    }

    [Theory]
    [InlineData("empty", "", "is empty*")]
    [InlineData("junk", "\u0001\u0002binary", "cannot tell the word-vector format: byte 0x01 at offset 0*")]
    [InlineData("single", "lonely\nword\n", "cannot tell the word-vector format: the first line, 'lonely', is a single field*")]
    public void A_format_that_cannot_be_told_is_an_error_naming_the_file(string name, string content, string message)
    {
        string path = Write(name, content);

        FluentActions.Invoking(() => WordVectorFiles.DetectFormat(path)).Should().Throw<InvalidDataException>().WithMessage($"'{path}*{message}");
    }

    [Fact]
    public void Non_utf8_first_line_cannot_be_told()
    {
        string path = Write("latin1", [.. "caf"u8, 0xE9, .. " 1 2\n"u8]);

        FluentActions.Invoking(() => WordVectorFiles.Read(path)).Should().Throw<InvalidDataException>().WithMessage($"'{path}': cannot tell*not valid UTF-8*");
        FluentActions.Invoking(() => GloVeTextFormat.Read(path)).Should().Throw<InvalidDataException>().WithMessage($"'{path}' is not valid UTF-8: invalid byte 0xE9 at line 1, byte offset 3.");
    }

    [Fact]
    public void A_binary_file_whose_first_float_holds_a_newline_byte_is_still_binary()
    {
        // The first vector's first byte is '\n', so the first "line" after the header is "alpha ": plain text.
        var vectors = new KeyedVectors(["alpha", "beta"], [BitConverter.Int32BitsToSingle(0x3F00000A), 0.5f, 1f, 2f], 2);
        string path = Write("newline.bin", Binary(vectors));

        WordVectorFiles.DetectFormat(path).Should().Be(WordVectorFileFormat.Word2VecBinary);
        WordVectorFiles.Read(path).Vectors.ToArray().Should().Equal(vectors.Vectors.ToArray());
    }

    /// <summary>A stream that cannot seek and so cannot tell its length, as a pipe.</summary>
    private sealed class UnseekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    }

    private sealed class FailingStream : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new IOException("the disk failed");
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
