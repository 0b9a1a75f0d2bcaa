using FluentAssertions;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetExt.Transforms;
using MLNetExt.Transforms.Saving;
using Xunit;

namespace MLNetExt.Transforms.Tests;

/// <summary>
/// Pins the few ML.NET internals MLNetExt uses (<see cref="MLNetInternals"/>, <see cref="MLNetScorers"/>) to
/// Microsoft.ML 5.0.1: if ML.NET changes them, these fail first, with the member named.
/// </summary>
public class MLNetInternalsTests
{
    [Fact]
    public void Schema_column_carries_what_it_was_built_with()
    {
        var column = MLNetInternals.SchemaColumn("Score", SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, isKey: false);

        column.Name.Should().Be("Score");
        column.Kind.Should().Be(SchemaShape.Column.VectorKind.Vector);
        column.ItemType.Should().Be(NumberDataViewType.Single);
        column.IsKey.Should().BeFalse();
    }

    [Fact]
    public void Every_catalog_leads_to_its_context_and_seeds_repeat_for_a_seeded_context()
    {
        int SeedOf(Func<MLContext, object> catalog)
        {
            var ml = new MLContext(42);
            return MLNetInternals.NextSeed(MLNetInternals.Environment(catalog(ml)));
        }

        var catalogs = new Func<MLContext, object>[]
        {
            ml => ml.BinaryClassification.Trainers, ml => ml.MulticlassClassification.Trainers, ml => ml.Regression.Trainers,
            ml => ml.Transforms, ml => ml.Transforms.Text,
        };
        foreach (var catalog in catalogs)
            SeedOf(catalog).Should().Be(SeedOf(catalogs[0]), "the same seeded context gives the same first seed whatever catalog it is reached through");
        var context = new MLContext(42);
        var environment = MLNetInternals.Environment(context.Regression.Trainers);
        MLNetInternals.NextSeed(environment).Should().NotBe(MLNetInternals.NextSeed(environment), "each trainer draws its own seed");
    }

    [Fact]
    public void Regression_scorer_copies_the_one_slot_into_a_scalar_score()
    {
        var (ml, data) = OneSlotRows(-1.5f, 0f, 2.25f);
        var scored = MLNetScorers.Regression(ml, data.Schema, "Raw").Transform(data);

        scored.Schema["Score"].Type.Should().Be(NumberDataViewType.Single);
        scored.GetColumn<float>("Score").Should().Equal(-1.5f, 0f, 2.25f);
    }

    [Fact]
    public void Binary_scorer_and_fixed_platt_give_score_probability_and_label()
    {
        var (ml, data) = OneSlotRows(-2f, 0.5f, 3f);
        var scorer = MLNetScorers.BinaryUncalibrated(ml, data.Schema, "Raw");
        var scored = ml.BinaryClassification.Calibrators.Platt(slope: -1, offset: 0).Fit(scorer.Transform(data)).Transform(scorer.Transform(data));

        scored.GetColumn<float>("Score").Should().Equal(-2f, 0.5f, 3f);
        scored.GetColumn<bool>("PredictedLabel").Should().Equal(false, true, true);
        scored.GetColumn<float>("Probability").Should().BeEquivalentTo(
            new[] { -2f, 0.5f, 3f }.Select(x => 1f / (1f + MathF.Exp(-x))), o => o.Using<float>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-6f)).WhenTypeIs<float>());
        ml.BinaryClassification.Evaluate(WithLabels(ml, scored, false, false, true)).Accuracy.Should().BeApproximately(2.0 / 3, 1e-9, "ML.NET's evaluator reads these columns as its own scorer's");
    }

    [Fact]
    public void Multiclass_scorer_gives_the_softmax_and_the_key_of_the_highest_logit_with_the_label_names()
    {
        var ml = new MLContext(1);
        var rows = new[] { new Logits { Raw = [1f, 3f, 0f] }, new Logits { Raw = [2f, -1f, 0.5f] } };
        var data = ml.Data.LoadFromEnumerable(rows);
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(data.Schema);
        var names = new DataViewSchema.Annotations.Builder();
        ValueGetter<VBuffer<ReadOnlyMemory<char>>> keyValues = (ref VBuffer<ReadOnlyMemory<char>> value) =>
            value = new VBuffer<ReadOnlyMemory<char>>(3, ["cat".AsMemory(), "dog".AsMemory(), "eel".AsMemory()]);
        names.Add("KeyValues", new VectorDataViewType(TextDataViewType.Instance, 3), keyValues);
        builder.AddColumn("Label", new KeyDataViewType(typeof(uint), 3), names.ToAnnotations());

        var scored = MLNetScorers.Multiclass(ml, builder.ToSchema(), "Raw", "Label", 3).Transform(data);

        var scores = scored.GetColumn<VBuffer<float>>("Score").Select(v => v.DenseValues().ToArray()).ToArray();
        for (int row = 0; row < rows.Length; row++)
        {
            var expected = rows[row].Raw.Select(x => MathF.Exp(x)).ToArray();
            float sum = expected.Sum();
            scores[row].Should().BeEquivalentTo(expected.Select(e => e / sum), o => o.Using<float>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-6f)).WhenTypeIs<float>());
        }
        scored.GetColumn<uint>("PredictedLabel").Should().Equal(2u, 1u);
        var back = ml.Transforms.Conversion.MapKeyToValue("Name", "PredictedLabel").Fit(scored).Transform(scored);
        back.GetColumn<string>("Name").Should().Equal("dog", "cat");
    }

    private static (MLContext, IDataView) OneSlotRows(params float[] values)
    {
        var ml = new MLContext(1);
        return (ml, ml.Data.LoadFromEnumerable(values.Select(v => new OneSlot { Raw = [v] })));
    }

    private static IDataView WithLabels(MLContext ml, IDataView scored, params bool[] labels)
    {
        var labelled = ml.Data.LoadFromEnumerable(labels.Zip(scored.GetColumn<float>("Score"), (l, s) => new Labelled { Label = l, Raw = [s] }));
        var scorer = MLNetScorers.BinaryUncalibrated(ml, labelled.Schema, "Raw");
        var withScores = scorer.Transform(labelled);
        return ml.BinaryClassification.Calibrators.Platt(slope: -1, offset: 0).Fit(withScores).Transform(withScores);
    }

    private sealed class OneSlot
    {
        [VectorType(1)]
        public float[] Raw { get; set; } = [];
    }

    private sealed class Logits
    {
        [VectorType(3)]
        public float[] Raw { get; set; } = [];
    }

    private sealed class Labelled
    {
        public bool Label { get; set; }

        [VectorType(1)]
        public float[] Raw { get; set; } = [];
    }
}
