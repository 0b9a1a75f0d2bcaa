using MLNetExt.Transforms;

namespace MLNetExt.Transforms.Tests;

public class SavedPipelineTests
{
    public sealed class Review
    {
        public string Text = "";

        public float Stars;
    }

    public sealed class Encoded
    {
        [KeyType(4)]
        public uint[] Padded = [];

        public float[] Mask = [];

        public int Length;

        public float[] Features = [];
    }

    [Fact]
    public void A_saved_text_pipeline_loads_from_a_file_and_scores_single_examples()
    {
        var ml = new MLContext(7);
        var data = ml.Data.LoadFromEnumerable(new[]
        {
            new Review { Text = "Great food, great service!", Stars = 5 },
            new Review { Text = "Cold food.", Stars = 2 },
        });
        var pipeline = ml.Transforms.Text.NormalizeText("Clean", "Text", keepPunctuations: false)
            .Append(ml.Transforms.Text.TokenizeIntoWords("Words", "Clean"))
            .Append(ml.Transforms.Conversion.MapValueToKey("Ids", "Words"))
            .Append(ml.Transforms.PadSequence("Padded", "Ids", 5, lengthColumnName: "Length", maskColumnName: "Mask"))
            .Append(ml.Transforms.CopyColumns("StarsCopy", "Stars"))
            .Append(ml.Transforms.Concatenate("Features", "Mask", "StarsCopy"));
        var model = pipeline.Fit(data);
        string path = Path.Combine(Path.GetTempPath(), $"mlnetext-pipeline-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, data.Schema, path);
            var loaded = new MLContext(8).Model.Load(path, out var inputSchema);
            inputSchema.Select(c => c.Name).Should().Equal("Text", "Stars");

            using var engine = ml.Model.CreatePredictionEngine<Review, Encoded>(loaded);
            var prediction = engine.Predict(new Review { Text = "GREAT coffee, cold food", Stars = 4 });

            prediction.Padded.Should().Equal(1u, 0u, 4u, 2u, 0u);
            prediction.Length.Should().Be(4);
            prediction.Mask.Should().Equal(1f, 1f, 1f, 1f, 0f);
            prediction.Features.Should().Equal(1f, 1f, 1f, 1f, 0f, 4f);
            DataViewCells.ReadAll(loaded.Transform(data)).Should().BeEquivalentTo(DataViewCells.ReadAll(model.Transform(data)), o => o.WithStrictOrdering());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
