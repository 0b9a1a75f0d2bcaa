using FluentAssertions;

namespace MLNetExt.Data.Tests.Pipeline;

public class ChainTests
{
    public sealed class Input
    {
        [VectorType(3)]
        public float[] Features = [];

        public string Text = "";
    }

    public sealed class Output
    {
        public float[] Scaled = [];
        public float Total;
    }

    private static IDataView Data(MLContext ml) => ml.Data.LoadFromEnumerable(new[]
    {
        new Input { Features = [1, -4, 2], Text = "a" },
        new Input { Features = [0, 2, 3], Text = "b" },
    });

    [Fact]
    public void Chain_fits_each_step_on_the_previous_output_and_transforms_lazily()
    {
        var ml = new MLContext(1);
        var scaling = new MaxAbsScalingEstimator("Features", "Scaled");
        var pipeline = scaling.Append(new SumEstimator("Scaled", "Total"));

        var shape = pipeline.GetOutputSchema(SchemaShape.Create(Data(ml).Schema));
        shape.TryFindColumn("Total", out var total).Should().BeTrue();
        total.GetTypeString().Should().Be("Single");

        var model = pipeline.Fit(Data(ml));
        scaling.FitCount.Should().Be(1);
        model.LastTransformer.Should().BeOfType<SumTransformer>();
        model.First().Should().BeOfType<MaxAbsScalingTransformer>().Which.MaxAbs.Should().Be(4f);
        model.IsRowToRowMapper.Should().BeTrue();

        var transformed = model.Transform(Data(ml));
        transformed.Schema.Select(c => c.Name).Should().Equal("Features", "Text", "Scaled", "Total");
        model.GetOutputSchema(Data(ml).Schema)["Scaled"].Type.Should().Be(new VectorDataViewType(NumberDataViewType.Single, 3));
        var rows = ml.Data.CreateEnumerable<Output>(transformed, reuseRowObject: false).ToList();
        rows[0].Scaled.Should().Equal(0.25f, -1f, 0.5f);
        rows[0].Total.Should().BeApproximately(-0.25f, 1e-6f);
        rows[1].Total.Should().BeApproximately(1.25f, 1e-6f);
    }

    [Fact]
    public void Missing_column_fails_before_anything_is_fitted()
    {
        var ml = new MLContext(1);
        var scaling = new MaxAbsScalingEstimator("Features", "Scaled");
        var pipeline = scaling.Append(new SumEstimator("Scaledd", "Total"));

        FluentActions.Invoking(() => pipeline.Fit(Data(ml)))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("Could not find input column 'Scaledd'*");
        scaling.FitCount.Should().Be(0, "the chain checks every step's columns before fitting the first");
    }

    [Fact]
    public void Mismatched_type_names_the_column_the_expected_and_the_actual_type()
    {
        var ml = new MLContext(1);
        var pipeline = new EstimatorChain<ITransformer>()
            .Append(new SumEstimator("Features", "Total"))
            .Append(new SumEstimator("Text", "Other"));
        FluentActions.Invoking(() => pipeline.GetOutputSchema(SchemaShape.Create(Data(ml).Schema)))
            .Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Schema mismatch for input column 'Text': expected Vector<Single>, got String*");
        FluentActions.Invoking(() => new SumEstimator("Total", "Again").GetOutputSchema(
                new SumEstimator("Features", "Total").GetOutputSchema(SchemaShape.Create(Data(ml).Schema))))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'Total': expected Vector<Single>, got Single*");
    }

    [Fact]
    public void Transformer_chains_append_and_filter_by_scope()
    {
        var ml = new MLContext(1);
        var scale = new MaxAbsScalingTransformer("Features", "Scaled", 2);
        var chain = scale.Append(new SumTransformer("Scaled", "Total"));
        chain.Should().HaveCount(2);
        var scoringOnly = new TransformerChain<ITransformer>().Append(scale, TransformerScope.TrainTest)
            .Append(new SumTransformer("Features", "Total"), TransformerScope.Scoring);
        scoringOnly.GetModelFor(TransformerScope.Scoring).Should().ContainSingle().Which.Should().BeOfType<SumTransformer>();
        chain.GetOutputSchema(Data(ml).Schema)["Total"].Type.Should().Be(NumberDataViewType.Single);
        FluentActions.Invoking(() => new TransformerChain<ITransformer>().LastTransformer).Should().Throw<InvalidOperationException>();
        FluentActions.Invoking(() => new SumTransformer("Nope", "X").Append(scale).Transform(Data(ml)))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("Could not find input column 'Nope'*");
    }

    [Fact]
    public void Context_exposes_catalogs_and_a_reproducible_seed_stream()
    {
        var a = new MLContext(3);
        var b = new MLContext(3);
        a.Transforms.Text.Should().NotBeNull();
        a.Transforms.Conversion.Should().NotBeNull();
        a.BinaryClassification.Trainers.Should().NotBeNull();
        a.MulticlassClassification.Trainers.Should().NotBeNull();
        a.Regression.Trainers.Should().NotBeNull();
        a.AnomalyDetection.Trainers.Should().NotBeNull();
        a.Model.Should().NotBeNull();
        a.Transforms.Text.Context.Should().BeSameAs(a);
        a.NextSeed().Should().Be(b.NextSeed());
        a.NextSeed().Should().NotBe(new MLContext(4).NextSeed());
    }
}
