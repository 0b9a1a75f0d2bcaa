using FluentAssertions;

namespace MLNetExt.Data.Tests.Loading;

public class EnumerableTests
{
    public sealed class AllTypes
    {
        public float Single;
        public double Double;
        public int Int32;
        public uint UInt32;
        public bool Boolean;
        public string Text = "";

        [KeyType(10)]
        public uint Key;

        [VectorType(2, 2)]
        public float[] Matrix = [];

        public int[] Ints = [];

        [KeyType(4)]
        public uint[] Keys = [];

        public string[] Words = [];

        [ColumnName("Renamed")]
        public float Original { get; set; }

        [NoColumn]
        public float Ignored;

        public double Computed => Double * 2;
    }

    public sealed class AllTypesOut
    {
        public float Single;
        public double Double;
        public int Int32;
        public uint UInt32;
        public bool Boolean;
        public string Text = "";

        [KeyType(10)]
        public uint Key;

        [VectorType(2, 2)]
        public float[] Matrix = [];

        public int[] Ints = [];

        [KeyType(4)]
        public uint[] Keys = [];

        public string[] Words = [];

        [ColumnName("Renamed")]
        public float Original { get; set; }
    }

    private static AllTypes[] Sample() =>
    [
        new() { Single = 1.5f, Double = -2.25, Int32 = -7, UInt32 = 7, Boolean = true, Text = "héllo, world", Key = 3,
                Matrix = [1, 2, 3, 4], Ints = [1, -2], Keys = [1, 4, 2], Words = ["a", "b c"], Original = 9, Ignored = 5 },
        new() { Single = float.NaN, Double = 1e300, Int32 = int.MinValue, UInt32 = uint.MaxValue, Boolean = false, Text = "",
                Key = 0, Matrix = [0, -1, 0.5f, 8], Ints = [], Keys = [], Words = ["only"], Original = -1 },
    ];

    [Fact]
    public void Schema_follows_members_and_attributes()
    {
        var ml = new MLContext(1);
        var schema = ml.Data.LoadFromEnumerable(Sample()).Schema;

        schema.Select(c => c.Name).Should().Equal(
            "Single", "Double", "Int32", "UInt32", "Boolean", "Text", "Key", "Matrix", "Ints", "Keys", "Words", "Renamed", "Computed");
        schema["Single"].Type.Should().Be(NumberDataViewType.Single);
        schema["Key"].Type.Should().Be(new KeyDataViewType(typeof(uint), 10));
        schema["Matrix"].Type.Should().Be(new VectorDataViewType(NumberDataViewType.Single, 2, 2));
        schema["Ints"].Type.Should().Be(new VectorDataViewType(NumberDataViewType.Int32));
        schema["Keys"].Type.Should().Be(new VectorDataViewType(new KeyDataViewType(typeof(uint), 4)));
        schema["Words"].Type.Should().Be(new VectorDataViewType(TextDataViewType.Instance));
        schema["Text"].Type.Should().Be(TextDataViewType.Instance);
        schema.GetColumnOrNull("Ignored").Should().BeNull();
    }

    [Fact]
    public void Round_trip_preserves_every_supported_type()
    {
        var ml = new MLContext(1);
        var input = Sample();
        var output = ml.Data.CreateEnumerable<AllTypesOut>(ml.Data.LoadFromEnumerable(input), reuseRowObject: false).ToList();

        output.Should().HaveCount(2);
        for (int i = 0; i < input.Length; i++)
        {
            output[i].Should().BeEquivalentTo(input[i], o => o.Excluding(x => x.Ignored).Excluding(x => x.Computed));
        }
        float.IsNaN(output[1].Single).Should().BeTrue();
    }

