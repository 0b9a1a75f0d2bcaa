using System.Globalization;
using MLNetExt.Estimators.WordEmbeddings;
using MLNetExt.Trainers.WordEmbeddings;
using MLNetExt.Transforms;
using MLNetExt.Transforms.WordEmbeddings;

namespace MLNetExt.Transforms.Tests;

/// <summary>
/// The saved forms of the word-embedding and sequence-padding transformers: each is fitted in a real ML.NET pipeline,
/// saved with <c>ml.Model.Save</c>, loaded with a fresh context's <c>Model.Load</c>, and must hold only ML.NET's own
/// transformers and give the native transformer's columns: the same names in the same order, the same types and key
/// values, and the same cells (Single within 1e-5 of the larger magnitude, floored at 1e-6 where sums cancel; others
/// exactly) on rows longer and shorter than the pad length, empty rows and unknown tokens.
/// </summary>
public class SavedFormTests
{
    private sealed class Sentence
    {
        public string Text { get; set; } = "";
    }

    private static readonly string[] Training =
    [
        "the cat sat on the mat",
        "the dog sat on the log",
        "a cat and a dog met on the mat",
        "the bird flew over the cat and the dog",
    ];

    // Longer and shorter than every pad length used, empty, all unknown, mixed known and unknown.
    private static readonly string[] Scoring =
    [
        "the cat sat on the mat and the dog sat on the log",
        "cat",
        "",
        "zebra unicorn",
        "the zebra sat on a unicorn",
        "dog dog dog",
    ];

    public static TheoryData<WordEmbeddingPooling, bool> EmbeddingCases => new()
    {
        { WordEmbeddingPooling.MinMeanMax, false },
        { WordEmbeddingPooling.MinMeanMax, true },
        { WordEmbeddingPooling.Mean, false },
        { WordEmbeddingPooling.Mean, true },
    };

    [Theory]
    [MemberData(nameof(EmbeddingCases))]
    public void A_saved_word2vec_embedding_scores_as_the_native_transformer(WordEmbeddingPooling pooling, bool outputReplacesInput)
    {
        var ml = new MLContext(1);
        string output = outputReplacesInput ? "Words" : "Embedding";
        var pipeline = ml.Transforms.Text.TokenizeIntoWords("Words", nameof(Sentence.Text))
            .Append(ml.Transforms.Text.TrainWord2Vec(new Word2VecEstimator.Options
            {
                OutputColumnName = output,
                InputColumnName = outputReplacesInput ? null : "Words",
                Pooling = pooling,
                Word2Vec = new Word2VecOptions { VectorSize = 5, MinCount = 1, Epochs = 3, Seed = 4, Workers = 1 },
            }));
        var model = pipeline.Fit(Sentences(ml, Training));

        var (native, saved) = SaveAndLoad(ml, model, Sentences(ml, Scoring));

        AssertSameColumns(native, saved, output, output + ".Tokens");
        saved.Schema[output + ".Tokens"].Annotations.Schema.Should().BeEmpty("no ML.NET transform can add the EmbeddingDimension annotation, as the transformer's docs say");
        if (pooling == WordEmbeddingPooling.MinMeanMax)
        {
            Cells(native, output).Should().Contain(cell => cell.Contains(float.MaxValue.ToString("R", CultureInfo.InvariantCulture)),
                "the all-unknown and empty rows pool to the reductions' starting points");
        }
    }

