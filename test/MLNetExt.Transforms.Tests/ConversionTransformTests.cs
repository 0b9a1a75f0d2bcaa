using MLNetExt.Transforms.Conversion;

namespace MLNetExt.Transforms.Tests;

public class ConversionTransformTests
{
    public sealed class TextRow
    {
        public string Word = "";
    }

    public sealed class NumberRow
    {
        public float Word;
    }

    public sealed class OtherRow
    {
        public string Other = "";
    }

    public sealed class WordsRow
    {
        public string[] Words = [];
    }

    public sealed class KeyRow
    {
        [KeyType(3)]
        public uint Key;
    }

    private static IDataView Words(MLContext ml, params string[] words) =>
        ml.Data.LoadFromEnumerable(words.Select(w => new TextRow { Word = w }).ToArray());

    private static IDataView Numbers(MLContext ml, params float[] values) =>
        ml.Data.LoadFromEnumerable(values.Select(v => new NumberRow { Word = v }).ToArray());

    private static IDataView Missing(MLContext ml) => ml.Data.LoadFromEnumerable(new[] { new OtherRow { Other = "x" } });

    private static IReadOnlyList<string> KeyValues(IDataView data, string column)
    {
        VBuffer<ReadOnlyMemory<char>> values = default;
        data.Schema[column].Annotations.GetValue(AnnotationUtils.Kinds.KeyValues, ref values);
        return [.. values.DenseValues().Select(v => v.ToString())];
    }

    [Fact]
    public void Keys_follow_first_occurrence_and_unseen_values_map_to_the_missing_key()
    {
        var ml = new MLContext(1);
        var result = EstimatorWorkout.Run(ml, ml.Transforms.Conversion.MapValueToKey("Key", "Word"),
            Words(ml, "b", "a", "b", "c"), Missing(ml), "Word");

        result.Output.Schema["Key"].Type.Should().Be(new KeyDataViewType(typeof(uint), 3));
        DataViewCells.Column(result.Output, "Key").Should().Equal("1", "2", "1", "3");
        KeyValues(result.Output, "Key").Should().Equal("b", "a", "c");
        DataViewCells.Column(result.Transformer.Transform(Words(ml, "c", "zebra")), "Key").Should().Equal("3", "0");
    }

    [Fact]
    public void Keys_by_value_are_sorted_and_maximum_keeps_the_first_values_seen()
    {
        var ml = new MLContext(1);
        var data = Words(ml, "pear", "apple", "fig", "apple");
        var byValue = ml.Transforms.Conversion.MapValueToKey("Key", "Word", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue).Fit(data);
        DataViewCells.Column(byValue.Transform(data), "Key").Should().Equal("3", "1", "2", "1");

        var capped = EstimatorWorkout.Run(ml, ml.Transforms.Conversion.MapValueToKey("Key", "Word", maximumNumberOfKeys: 2), data);
        KeyValues(capped.Output, "Key").Should().Equal("pear", "apple");
        DataViewCells.Column(capped.Output, "Key").Should().Equal("1", "2", "0", "2");
    }

    [Fact]
    public void Minimum_count_drops_rare_values_and_the_reserved_key_marks_unknown_ones()
    {
        var ml = new MLContext(1);
        var estimator = ml.Transforms.Conversion.MapValueToKey(new ValueToKeyMappingEstimator.Options
        {
            OutputColumnName = "Key",
            InputColumnName = "Word",
            MinimumCount = 2,
            ReserveUnknownKey = true,
        });
        var result = EstimatorWorkout.Run(ml, estimator, Words(ml, "x", "y", "x", "z", "y", "x"), Missing(ml), "Word");

        result.Transformer.KeyCount.Should().Be(3);
        KeyValues(result.Output, "Key").Should().Equal("", "x", "y");
        DataViewCells.Column(result.Output, "Key").Should().Equal("2", "3", "2", "1", "3", "2");
    }