    [Fact]
    public void Reusing_the_row_object_fills_one_instance()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(Sample());
        var rows = new List<AllTypesOut>();
        var texts = new List<string>();
        foreach (var row in ml.Data.CreateEnumerable<AllTypesOut>(data, reuseRowObject: true))
        {
            rows.Add(row);
            texts.Add(row.Text);
        }
        rows[0].Should().BeSameAs(rows[1]);
        texts.Should().Equal("héllo, world", "");
    }

    public sealed class Narrow
    {
        public float Single;
        public string Missing = "default";
    }

    public sealed class WrongType
    {
        public int Single;
    }

    [Fact]
    public void Missing_and_mismatched_columns_fail_clearly_unless_ignored()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(Sample());
        FluentActions.Invoking(() => ml.Data.CreateEnumerable<Narrow>(data, false))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'Missing'*Narrow*");
        var rows = ml.Data.CreateEnumerable<Narrow>(data, false, ignoreMissingColumns: true).ToList();
        rows.Select(r => r.Missing).Should().Equal("default", "default");
        rows[0].Single.Should().Be(1.5f);
        FluentActions.Invoking(() => ml.Data.CreateEnumerable<WrongType>(data, false))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'Single'*expects Int32, got Single*");
    }

    [Fact]
    public void Getter_with_the_wrong_type_names_the_column_and_both_types()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(Sample());
        using var cursor = data.GetRowCursor(data.Schema);
        FluentActions.Invoking(() => cursor.GetGetter<double>(data.Schema["Single"]))
            .Should().Throw<InvalidOperationException>().WithMessage("*'Single'*System.Single*System.Double*");
        FluentActions.Invoking(() => cursor.GetGetter<float[]>(data.Schema["Matrix"]))
            .Should().Throw<InvalidOperationException>().WithMessage("*'Matrix'*VBuffer*");
    }

    [Fact]
    public void Cursor_reports_position_ids_and_active_columns()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(Sample());
        using var cursor = data.GetRowCursor([data.Schema["Text"]]);
        cursor.Position.Should().Be(-1);
        cursor.IsColumnActive(data.Schema["Text"]).Should().BeTrue();
        cursor.IsColumnActive(data.Schema["Single"]).Should().BeFalse();
        FluentActions.Invoking(() => cursor.GetGetter<float>(data.Schema["Single"]))
            .Should().Throw<InvalidOperationException>().WithMessage("*'Single'*not requested*");
        var text = cursor.GetGetter<ReadOnlyMemory<char>>(data.Schema["Text"]);
        var id = cursor.GetIdGetter();
        ReadOnlyMemory<char> value = default;
        FluentActions.Invoking(() => text(ref value)).Should().Throw<InvalidOperationException>().WithMessage("*MoveNext*");
        cursor.MoveNext().Should().BeTrue();
        cursor.Position.Should().Be(0);
        text(ref value);
        value.ToString().Should().Be("héllo, world");
        DataViewRowId first = default, second = default;
        id(ref first);
        cursor.MoveNext().Should().BeTrue();
        id(ref second);
        first.Should().NotBe(second);
        cursor.MoveNext().Should().BeFalse();
        cursor.MoveNext().Should().BeFalse();
    }

    [Fact]
    public void Fixed_size_vector_rejects_arrays_of_another_length()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(new[] { new AllTypes { Matrix = [1, 2, 3] } });
        using var cursor = data.GetRowCursor(data.Schema);
        cursor.MoveNext();
        var getter = cursor.GetGetter<VBuffer<float>>(data.Schema["Matrix"]);
        VBuffer<float> value = default;
        FluentActions.Invoking(() => getter(ref value)).Should().Throw<InvalidOperationException>().WithMessage("*'Matrix'*fixed size 4*array of 3*");
    }

    public sealed class Point
    {
        public int Index;
        public float[] Pixels = [];
    }

    private static IEnumerable<Point> Endless(Action onRead)
    {
        for (int i = 0; ; i++)
        {
            onRead();
            yield return new Point { Index = i, Pixels = [i, i] };
        }
    }

    [Fact]
    public void Cursor_over_an_endless_enumerable_pulls_only_the_rows_it_visits()
    {
        var ml = new MLContext(1);
        int reads = 0;
        var data = ml.Data.LoadFromEnumerable(Endless(() => reads++));
        data.GetRowCount().Should().BeNull();
        reads.Should().Be(0);
        using (var cursor = data.GetRowCursor(data.Schema))
        {
            for (int i = 0; i < 3; i++)
                cursor.MoveNext().Should().BeTrue();
            reads.Should().Be(3);
        }
        var firstFive = ml.Data.CreateEnumerable<Point>(ml.Data.TakeRows(data, 5), reuseRowObject: false).ToList();
        firstFive.Select(p => p.Index).Should().Equal(0, 1, 2, 3, 4);
        reads.Should().Be(8, "taking 5 rows must not read a 6th");
    }

    [Fact]
    public void Schema_definition_can_fix_a_vector_size_and_add_an_image_shape()
    {
        var ml = new MLContext(1);
        var definition = SchemaDefinition.Create(typeof(Point), SchemaDefinition.Direction.Read);
        definition["Pixels"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 1, 1, 2);
        definition["Pixels"].AddAnnotation(AnnotationUtils.Kinds.IsNormalized, true, BooleanDataViewType.Instance);
        var data = ml.Data.LoadFromEnumerable(new[] { new Point { Pixels = [1, 2] } }, definition);
        data.Schema["Pixels"].Type.Should().Be(new VectorDataViewType(NumberDataViewType.Single, 1, 1, 2));
        bool normalized = false;
        data.Schema["Pixels"].Annotations.GetValue(AnnotationUtils.Kinds.IsNormalized, ref normalized);
        normalized.Should().BeTrue();
        ml.Data.CreateEnumerable<Point>(data, false).Single().Pixels.Should().Equal(1f, 2f);
    }

    public sealed class Unsupported
    {
        public decimal Money;
    }

    [Fact]
    public void Unsupported_member_type_is_rejected_with_its_name()
    {
        var ml = new MLContext(1);
        FluentActions.Invoking(() => ml.Data.LoadFromEnumerable(new[] { new Unsupported() }))
            .Should().Throw<ArgumentException>().WithMessage("*'Money'*Decimal*");
    }
}