    [Fact]
    public void A_saved_pretrained_embedding_pools_negative_and_unknown_tokens_as_the_native_transformer()
    {
        string file = Path.Combine(Path.GetTempPath(), $"mlnetext-vectors-{Guid.NewGuid():N}.txt");
        File.WriteAllLines(file,
        [
            "4 3",
            "cat -1.5 2 0.25",
            "dog 3 -4 -0.5",
            "mat 0 0 -7",
            "the 1e-3 -2e-3 5",
        ]);
        try
        {
            var ml = new MLContext(1);
            var pipeline = ml.Transforms.Text.TokenizeIntoWords("Words", nameof(Sentence.Text))
                // The options overload: ML.NET's own ApplyWordEmbedding(output, file, input) wins the positional call.
                .Append(ml.Transforms.Text.ApplyWordEmbedding(new WordEmbeddingEstimator.Options
                {
                    OutputColumnName = "Embedding",
                    InputColumnName = "Words",
                    ModelFile = file,
                }));
            var model = pipeline.Fit(Sentences(ml, Training));

            var (native, saved) = SaveAndLoad(ml, model, Sentences(ml, Scoring));

            AssertSameColumns(native, saved, "Embedding", "Embedding.Tokens");
            // "cat": min = mean = max = its vector; "zebra unicorn": no known token.
            Cells(saved, "Embedding")[1].Should().Be("[-1.5, 2, 0.25, -1.5, 2, 0.25, -1.5, 2, 0.25]");
            Cells(saved, "Embedding")[3].Should().Be($"[{Repeat(float.MaxValue, 3)}, 0, 0, 0, {Repeat(float.MinValue, 3)}]");
            Cells(saved, "Embedding.Tokens")[3].Should().Be("[0, 0, 0, 0, 0, 0]");
            Cells(saved, "Embedding.Tokens")[2].Should().Be("[]");
        }
        finally
        {
            File.Delete(file);
        }
    }

    public static TheoryData<int, float, SequencePaddingEstimator.PaddingSide, SequencePaddingEstimator.TruncationSide, bool> KeyPaddingCases
    {
        get
        {
            var cases = new TheoryData<int, float, SequencePaddingEstimator.PaddingSide, SequencePaddingEstimator.TruncationSide, bool>();
            foreach (var padding in new[] { SequencePaddingEstimator.PaddingSide.Left, SequencePaddingEstimator.PaddingSide.Right })
            foreach (var truncation in new[] { SequencePaddingEstimator.TruncationSide.Left, SequencePaddingEstimator.TruncationSide.Right })
            {
                cases.Add(4, 0, padding, truncation, true);
                cases.Add(3, 2, padding, truncation, false);
            }
            cases.Add(1, 0, SequencePaddingEstimator.PaddingSide.Right, SequencePaddingEstimator.TruncationSide.Left, true);
            return cases;
        }
    }

    [Theory]
    [MemberData(nameof(KeyPaddingCases))]
    public void A_saved_padding_of_keys_keeps_the_key_type_and_values(int length, float padValue,
        SequencePaddingEstimator.PaddingSide paddingSide, SequencePaddingEstimator.TruncationSide truncationSide, bool withLengthAndMask)
    {
        var ml = new MLContext(1);
        var pipeline = ml.Transforms.Text.TokenizeIntoWords("Words", nameof(Sentence.Text))
            .Append(ml.Transforms.Conversion.MapValueToKey("Ids", "Words"))
            .Append(ml.Transforms.PadSequence("Padded", "Ids", length, padValue, paddingSide, truncationSide,
                withLengthAndMask ? "Length" : null, withLengthAndMask ? "Mask" : null));
        var model = pipeline.Fit(Sentences(ml, Training));

        var (native, saved) = SaveAndLoad(ml, model, Sentences(ml, Scoring));

        string[] added = withLengthAndMask ? ["Padded", "Length", "Mask"] : ["Padded"];
        AssertSameColumns(native, saved, added);
        saved.Schema["Padded"].Type.Should().Be(new VectorDataViewType(new KeyDataViewType(typeof(uint), 13), length));
    }

    [Fact]
    public void A_saved_padding_whose_output_replaces_its_key_input_scores_as_the_native_transformer()
    {
        var ml = new MLContext(1);
        var pipeline = ml.Transforms.Text.TokenizeIntoWords("Words", nameof(Sentence.Text))
            .Append(ml.Transforms.Conversion.MapValueToKey("Words"))
            .Append(ml.Transforms.PadSequence("Words", null, 5, lengthColumnName: "Length"));
        var model = pipeline.Fit(Sentences(ml, Training));

        var (native, saved) = SaveAndLoad(ml, model, Sentences(ml, Scoring));

        AssertSameColumns(native, saved, "Words", "Length");
    }

    private sealed class Numbers
    {
        public float[] Values { get; set; } = [];

