using FluentAssertions;

namespace MLNetExt.Data.Tests.Loading;

public sealed class TextLoaderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mlnetext-text-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string name, string content)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    public sealed class House
    {
        [LoadColumn(0)]
        public float Size;

        [LoadColumn(1)]
        public int Rooms;

        [LoadColumn(2)]
        public string Town = "";

        [LoadColumn(3)]
        public bool HasGarden;

        [LoadColumn(4, 7), VectorType(2, 2)]
        public float[] Features = [];

        [LoadColumn(8), ColumnName("Label"), KeyType(3)]
        public uint Category;
    }

    [Fact]
    public void Csv_with_header_quoting_and_vector_columns_loads_every_type()
    {
        string path = Write("houses.csv",
            "size,rooms,town,garden,f0,f1,f2,f3,category\n" +
            "120.5,4,\"Paris, 5e\",true,1,2,3,4,0\n" +
            "\n" +
            "// a comment line\n" +
            "80,2,\"The \"\"Old\"\" Mill\",no,0.5,-1,,8,2\n");
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromTextFile<House>(path, separatorChar: ',', hasHeader: true, allowQuoting: true);

        data.Schema["Features"].Type.Should().Be(new VectorDataViewType(NumberDataViewType.Single, 2, 2));
        data.Schema["Label"].Type.Should().Be(new KeyDataViewType(typeof(uint), 3));
        var rows = ml.Data.CreateEnumerable<House>(data, reuseRowObject: false).ToList();

        rows.Should().HaveCount(2);
        rows[0].Should().BeEquivalentTo(new House { Size = 120.5f, Rooms = 4, Town = "Paris, 5e", HasGarden = true, Features = [1, 2, 3, 4], Category = 1 });
        rows[1].Town.Should().Be("The \"Old\" Mill");
        rows[1].HasGarden.Should().BeFalse();
        rows[1].Features[0].Should().Be(0.5f);
        float.IsNaN(rows[1].Features[2]).Should().BeTrue("an empty float field is missing, which is NaN");
        rows[1].Category.Should().Be(3u, "keys are 0-based in the file and 1-based when loaded");
    }

    public sealed class Measurement
    {
        [LoadColumn(0)]
        public string Name = "";

        [LoadColumn(1)]
        public double Value;

        [LoadColumn(2)]
        public int Count;
    }

    [Fact]
    public void Tab_separated_file_with_missing_reals_and_short_rows()
    {
        string path = Write("m.tsv", "a\t1.5\t3\nb\t?\t4\nc\t\t5\nd\tNaN\t6\n");
        var ml = new MLContext(1);
        var rows = ml.Data.CreateEnumerable<Measurement>(ml.Data.LoadFromTextFile<Measurement>(path), false).ToList();
        rows.Select(r => r.Name).Should().Equal("a", "b", "c", "d");
        rows[0].Value.Should().Be(1.5);
        rows.Skip(1).Should().OnlyContain(r => double.IsNaN(r.Value));
        rows.Select(r => r.Count).Should().Equal(3, 4, 5, 6);
    }

    [Fact]
    public void Unparsable_field_error_names_file_line_column_and_text()
    {
        string path = Write("bad.csv", "name,value,count\nok,1,2\nbad,2.5,two\n");
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromTextFile<Measurement>(path, ',', hasHeader: true);
        FluentActions.Invoking(() => ml.Data.CreateEnumerable<Measurement>(data, false).ToList())
            .Should().Throw<FormatException>()
            .Which.Message.Should().ContainAll("'two'", "Int32", "'Count'", "line 3", path);
    }

    [Fact]
    public void Missing_integer_is_an_error_not_a_silent_zero()
    {
        string path = Write("missing.csv", "x,1.0,\n");
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromTextFile<Measurement>(path, ',');
        FluentActions.Invoking(() => ml.Data.CreateEnumerable<Measurement>(data, false).ToList())
            .Should().Throw<FormatException>().Which.Message.Should().ContainAll("Missing value", "'Count'", "line 1", "Int32");
    }

    [Fact]
    public void Out_of_range_key_is_an_error()
    {
        string path = Write("keys.csv", "1,2,x,true,1,2,3,4,3\n");
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromTextFile<House>(path, ',');
        FluentActions.Invoking(() => ml.Data.CreateEnumerable<House>(data, false).ToList())
            .Should().Throw<FormatException>().Which.Message.Should().ContainAll("'3'", "'Label'", "Key");
    }

    [Fact]
    public void Columns_overload_loads_scalar_vector_and_open_ended_ranges()
    {
        string path = Write("cols.txt", "1;2;3;4\n5;6\n");
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromTextFile(path,
        [
            new TextLoader.Column("First", DataKind.Single, 0),
            new TextLoader.Column("Rest", DataKind.Int32, [new TextLoader.Range(1, null)]),
        ], separatorChar: ';');
        data.Schema["Rest"].Type.Should().Be(new VectorDataViewType(NumberDataViewType.Int32));
        using var cursor = data.GetRowCursor(data.Schema);
        var first = cursor.GetGetter<float>(data.Schema["First"]);
        var rest = cursor.GetGetter<VBuffer<int>>(data.Schema["Rest"]);
        float f = 0;
        VBuffer<int> r = default;
        cursor.MoveNext().Should().BeTrue();
        first(ref f);
        rest(ref r);
        f.Should().Be(1f);
        r.GetValues().ToArray().Should().Equal(2, 3, 4);
        cursor.MoveNext().Should().BeTrue();
        rest(ref r);
        r.GetValues().ToArray().Should().Equal(6);
        cursor.MoveNext().Should().BeFalse();
    }

    [Fact]
    public void Quoted_field_spanning_lines_needs_read_multilines()
    {
        string path = Write("multi.csv", "\"line one\nline two\",1,2\nnext,3,4\n");
        var ml = new MLContext(1);
        var strict = ml.Data.LoadFromTextFile<Measurement>(path, ',', allowQuoting: true);
        FluentActions.Invoking(() => ml.Data.CreateEnumerable<Measurement>(strict, false).ToList())
            .Should().Throw<FormatException>().WithMessage("*Unterminated quoted field at line 1*");
        var options = new TextLoader.Options { Separators = [','], AllowQuoting = true, ReadMultilines = true };
        var rows = ml.Data.CreateEnumerable<Measurement>(ml.Data.LoadFromTextFile<Measurement>(path, options), false).ToList();
        rows.Select(r => r.Name).Should().Equal("line one\nline two", "next");
        rows.Select(r => r.Count).Should().Equal(2, 4);
    }

    [Fact]
    public void Trim_whitespace_and_max_rows()
    {
        string path = Write("spaces.csv", " a , 1 , 2 \n b , 3 , 4 \n c , 5 , 6 \n");
        var ml = new MLContext(1);
        var options = new TextLoader.Options { Separators = [','], TrimWhitespace = true, MaxRows = 2 };
        var rows = ml.Data.CreateEnumerable<Measurement>(ml.Data.LoadFromTextFile<Measurement>(path, options), false).ToList();
        rows.Select(r => r.Name).Should().Equal("a", "b");
    }

    [Fact]
    public void Cursor_reads_the_file_lazily()
    {
        string path = Write("lazy.csv", "a,1,1\nb,2,2\nc,oops,3\n");
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromTextFile<Measurement>(path, ',');
        var firstTwo = ml.Data.CreateEnumerable<Measurement>(ml.Data.TakeRows(data, 2), false).ToList();
        firstTwo.Select(r => r.Value).Should().Equal(1.0, 2.0);
        using var cursor = data.GetRowCursor([data.Schema["Name"]]);
        int rows = 0;
        while (cursor.MoveNext())
            rows++;
        rows.Should().Be(3, "the bad Value field is never parsed when Value is not read");
    }

    public sealed class NoAttribute
    {
        public float X;
    }

    [Fact]
    public void Bad_loader_arguments_are_rejected_clearly()
    {
        var ml = new MLContext(1);
        string path = Write("any.csv", "1\n");
        FluentActions.Invoking(() => ml.Data.LoadFromTextFile<NoAttribute>(path))
            .Should().Throw<InvalidOperationException>().WithMessage("*'X'*LoadColumn*");
        FluentActions.Invoking(() => ml.Data.LoadFromTextFile<Measurement>(Path.Combine(_directory, "none.csv")))
            .Should().Throw<FileNotFoundException>().WithMessage("*none.csv*");
        FluentActions.Invoking(() => ml.Data.LoadFromTextFile<Measurement>(path, allowSparse: true))
            .Should().Throw<NotSupportedException>().WithMessage("*AllowSparse*");
    }
}