    [Fact]
    public void Numbers_map_to_keys_with_NaN_as_missing_and_text_annotations_on_request()
    {
        var ml = new MLContext(1);
        var data = Numbers(ml, 2.5f, float.NaN, -1f, 2.5f);
        var result = EstimatorWorkout.Run(ml, ml.Transforms.Conversion.MapValueToKey("Key", "Word", addKeyValueAnnotationsAsText: true), data);

        DataViewCells.Column(result.Output, "Key").Should().Equal("1", "0", "2", "1");
        KeyValues(result.Output, "Key").Should().Equal("2.5", "-1");
    }

    [Fact]
    public void Vectors_of_values_map_to_vectors_of_keys()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(new[]
        {
            new WordsRow { Words = ["to", "be", "or"] },
            new WordsRow { Words = ["not", "to", "be"] },
        });
        var result = EstimatorWorkout.Run(ml, ml.Transforms.Conversion.MapValueToKey("Keys", "Words"), data);

        result.Output.Schema["Keys"].Type.Should().Be(new VectorDataViewType(new KeyDataViewType(typeof(uint), 4)));
        DataViewCells.Column(result.Output, "Keys").Should().Equal("[1, 2, 3]", "[4, 1, 2]");
    }

    [Fact]
    public void Key_to_value_round_trips_and_maps_unknown_keys_to_missing_values()
    {
        var ml = new MLContext(1);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Key", "Word")
            .Append(ml.Transforms.Conversion.MapKeyToValue("Back", "Key"));
        var result = EstimatorWorkout.Run(ml, pipeline, Words(ml, "red", "green", "red"));
        DataViewCells.Column(result.Output, "Back").Should().Equal("red", "green", "red");
        DataViewCells.Column(result.Transformer.Transform(Words(ml, "blue")), "Back").Should().Equal("");

        var numbers = ml.Transforms.Conversion.MapValueToKey("Key", "Word")
            .Append(ml.Transforms.Conversion.MapKeyToValue("Back", "Key"))
            .Fit(Numbers(ml, 4, 5));
        DataViewCells.Column(numbers.Transform(Numbers(ml, 5, 6)), "Back").Should().Equal("5", "NaN");
    }

    [Fact]
    public void Key_to_value_needs_key_values_annotations()
    {
        var ml = new MLContext(1);
        var keys = ml.Data.LoadFromEnumerable(new[] { new KeyRow { Key = 1 } });
        var estimator = ml.Transforms.Conversion.MapKeyToValue("Value", "Key");

        FluentActions.Invoking(() => estimator.Fit(keys)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'Key'*key values*");
        FluentActions.Invoking(() => ml.Transforms.Conversion.MapKeyToValue("Value", "Word").GetOutputSchema(SchemaShape.Create(Words(ml, "a").Schema)))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'Word'*");
    }

    [Fact]
    public void Options_are_validated_when_the_estimator_is_made()
    {
        var ml = new MLContext(1);
        FluentActions.Invoking(() => ml.Transforms.Conversion.MapValueToKey("Key", "Word", maximumNumberOfKeys: 0))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("MaximumNumberOfKeys");
        FluentActions.Invoking(() => ml.Transforms.Conversion.MapValueToKey(new ValueToKeyMappingEstimator.Options { OutputColumnName = "K", MinimumCount = 0 }))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("MinimumCount");
    }

    [Fact]
    public void Fitting_without_any_qualifying_value_names_the_column()
    {
        var ml = new MLContext(1);
        var estimator = ml.Transforms.Conversion.MapValueToKey(new ValueToKeyMappingEstimator.Options
        {
            OutputColumnName = "Key",
            InputColumnName = "Word",
            MinimumCount = 5,
        });
        FluentActions.Invoking(() => estimator.Fit(Words(ml, "a", "b"))).Should().Throw<InvalidOperationException>().WithMessage("*'Word'*");
    }
}