        public int[] Counts { get; set; } = [];
    }

    public static TheoryData<SequencePaddingEstimator.PaddingSide, SequencePaddingEstimator.TruncationSide> Sides => new()
    {
        { SequencePaddingEstimator.PaddingSide.Left, SequencePaddingEstimator.TruncationSide.Left },
        { SequencePaddingEstimator.PaddingSide.Left, SequencePaddingEstimator.TruncationSide.Right },
        { SequencePaddingEstimator.PaddingSide.Right, SequencePaddingEstimator.TruncationSide.Left },
        { SequencePaddingEstimator.PaddingSide.Right, SequencePaddingEstimator.TruncationSide.Right },
    };

    [Theory]
    [MemberData(nameof(Sides))]
    public void A_saved_padding_of_Single_and_Int32_sequences_scores_as_the_native_transformer(
        SequencePaddingEstimator.PaddingSide paddingSide, SequencePaddingEstimator.TruncationSide truncationSide)
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(new[]
        {
            new Numbers { Values = [1.5f, -2, 3, 4.25f, 5, 6], Counts = [1, 2, 3, 4, 5, 6, 7] },
            new Numbers { Values = [7], Counts = [-8] },
            new Numbers { Values = [], Counts = [] },
            new Numbers { Values = [0.5f, 0.25f, -1e-7f, float.MaxValue], Counts = [int.MinValue, int.MaxValue, 0, 9] },
        });
        var pipeline = ml.Transforms.PadSequence("PaddedValues", "Values", 4, -1.25f, paddingSide, truncationSide, "ValuesLength", "ValuesMask")
            .Append(ml.Transforms.PadSequence("Counts", null, 3, 7, paddingSide, truncationSide, maskColumnName: "CountsMask"));
        var model = pipeline.Fit(data);

        var (native, saved) = SaveAndLoad(ml, model, data);

