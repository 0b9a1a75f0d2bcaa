using System.Globalization;
using System.Text;
using MLNetExt.Cli;
using MLNetExt.Cli.Data;

namespace MLNetExt.Fuzz.Tests;

/// <summary>
/// Hostile CSV/TSV datasets through the reading path every mlnetext command takes: the header read and the inspection of
/// the first rows (<see cref="DelimitedHeader.Read"/>), the check of every value (<see cref="DatasetLoader.Load"/>), ML.NET's
/// text loader, and every row enumerated. Each case is read cleanly (and then ML.NET's values must equal the fields our
/// reader split, so that what the check passed is what is trained on) or refused with a <see cref="CliException"/> naming
/// the file, in time and bounded memory.
/// </summary>
public class DatasetFuzzTests
{
    private static readonly MLContext Ml = new(1);

    private const string ValidCsv =
        "x,y,note,flag,label\n" +
        "0.5,-1.25,\"hello, world\",true,a\n" +
        "1e-3,2,plain,false,b\n" +
        "-0.75,3.5,\"say \"\"hi\"\"\",yes,a\n" +
        "// a comment line\n" +
        "\n" +
        "4,0,,no,c\r\n" +
        "12.5,-7,\u00e9t\u00e9,1,b\n" +
        "0,0.125, spaced ,0,a\n";

    private const string ValidTsv =
        "text\tlabel\n" +
        "the cat sat on the mat\tpos\n" +
        "a dog\tneg\n" +
        "\"quoted\ttab here\"\tpos\n" +
        "one two three four five six seven\tneg\n" +
        "x\tpos\n";

    private const string ValidVectors =
        "Features,Label\n" +
        "1 2 3,0.5\n" +
        "\"-1 0.25 4\",1\n" +
        "0 0 0,-2\n" +
        "7 8 9.5,3\n";

    private static bool IsClean(Exception error) => error is CliException;

    /// <summary>The reading path of <c>mlnetext train</c>: numeric columns as Single, two-valued ones as Boolean, the rest as text.</summary>
    private static void ReadAsTrainDoes(string path)
    {
        var header = DelimitedHeader.Read(path, DelimitedHeader.SeparatorFor(path, null), hasHeader: true);
        var kinds = header.Names.Select((_, i) => header.IsNumeric[i] ? DataKind.Single : header.IsBoolean[i] ? DataKind.Boolean : DataKind.String).ToArray();
        var data = DatasetLoader.Load(Ml, header, header.Names.Select((name, i) => new TextLoader.Column(name, kinds[i], i)));
        var expected = new List<string[]>();
        header.ForEachRow((_, fields) => expected.Add([.. fields]));
        CompareRows(data, header.Names, kinds, expected);
    }

    /// <summary>The reading path of <c>mlnetext sequence --task classify</c>: the token check, the text and label as text, truncated to the first words.</summary>
    private static void ReadAsSequenceDoes(string path, int maxTokens, bool truncate)
    {
        var header = DelimitedHeader.Read(path, DelimitedHeader.SeparatorFor(path, null), hasHeader: true);
        int text = header.IndexOf("text", "--text-col"), label = header.IndexOf("label", "--label-col");
        SequenceText.Check(header, text, null, maxTokens, truncate);
        var data = DatasetLoader.Load(Ml, header, [new TextLoader.Column("text", DataKind.String, text), new TextLoader.Column("label", DataKind.String, label)]);
        if (truncate)
            data = SequenceText.Truncate(data, ["text"], maxTokens);
        using var cursor = data.GetRowCursor(data.Schema);
        var getter = cursor.GetGetter<ReadOnlyMemory<char>>(data.Schema["text"]);
        ReadOnlyMemory<char> value = default;
        while (cursor.MoveNext())
        {
            getter(ref value);
            if (SequenceText.CountWords(value.Span) > maxTokens)
                throw new InvalidOperationException($"Row {cursor.Position} has more than {maxTokens} words after the check.");
        }
    }

