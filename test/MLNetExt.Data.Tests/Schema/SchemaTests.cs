using FluentAssertions;

namespace MLNetExt.Data.Tests.Schema;

public class SchemaTests
{
    [Fact]
    public void Vector_type_is_fixed_size_when_every_dimension_is_positive()
    {
        var image = new VectorDataViewType(NumberDataViewType.Single, 3, 4, 5);
        image.Size.Should().Be(60);
        image.IsKnownSize.Should().BeTrue();
        image.Dimensions.Should().Equal(3, 4, 5);
        image.RawType.Should().Be(typeof(VBuffer<float>));
        image.ToString().Should().Be("Vector<Single, 3, 4, 5>");

        var variable = new VectorDataViewType(TextDataViewType.Instance);
        variable.Size.Should().Be(0);
        variable.IsKnownSize.Should().BeFalse();
        variable.RawType.Should().Be(typeof(VBuffer<ReadOnlyMemory<char>>));
        new VectorDataViewType(NumberDataViewType.Single, 3, 0).IsKnownSize.Should().BeFalse();

        image.Should().Be(new VectorDataViewType(NumberDataViewType.Single, 3, 4, 5));
        image.Should().NotBe(new VectorDataViewType(NumberDataViewType.Single, 60));
        FluentActions.Invoking(() => new VectorDataViewType(NumberDataViewType.Single, 3, -1))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("dimensions");
    }

    [Fact]
    public void Primitive_types_carry_their_raw_types()
    {
        NumberDataViewType.Single.RawType.Should().Be(typeof(float));
        NumberDataViewType.Double.RawType.Should().Be(typeof(double));
        NumberDataViewType.Int32.RawType.Should().Be(typeof(int));
        NumberDataViewType.UInt32.RawType.Should().Be(typeof(uint));
        BooleanDataViewType.Instance.RawType.Should().Be(typeof(bool));
        TextDataViewType.Instance.RawType.Should().Be(typeof(ReadOnlyMemory<char>));
        var key = new KeyDataViewType(typeof(uint), 10);
        key.RawType.Should().Be(typeof(uint));
        key.Count.Should().Be(10UL);
        key.Should().Be(new KeyDataViewType(typeof(uint), 10UL)).And.NotBe(new KeyDataViewType(typeof(uint), 11));
        FluentActions.Invoking(() => new KeyDataViewType(typeof(uint), 0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("count");
        FluentActions.Invoking(() => new KeyDataViewType(typeof(float), 3)).Should().Throw<ArgumentException>().WithParameterName("type");
    }

    [Fact]
    public void Later_column_with_same_name_hides_the_earlier_one()
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumn("Features", NumberDataViewType.Single);
        builder.AddColumn("Label", BooleanDataViewType.Instance);
        builder.AddColumn("Features", new VectorDataViewType(NumberDataViewType.Single, 4));
        var schema = builder.ToSchema();

        schema.Count.Should().Be(3);
        schema[0].IsHidden.Should().BeTrue();
        schema[2].IsHidden.Should().BeFalse();
        schema["Features"].Index.Should().Be(2);
        schema["Features"].Type.Should().Be(new VectorDataViewType(NumberDataViewType.Single, 4));
        schema.GetColumnOrNull("Label")!.Value.Index.Should().Be(1);
        schema.GetColumnOrNull("label").Should().BeNull("names are case-sensitive");
    }

    [Fact]
    public void Indexer_by_unknown_name_throws_naming_the_column_and_the_available_ones()
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumn("Age", NumberDataViewType.Single);
        var schema = builder.ToSchema();
        FluentActions.Invoking(() => schema["Agee"]).Should().Throw<ArgumentOutOfRangeException>()
            .WithParameterName("name").WithMessage("*'Agee' not found*'Age' (Single)*");
        FluentActions.Invoking(() => schema[1]).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Image_shape_annotation_round_trips_and_other_annotations_are_readable()
    {
        var annotations = new DataViewSchema.Annotations.Builder();
        annotations.AddImageShape(3, 8, 6);
        annotations.Add(AnnotationUtils.Kinds.IsNormalized, BooleanDataViewType.Instance, true);
        var builder = new DataViewSchema.Builder();
        builder.AddColumn("Image", new VectorDataViewType(NumberDataViewType.Single, 3, 8, 6), annotations.ToAnnotations());
        builder.AddColumn("Plain", NumberDataViewType.Single);
        var schema = builder.ToSchema();

        schema["Image"].TryGetImageShape(out int c, out int h, out int w).Should().BeTrue();
        (c, h, w).Should().Be((3, 8, 6));
        bool normalized = false;
        schema["Image"].Annotations.GetValue(AnnotationUtils.Kinds.IsNormalized, ref normalized);
        normalized.Should().BeTrue();
        schema["Plain"].TryGetImageShape(out _, out _, out _).Should().BeFalse();
        FluentActions.Invoking(() =>
        {
            float wrong = 0;
            schema["Image"].Annotations.GetValue(AnnotationUtils.Kinds.IsNormalized, ref wrong);
        }).Should().Throw<InvalidOperationException>().WithMessage("*IsNormalized*System.Boolean*System.Single*");
    }

    [Fact]
    public void VBuffer_is_dense_and_exposes_its_values()
    {
        var buffer = new VBuffer<float>(3, [1f, 2f, 3f, 99f]);
        buffer.Length.Should().Be(3);
        buffer.IsDense.Should().BeTrue();
        buffer.GetValues().ToArray().Should().Equal(1f, 2f, 3f);
        buffer.DenseValues().Should().Equal(1f, 2f, 3f);
        buffer.GetItemOrDefault(2).Should().Be(3f);
        FluentActions.Invoking(() => new VBuffer<float>(5, new float[2])).Should().Throw<ArgumentException>().WithParameterName("values");
        default(VBuffer<float>).Length.Should().Be(0);
        default(VBuffer<float>).GetValues().IsEmpty.Should().BeTrue();
    }

    [Fact]
    public void Schema_shape_describes_kinds_and_keys_as_MLNet_does()
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumn("Image", new VectorDataViewType(NumberDataViewType.Single, 3, 2, 2));
        builder.AddColumn("Tokens", new VectorDataViewType(TextDataViewType.Instance));
        builder.AddColumn("Label", new KeyDataViewType(typeof(uint), 5));
        var shape = SchemaShape.Create(builder.ToSchema());

        shape.TryFindColumn("Image", out var image).Should().BeTrue();
        image.Kind.Should().Be(SchemaShape.Column.VectorKind.Vector);
        image.GetTypeString().Should().Be("Vector<Single>");
        shape.TryFindColumn("Tokens", out var tokens).Should().BeTrue();
        tokens.GetTypeString().Should().Be("VarVector<String>");
        shape.TryFindColumn("Label", out var label).Should().BeTrue();
        label.IsKey.Should().BeTrue();
        label.ItemType.Should().Be(NumberDataViewType.UInt32);
        label.GetTypeString().Should().Be("Key<UInt32>");
        shape.TryFindColumn("Missing", out _).Should().BeFalse();
    }
}