        // "Counts" replaces its input: the native transformer appends it, as ML.NET's own transforms do, but in the saved
        // form the DropColumns of the intermediate columns leaves it at its input's position.
        AssertSameColumns(native, saved, sameOrder: false, "PaddedValues", "ValuesLength", "ValuesMask", "Counts", "CountsMask");
    }

    private sealed class UnnamedKeys
    {
        [KeyType(5)]
        public uint[] Ids { get; set; } = [];
    }

    [Fact]
    public void Saving_a_padding_of_keys_without_text_key_values_fails_naming_the_reason()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(new[] { new UnnamedKeys { Ids = [1, 2] } });
        var model = ml.Transforms.PadSequence("Padded", "Ids", 3).Fit(data);
        string path = Path.Combine(Path.GetTempPath(), $"mlnetext-saved-form-{Guid.NewGuid():N}.zip");
        try
        {
            var save = () => ml.Model.Save(model, data.Schema, path);

            save.Should().Throw<NotSupportedException>().WithMessage("*'Ids'*without KeyValues*");
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static IDataView Sentences(MLContext ml, string[] texts) =>
        ml.Data.LoadFromEnumerable(texts.Select(text => new Sentence { Text = text }).ToArray());

    /// <summary>Saves <paramref name="model"/>, loads it in a fresh context, checks it holds only ML.NET's transformers, and transforms <paramref name="data"/> with both.</summary>
    private static (IDataView Native, IDataView Saved) SaveAndLoad(MLContext ml, ITransformer model, IDataView data)
    {
        string path = Path.Combine(Path.GetTempPath(), $"mlnetext-saved-form-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, data.Schema, path);
            var loaded = new MLContext(2).Model.Load(path, out _);
            Flatten(loaded).Should().OnlyContain(t => t.GetType().Assembly.GetName().Name!.StartsWith("Microsoft.ML", StringComparison.Ordinal),
                "plain ML.NET must load the file");
            return (model.Transform(data), loaded.Transform(data));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static IEnumerable<ITransformer> Flatten(ITransformer transformer) =>
        transformer is IEnumerable<ITransformer> chain ? chain.SelectMany(Flatten) : [transformer];

    /// <summary>The same visible columns in the same order; for <paramref name="added"/>, the same type, KeyValues and cells.</summary>
    private static void AssertSameColumns(IDataView native, IDataView saved, params string[] added) =>
        AssertSameColumns(native, saved, sameOrder: true, added);

    /// <summary>
    /// The same visible columns (in the same order unless <paramref name="sameOrder"/> is false); for
    /// <paramref name="added"/>, the same type, KeyValues and cells.
    /// </summary>
    private static void AssertSameColumns(IDataView native, IDataView saved, bool sameOrder, params string[] added)
    {
        var nativeNames = native.Schema.Where(c => !c.IsHidden).Select(c => c.Name).ToArray();
        var savedNames = saved.Schema.Where(c => !c.IsHidden).Select(c => c.Name).ToArray();
        if (sameOrder)
            savedNames.Should().Equal(nativeNames);
        else
            savedNames.Should().BeEquivalentTo(nativeNames);
        foreach (string name in added)
        {
            nativeNames.Should().Contain(name);
            var expected = native.Schema[name];
            var actual = saved.Schema[name];
            actual.Type.Should().Be(expected.Type, "column '{0}' keeps its type", name);
            KeyValues(actual).Should().Equal(KeyValues(expected), "column '{0}' keeps its key values", name);
            var nativeCells = Values(native, name);
            var savedCells = Values(saved, name);
            savedCells.Should().HaveCount(nativeCells.Count);
            for (int row = 0; row < nativeCells.Count; row++)
            {
                savedCells[row].Should().HaveCount(nativeCells[row].Length, "column '{0}', row {1} has the same length", name, row);
                for (int i = 0; i < nativeCells[row].Length; i++)
                    AssertClose(savedCells[row][i], nativeCells[row][i], $"column '{name}', row {row}, slot {i}");
            }
        }
    }

    private static void AssertClose(object actual, object expected, string where)
    {
        if (expected is float e)
        {
            float a = (float)actual;
            float tolerance = 1e-5f * Math.Max(Math.Max(Math.Abs(a), Math.Abs(e)), 0.1f);
            a.Should().BeApproximately(e, tolerance, where);
        }
        else
        {
            actual.Should().Be(expected, where);
        }
    }

    private static string[] KeyValues(DataViewSchema.Column column)
    {
        if (column.Annotations.Schema.GetColumnOrNull("KeyValues") is null)
            return [];
        VBuffer<ReadOnlyMemory<char>> values = default;
        column.Annotations.GetValue("KeyValues", ref values);
        return [.. values.DenseValues().Select(v => v.ToString())];
    }

    /// <summary>Every cell of <paramref name="name"/> as its items (a scalar as one item), boxed.</summary>
    private static List<object[]> Values(IDataView data, string name)
    {
        var column = data.Schema[name];
        var raw = (column.Type is VectorDataViewType vector ? vector.ItemType : column.Type).RawType;
        return raw == typeof(float) ? Values<float>(data, column)
            : raw == typeof(int) ? Values<int>(data, column)
            : raw == typeof(uint) ? Values<uint>(data, column)
            : throw new NotSupportedException($"Column '{name}' has item type {raw}.");
    }

    private static List<object[]> Values<T>(IDataView data, DataViewSchema.Column column)
    {
        var cells = new List<object[]>();
        using var cursor = data.GetRowCursor([column]);
        if (column.Type is VectorDataViewType)
        {
            var getter = cursor.GetGetter<VBuffer<T>>(column);
            VBuffer<T> value = default;
            while (cursor.MoveNext())
            {
                getter(ref value);
                cells.Add([.. value.DenseValues().Select(v => (object)v!)]);
            }
        }
        else
        {
            var getter = cursor.GetGetter<T>(column);
            T value = default!;
            while (cursor.MoveNext())
            {
                getter(ref value);
                cells.Add([value!]);
            }
        }
        return cells;
    }

    private static IReadOnlyList<string> Cells(IDataView data, string name) => DataViewCells.Column(data, name);

    private static string Repeat(float value, int count) =>
        string.Join(", ", Enumerable.Repeat(value.ToString("R", CultureInfo.InvariantCulture), count));
}