    /// <summary>The reading path of <c>mlnetext evaluate</c> for a model whose input is a Vector&lt;Single, 3&gt; and a Single label.</summary>
    private static void ReadAsEvaluateDoes(string path)
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumn("Features", new VectorDataViewType(NumberDataViewType.Single, 3));
        builder.AddColumn("Label", NumberDataViewType.Single);
        var header = DelimitedHeader.Read(path, DelimitedHeader.SeparatorFor(path, null), hasHeader: true);
        var data = DatasetLoader.LoadForModel(Ml, header, builder.ToSchema(), _ => true);
        using var cursor = data.GetRowCursor(data.Schema);
        var features = cursor.GetGetter<VBuffer<float>>(data.Schema["Features"]);
        var label = cursor.GetGetter<float>(data.Schema["Label"]);
        VBuffer<float> vector = default;
        float value = 0;
        while (cursor.MoveNext())
        {
            features(ref vector);
            label(ref value);
            if (vector.Length != 3 || !float.IsFinite(value) || vector.DenseValues().Any(v => !float.IsFinite(v)))
                throw new InvalidOperationException($"Row {cursor.Position} was loaded with a wrong or non-finite value after the check.");
        }
    }

    // ML.NET's values must be the fields our reader split (numbers parsed, an empty number 0, an empty Boolean false).
    private static void CompareRows(IDataView data, IReadOnlyList<string> names, DataKind[] kinds, List<string[]> expected)
    {
        using var cursor = data.GetRowCursor(data.Schema);
        var getters = names.Select((name, i) => Reader(cursor, data.Schema[name], kinds[i])).ToArray();
        int row = 0;
        while (cursor.MoveNext())
        {
            if (row >= expected.Count)
                throw new InvalidOperationException($"ML.NET read more rows than the {expected.Count} checked.");
            for (int i = 0; i < getters.Length; i++)
            {
                string field = expected[row][i].Trim();
                string actual = getters[i]();
                bool same = kinds[i] switch
                {
                    DataKind.Single => SameNumber(float.Parse(actual, CultureInfo.InvariantCulture), field),
                    DataKind.Boolean => actual == (field.ToLowerInvariant() is "true" or "t" or "yes" or "y" or "1" or "+1" ? "True" : "False"),
                    _ => actual.Trim() == field,
                };
                if (!same)
                    throw new InvalidOperationException($"Row {row}, column '{names[i]}': ML.NET read '{actual}' where the check read '{field}'.");
            }
            row++;
        }
        if (row != expected.Count)
            throw new InvalidOperationException($"ML.NET read {row} rows where the check read {expected.Count}.");
    }

    // The check passes finite numbers only, so ML.NET's value must be the field's, to rounding.
    private static bool SameNumber(float actual, string field) =>
        float.TryParse(field.Length == 0 ? "0" : field, NumberStyles.Float, CultureInfo.InvariantCulture, out float expected)
        && float.IsFinite(expected) && Math.Abs(actual - expected) <= 1e-6 * Math.Max(1, Math.Abs(expected));

    private static Func<string> Reader(DataViewRowCursor cursor, DataViewSchema.Column column, DataKind kind)
    {
        switch (kind)
        {
            case DataKind.Single:
                var number = cursor.GetGetter<float>(column);
                return () =>
                {
                    float value = 0;
                    number(ref value);
                    return value.ToString("R", CultureInfo.InvariantCulture);
                };
            case DataKind.Boolean:
                var boolean = cursor.GetGetter<bool>(column);
                return () =>
                {
                    bool value = false;
                    boolean(ref value);
                    return value.ToString();
                };
            default:
                var text = cursor.GetGetter<ReadOnlyMemory<char>>(column);
                return () =>
                {
                    ReadOnlyMemory<char> value = default;
                    text(ref value);
                    return value.ToString();
                };
        }
    }

    [Fact]
    public void Mutated_csv_files_are_read_or_refused_cleanly()
    {
        var results = FuzzHarness.Mutations(Encoding.UTF8.GetBytes(ValidCsv), seed: 15)
            .Select(m => FuzzHarness.Run("dataset.csv", m.Name, m.Bytes, ReadAsTrainDoes, IsClean))
            .ToList();

        FuzzHarness.Assert(results);
        results.Should().Contain(r => r.Outcome == FuzzOutcome.Accepted).And.Contain(r => r.Outcome == FuzzOutcome.CleanError);
    }

    [Fact]
    public void Mutated_tsv_files_are_read_or_refused_cleanly_by_sequence_reading()
    {
        var results = FuzzHarness.Mutations(Encoding.UTF8.GetBytes(ValidTsv), seed: 16)
            .Select(m => FuzzHarness.Run("sequence.tsv", m.Name, m.Bytes, path => ReadAsSequenceDoes(path, maxTokens: 5, truncate: m.Name.Length % 2 == 0), IsClean))
            .ToList();

        FuzzHarness.Assert(results);
        results.Should().Contain(r => r.Outcome == FuzzOutcome.Accepted).And.Contain(r => r.Outcome == FuzzOutcome.CleanError);
    }

    [Fact]
    public void Mutated_vector_columns_are_read_or_refused_cleanly_by_evaluate_reading()
    {
        var results = FuzzHarness.Mutations(Encoding.UTF8.GetBytes(ValidVectors), seed: 17)
            .Select(m => FuzzHarness.Run("vectors.csv", m.Name, m.Bytes, ReadAsEvaluateDoes, IsClean))
            .ToList();

        FuzzHarness.Assert(results);
        results.Should().Contain(r => r.Outcome == FuzzOutcome.Accepted).And.Contain(r => r.Outcome == FuzzOutcome.CleanError);
    }

    public static TheoryData<string, string, string> HostileFiles => new()
    {
        // name, file text (\u0000-free unless the case is about it), a part of the expected error
        { "empty", "", "is empty" },
        { "only blank and comment lines", "\n\n// nothing\n", "is empty" },
        { "header only", "x,y\n", "has no data rows" },
        { "duplicate header names", "x,y,x\n1,2,3\n", "line 1: the header names column 'x' more than once (fields 1, 3)" },
        { "a row with too few fields", "x,y,z\n1,2,3\n4,5\n", "line 3: 2 field(s) where the header names 3" },
        { "a row with too many fields", "x,y\n1,2\n3,4,5\n", "line 3: 3 field(s) where the header names 2" },
        { "a late ragged row", "x,y\n" + string.Concat(Enumerable.Repeat("1,2\n", 1500)) + "1\n", "line 1502: 1 field(s)" },
        { "a quoted field spanning lines", "x,note\n1,\"two\nlines\"\n", "line 2: field 2 opens a quote that does not close on this line" },
        { "text after a closing quote", "x,note\n1,\"a\"b\n", "line 2: field 2 has text after its closing quote" },
        { "a NUL byte", "x,y\n1,\u00002\n", "line 2, byte 3: a NUL byte" },
        { "NaN", "x,y\n1,2\nNaN,3\n", "line 3, column 'x': 'NaN' is not a finite number" },
        { "?", "x,y\n1,2\n4,?\n", "line 3, column 'y': '?' is not a finite number" },
        { "infinity", "x,y\n1,2\n-Infinity,3\n", "line 3, column 'x': '-Infinity' is not a finite number" },
        { "beyond Single", "x,y\n1,2\n1e39,3\n", "line 3, column 'x': '1e39' is not a finite number" },
        { "a late typo", "x,y\n" + string.Concat(Enumerable.Repeat("1,2\n", 1200)) + "1,2x\n", "line 1202, column 'y': '2x' is not a number" },
        { "a field over the cap", "x,note\n1," + new string('a', DelimitedReader.MaxFieldChars + 1) + "\n", "line 2: field 2 is longer than 262,144 characters" },
        { "too many fields", "x\n" + new string(',', DelimitedReader.MaxFields) + "\n", "line 2: the record has more than 65,536 fields" },
    };

    [Theory]
    [MemberData(nameof(HostileFiles))]
    public void Hostile_files_get_a_clean_error_naming_file_and_line(string name, string text, string expected)
    {
        var result = FuzzHarness.Run("dataset.csv", name, Encoding.UTF8.GetBytes(text), ReadAsTrainDoes, IsClean);

        FuzzHarness.Assert([result]);
        result.Outcome.Should().Be(FuzzOutcome.CleanError);
        result.Detail.Should().Contain(expected);
    }

    [Theory]
    [InlineData("Latin-1", new byte[] { (byte)'x', (byte)',', (byte)'y', 10, (byte)'1', (byte)',', 0xE9, 10 }, "line 2: byte 0xE9 at byte 3 of the line is not UTF-8 text")]
    [InlineData("a lone continuation byte", new byte[] { (byte)'x', 10, 0x80, 10 }, "line 2: byte 0x80")]
    [InlineData("UTF-16 with a byte-order mark", new byte[] { 0xFF, 0xFE, (byte)'x', 0, 10, 0, (byte)'1', 0, 10, 0 }, "is UTF-16 text")]
    public void Text_that_is_not_UTF8_is_refused_by_line(string name, byte[] bytes, string expected)
    {
        var result = FuzzHarness.Run("dataset.csv", name, bytes, ReadAsTrainDoes, IsClean);

        FuzzHarness.Assert([result]);
        result.Outcome.Should().Be(FuzzOutcome.CleanError);
        result.Detail.Should().Contain(expected);
    }

    [Fact]
    public void A_UTF8_byte_order_mark_is_read_as_text_starts()
    {
        var result = FuzzHarness.Run("dataset.csv", "UTF-8 byte-order mark", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("x,y\n1,2\n")], ReadAsTrainDoes, IsClean);

        FuzzHarness.Assert([result]);
        result.Outcome.Should().Be(FuzzOutcome.Accepted, result.Detail);
    }

    [Fact]
    public void Dev_zero_a_directory_and_a_10_MB_line_are_refused_in_bounded_memory()
    {
        string folder = Directory.CreateTempSubdirectory("mlnetext-fuzz-dir-").FullName;
        try
        {
            var results = new List<FuzzResult>
            {
                // Endless NUL bytes without a line break: refused at the first byte, whatever the cap.
                FuzzHarness.RunOnPath("dataset.csv", "/dev/zero", "/dev/zero", 0, ReadAsTrainDoes, IsClean),
                FuzzHarness.RunOnPath("dataset.csv", "a directory", folder, 0, ReadAsTrainDoes, IsClean),
                // 10 MB of text without a line break: refused at the line cap, having held 1 MiB of it.
                FuzzHarness.Run("dataset.csv", "one 10 MB line", Encoding.ASCII.GetBytes(new string('7', 10_000_000)), ReadAsTrainDoes, IsClean, allowance: 16L << 20),
                // A valid header and row, then one 10 MB line: the value check reads the whole file within the cap before ML.NET's loader does.
                FuzzHarness.Run("dataset.csv", "a 10 MB line after valid rows", Encoding.ASCII.GetBytes("x,y\n1,2\n" + new string('7', 10_000_000) + "\n"), ReadAsTrainDoes, IsClean, allowance: 16L << 20),
            };

            FuzzHarness.Assert(results);
            results.Should().OnlyContain(r => r.Outcome == FuzzOutcome.CleanError);
            results[0].Detail.Should().Contain("'/dev/zero', line 1, byte 1: a NUL byte");
            results[1].Detail.Should().Contain("is a directory");
            results[2].Detail.Should().Contain("line 1: the line is longer than 1,048,576 bytes");
            results[3].Detail.Should().Contain("line 3: the line is longer than 1,048,576 bytes");
            // Bounded by the cap, not by the 10 MB the files hold (16x their size is the harness's own limit).
            results[2].AllocatedBytes.Should().BeLessThan(16L << 20);
            results[3].AllocatedBytes.Should().BeLessThan(16L << 20);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_50000_token_row_is_refused_by_line_or_truncated_for_sequence_reading()
    {
        string row = string.Join(' ', Enumerable.Range(0, 50_000).Select(i => $"w{i % 977}"));
        byte[] bytes = Encoding.UTF8.GetBytes($"text\tlabel\nshort row\tpos\n{row}\tneg\nanother one\tpos\n");

        var refused = FuzzHarness.Run("sequence.tsv", "a 50,000-token row", bytes, path => ReadAsSequenceDoes(path, SequenceText.DefaultMaxTokens, truncate: false), IsClean);
        var truncated = FuzzHarness.Run("sequence.tsv", "a 50,000-token row, --truncate", bytes, path => ReadAsSequenceDoes(path, SequenceText.DefaultMaxTokens, truncate: true), IsClean);

        FuzzHarness.Assert([refused, truncated]);
        refused.Outcome.Should().Be(FuzzOutcome.CleanError);
        refused.Detail.Should().Contain("line 3, column 'text': 50,000 words, more than --max-tokens 1,000").And.Contain("--truncate");
        truncated.Outcome.Should().Be(FuzzOutcome.Accepted, truncated.Detail);
    }

    [Fact]
    public void Rows_padded_to_the_longest_are_bounded_for_sequence_reading()
    {
        // 70,000 one-word rows and one of 1,000 words: padded, 70 million tokens from a file of half a megabyte.
        var text = new StringBuilder("text\tlabel\n");
        for (int i = 0; i < 70_000; i++)
            text.Append("w\tpos\n");
        text.Append(string.Join(' ', Enumerable.Repeat("w", 1000))).Append("\tneg\n");

        var result = FuzzHarness.Run("sequence.tsv", "70,000 short rows and one long", Encoding.UTF8.GetBytes(text.ToString()),
            path => ReadAsSequenceDoes(path, SequenceText.DefaultMaxTokens, truncate: false), IsClean);

        FuzzHarness.Assert([result]);
        result.Outcome.Should().Be(FuzzOutcome.CleanError);
        result.Detail.Should().Contain("70,001 rows padded to the longest (1,000 words, line 70002)").And.Contain("--max-tokens");
    }
}
