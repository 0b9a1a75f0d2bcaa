using System.Text;
using FluentAssertions;
using MLNetExt.Trainers.WordEmbeddings;

namespace MLNetExt.Trainers.Tests.WordEmbeddings;

public sealed class WordVectorFormatTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("w2v-format-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string PathOf(string name) => Path.Combine(_directory, name);

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "WordEmbeddings", "Data", name);

    /// <summary>Awkward values: signed zero, subnormal, extremes, values needing 9 significant digits.</summary>
    private static KeyedVectors Awkward()
    {
        float[] values =
        [
            -0f, 1.4e-45f, float.MaxValue, float.MinValue, 0.1f,
            1f / 3, 16777217f, 1e-7f, -123456.789f, MathF.PI,
            float.Epsilon * 3, 2.5e-38f, -0.333333343f, 7f, 1e30f,
        ];
        return new KeyedVectors(["alpha", "café", "日本"], values, 5);
    }

    private static void ShouldBeBitIdentical(KeyedVectors actual, KeyedVectors expected)
    {
        actual.Words.Should().Equal(expected.Words);
        actual.VectorSize.Should().Be(expected.VectorSize);
        var a = actual.Vectors.ToArray().Select(BitConverter.SingleToInt32Bits);
        var e = expected.Vectors.ToArray().Select(BitConverter.SingleToInt32Bits);
        a.Should().Equal(e);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Word2vec_format_round_trips_bit_exactly(bool binary)
    {
        var vectors = Awkward();
        Word2VecFormat.Write(vectors, PathOf("v"), binary);
        ShouldBeBitIdentical(Word2VecFormat.Read(PathOf("v"), binary), vectors);
    }

    [Fact]
    public void Glove_format_round_trips_bit_exactly_and_has_no_header()
    {
        var vectors = Awkward();
        GloVeTextFormat.Write(vectors, PathOf("g.txt"));
        File.ReadLines(PathOf("g.txt")).First().Should().StartWith("alpha -0 1E-45 ");
        ShouldBeBitIdentical(GloVeTextFormat.Read(PathOf("g.txt")), vectors);
    }

    [Fact]
    public void Binary_layout_is_word2vec_c_layout()
    {
        var vectors = new KeyedVectors(["é", "b"], [1f, -2f, 0.5f, 0f], 2);
        var stream = new MemoryStream();
        Word2VecFormat.Write(vectors, stream, binary: true);
        var expected = new List<byte>();
        expected.AddRange("2 2\n"u8.ToArray());
        expected.AddRange("é "u8.ToArray());
        expected.AddRange(BitConverter.GetBytes(1f)); expected.AddRange(BitConverter.GetBytes(-2f));
        expected.Add((byte)'\n');
        expected.AddRange("b "u8.ToArray());
        expected.AddRange(BitConverter.GetBytes(0.5f)); expected.AddRange(BitConverter.GetBytes(0f));
        expected.Add((byte)'\n');
        stream.ToArray().Should().Equal(expected);
    }

    [Fact]
    public void Text_layout_matches_gensim()
    {
        var vectors = new KeyedVectors(["a", "b"], [1f, -0.5f, 0.1f, 2.5e-8f], 2);
        var stream = new MemoryStream();
        Word2VecFormat.Write(vectors, stream, binary: false);
        Encoding.UTF8.GetString(stream.ToArray()).Should().Be("2 2\na 1 -0.5\nb 0.1 2.5E-08\n");
    }

    [Theory]
    [InlineData("gensim.bin", true)]
    [InlineData("gensim.txt", false)]
    public void Files_written_by_gensim_load(string file, bool binary)
    {
        var vectors = Word2VecFormat.Read(Fixture(file), binary);
        vectors.Words.Should().Equal("the", "café", "naïve", "日本", "x");
        for (int i = 0; i < 5; i++)
            for (int k = 0; k < 5; k++)
                vectors.GetVector(i)[k].Should().Be((float)((i * 5 + k - 7) / 7.0));
    }

    [Fact]
    public void Limit_reads_the_first_words_only()
    {
        Word2VecFormat.Read(Fixture("gensim.bin"), binary: true, limit: 2).Words.Should().Equal("the", "café");
    }

    [Fact]
    public void Invalid_utf8_names_file_line_and_offset()
    {
        File.WriteAllBytes(PathOf("bad.txt"), [.. "2 1\na 1\nb"u8, 0xC3, 0x28, .. " 2\n"u8]);
        var act = () => Word2VecFormat.Read(PathOf("bad.txt"), binary: false);
        act.Should().Throw<InvalidDataException>().WithMessage($"*{PathOf("bad.txt")}*not valid UTF-8*line 3*byte offset 9*");

        File.WriteAllBytes(PathOf("bad.glove"), [.. "a 1\nb"u8, 0xFF, .. " 2\n"u8]);
        var glove = () => GloVeTextFormat.Read(PathOf("bad.glove"));
        glove.Should().Throw<InvalidDataException>().WithMessage("*bad.glove*line 2*byte offset 5*");
    }

    [Fact]
    public void Invalid_utf8_in_a_binary_word_names_the_offset()
    {
        File.WriteAllBytes(PathOf("bad.bin"), [.. "1 1\n"u8, 0x80, (byte)' ', .. BitConverter.GetBytes(1f)]);
        var act = () => Word2VecFormat.Read(PathOf("bad.bin"), binary: true);
        act.Should().Throw<InvalidDataException>().WithMessage("*bad.bin*not valid UTF-8*byte offset 4*");
    }

    [Fact]
    public void Truncated_binary_names_the_word_index()
    {
        Word2VecFormat.Write(Awkward(), PathOf("t.bin"), binary: true);
        var bytes = File.ReadAllBytes(PathOf("t.bin"));
        // Cut inside the third vector, and inside the second word respectively.
        File.WriteAllBytes(PathOf("cut.bin"), bytes[..^6]);
        var act = () => Word2VecFormat.Read(PathOf("cut.bin"), binary: true);
        act.Should().Throw<InvalidDataException>().WithMessage("*cut.bin*truncated*word 2 of the 3*");
    }

    [Fact]
    public void Truncated_text_names_the_word_index()
    {
        File.WriteAllText(PathOf("t.txt"), "3 2\na 1 2\nb 3 4\n");
        var act = () => Word2VecFormat.Read(PathOf("t.txt"), binary: false);
        act.Should().Throw<InvalidDataException>().WithMessage("*truncated*word 2 of the 3*");
    }

    [Fact]
    public void Absurd_header_is_rejected_before_allocating()
    {
        File.WriteAllText(PathOf("huge.bin"), "2000000000 1000\nab");
        var act = () => Word2VecFormat.Read(PathOf("huge.bin"), binary: true);
        act.Should().Throw<InvalidDataException>().WithMessage("*announces 2000000000 words of 1000 dimensions*");
        File.WriteAllText(PathOf("neg.txt"), "-1 3\n");
        var negative = () => Word2VecFormat.Read(PathOf("neg.txt"), binary: false);
        negative.Should().Throw<InvalidDataException>().WithMessage("*header*");
        File.WriteAllText(PathOf("dim.txt"), "1 0\n");
        var zero = () => Word2VecFormat.Read(PathOf("dim.txt"), binary: false);
        zero.Should().Throw<InvalidDataException>().WithMessage("*dimension 0*");
    }

    [Fact]
    public void Wrong_number_of_values_names_the_line()
    {
        File.WriteAllText(PathOf("short.txt"), "2 3\na 1 2 3\nb 1 2\n");
        var act = () => Word2VecFormat.Read(PathOf("short.txt"), binary: false);
        act.Should().Throw<InvalidDataException>().WithMessage("*line 3*2 numbers where the header announces 3*");
        File.WriteAllText(PathOf("nan.txt"), "1 2\na 1 x\n");
        var notNumber = () => Word2VecFormat.Read(PathOf("nan.txt"), binary: false);
        notNumber.Should().Throw<InvalidDataException>().WithMessage("*line 2*'x' is not a number*");
    }

    [Fact]
    public void Glove_reader_keeps_words_with_spaces()
    {
        File.WriteAllText(PathOf("spaces.txt"), "a 1 2\nat me 3 4\n");
        var vectors = GloVeTextFormat.Read(PathOf("spaces.txt"));
        vectors.Words.Should().Equal("a", "at me");
        vectors["at me"].ToArray().Should().Equal(3f, 4f);
    }

    [Fact]
    public void Words_that_cannot_be_written_are_rejected_and_leave_no_file()
    {
        var vectors = new KeyedVectors(["ok", "two words"], [1f, 2f], 1);
        var act = () => Word2VecFormat.Write(vectors, PathOf("w.txt"), binary: false);
        act.Should().Throw<ArgumentException>().WithMessage("*Word 1 ('two words')*whitespace*");
        Directory.GetFiles(_directory).Should().BeEmpty();
    }
}
