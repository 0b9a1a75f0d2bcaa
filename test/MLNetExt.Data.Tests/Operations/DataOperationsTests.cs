using FluentAssertions;

namespace MLNetExt.Data.Tests.Operations;

public class DataOperationsTests
{
    public sealed class Row
    {
        public int Id;
        public string Group = "";
        public float Value;
        public float[] Vector = [];
    }

    private static Row[] Rows(int n) =>
        [.. Enumerable.Range(0, n).Select(i => new Row { Id = i, Group = $"g{i % 50}", Value = i * 0.5f, Vector = [i, -i] })];

    private static List<int> Ids(MLContext ml, IDataView data) =>
        [.. ml.Data.CreateEnumerable<Row>(data, reuseRowObject: true).Select(r => r.Id)];

    [Fact]
    public void Train_test_split_is_deterministic_complementary_and_near_the_fraction()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(Rows(2000));
        var split = ml.Data.TrainTestSplit(data, testFraction: 0.25, seed: 42);
        var train = Ids(ml, split.TrainSet);
        var test = Ids(ml, split.TestSet);

        train.Concat(test).Order().Should().Equal(Enumerable.Range(0, 2000));
        test.Count.Should().BeInRange(440, 560, "about a quarter of 2000 rows");
        Ids(ml, split.TestSet).Should().Equal(test, "a second cursor gives the same split");
        Ids(ml, new MLContext(7).Data.TrainTestSplit(data, 0.25, seed: 42).TestSet).Should().Equal(test);
        Ids(ml, ml.Data.TrainTestSplit(data, 0.25, seed: 43).TestSet).Should().NotEqual(test);
    }

    [Fact]
    public void Split_without_seed_follows_the_context_seed()
    {
        var data = new MLContext(0).Data.LoadFromEnumerable(Rows(300));
        List<int> TestIds(int contextSeed)
        {
            var ml = new MLContext(contextSeed);
            return Ids(ml, ml.Data.TrainTestSplit(data, 0.5).TestSet);
        }
        TestIds(5).Should().Equal(TestIds(5));
        TestIds(5).Should().NotEqual(TestIds(6));
    }

    [Fact]
    public void Sampling_key_keeps_equal_values_on_one_side()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(Rows(1000));
        var split = ml.Data.TrainTestSplit(data, 0.3, samplingKeyColumnName: "Group", seed: 3);
        var trainGroups = ml.Data.CreateEnumerable<Row>(split.TrainSet, false).Select(r => r.Group).ToHashSet();
        var testGroups = ml.Data.CreateEnumerable<Row>(split.TestSet, false).Select(r => r.Group).ToHashSet();
        trainGroups.Should().NotBeEmpty();
        testGroups.Should().NotBeEmpty();
        trainGroups.Overlaps(testGroups).Should().BeFalse();
        (trainGroups.Count + testGroups.Count).Should().Be(50);
    }

    [Fact]
    public void Split_arguments_are_checked()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(Rows(3));
        FluentActions.Invoking(() => ml.Data.TrainTestSplit(data, 0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("testFraction");
        FluentActions.Invoking(() => ml.Data.TrainTestSplit(data, 1.5)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("testFraction");
        FluentActions.Invoking(() => ml.Data.TrainTestSplit(data, 0.2, "Nope")).Should().Throw<ArgumentOutOfRangeException>()
            .WithParameterName("samplingKeyColumnName").WithMessage("*'Nope'*");
        FluentActions.Invoking(() => ml.Data.TrainTestSplit(data, 0.2, "Vector")).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("*'Vector'*Vector<Single>*");
    }

    [Fact]
    public void Shuffle_is_a_seeded_permutation_that_carries_every_column()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(Rows(200));
        var shuffled = ml.Data.ShuffleRows(data, seed: 9, shufflePoolSize: 64);
        var rows = ml.Data.CreateEnumerable<Row>(shuffled, reuseRowObject: false).ToList();

        rows.Select(r => r.Id).Order().Should().Equal(Enumerable.Range(0, 200));
        rows.Select(r => r.Id).Should().NotEqual(Enumerable.Range(0, 200));
        rows.Should().OnlyContain(r => r.Value == r.Id * 0.5f && r.Vector[0] == r.Id && r.Vector[1] == -r.Id && r.Group == $"g{r.Id % 50}");
        Ids(ml, shuffled).Should().Equal(rows.Select(r => r.Id), "every cursor gives the same order");
        Ids(ml, ml.Data.ShuffleRows(data, seed: 10, shufflePoolSize: 64)).Should().NotEqual(rows.Select(r => r.Id));
    }

    [Fact]
    public void Shuffle_keeps_row_ids_so_a_split_after_it_picks_the_same_rows()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(Rows(300));
        var plain = Ids(ml, ml.Data.TrainTestSplit(data, 0.3, seed: 4).TestSet).Order();
        var afterShuffle = Ids(ml, ml.Data.TrainTestSplit(ml.Data.ShuffleRows(data, 2), 0.3, seed: 4).TestSet).Order();
        afterShuffle.Should().Equal(plain);
    }

    [Fact]
    public void Take_skip_and_filter_select_the_expected_rows()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(Rows(10));
        Ids(ml, ml.Data.TakeRows(data, 3)).Should().Equal(0, 1, 2);
        ml.Data.TakeRows(data, 3).GetRowCount().Should().Be(3);
        Ids(ml, ml.Data.SkipRows(data, 7)).Should().Equal(7, 8, 9);
        ml.Data.SkipRows(data, 20).GetRowCount().Should().Be(0);
        Ids(ml, ml.Data.SkipRows(ml.Data.TakeRows(data, 5), 2)).Should().Equal(2, 3, 4);
        Ids(ml, ml.Data.FilterRowsByColumn(data, "Value", lowerBound: 1, upperBound: 2.5)).Should().Equal(2, 3, 4);
        FluentActions.Invoking(() => ml.Data.FilterRowsByColumn(data, "Group")).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("*'Group'*expected Single or Double, got String*");
        FluentActions.Invoking(() => ml.Data.TakeRows(data, -1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("count");
    }
}
