using MLNetExt.Trainers.DeepLearning;
using MLNetExt.Trainers.Mlp;
using static MLNetExt.Estimators.Tests.Mlp.MlpData;

namespace MLNetExt.Estimators.Tests.Mlp;

public class MlpTrainerTests
{
    public sealed class WrongFeaturesRow
    {
        public bool Label { get; set; }

        public string Features = "";
    }

    [Fact]
    public void BinaryWorkoutLearnsXorAndEvaluates()
    {
        var ml = new MLContext(1);
        var train = ml.Data.LoadFromEnumerable(Xor(400, 1));
        var test = ml.Data.LoadFromEnumerable(Xor(200, 2));
        var trainer = ml.BinaryClassification.Trainers.Mlp(new MlpBinaryTrainer.Options { HiddenLayers = [16, 16], NumberOfEpochs = 60, Seed = 3 });
        var invalid = ml.Data.LoadFromEnumerable(new[] { new WrongFeaturesRow { Features = "a" } });

        var workout = EstimatorWorkout.Run(ml, trainer, train, invalid, "Features", labelColumnName: "Label");

        workout.Output.Schema["Score"].Type.Should().Be(NumberDataViewType.Single);
        workout.Output.Schema["Probability"].Type.Should().Be(NumberDataViewType.Single);
        workout.Output.Schema["PredictedLabel"].Type.Should().Be(BooleanDataViewType.Instance);
        var metrics = ml.BinaryClassification.Evaluate(workout.Transformer.Transform(test));
        metrics.Accuracy.Should().BeGreaterThan(0.9, "a 16-16 MLP separates the XOR quadrants");
        metrics.AreaUnderRocCurve.Should().BeGreaterThan(0.95);
    }

    [Fact]
    public void MulticlassWorkoutLearnsSpiralsWithKeyLabels()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(Spirals(150, 5));
        var split = ml.Data.TrainTestSplit(data, 0.25, seed: 7);
        var toKey = ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: Microsoft.ML.Transforms.ValueToKeyMappingEstimator.KeyOrdinality.ByValue).Fit(data);
        var trainer = ml.MulticlassClassification.Trainers.Mlp(new MlpMulticlassTrainer.Options
        {
            HiddenLayers = [32, 32], NumberOfEpochs = 150, LearningRate = 0.02, Seed = 11, Activation = MlpActivation.Tanh,
        });

        var workout = EstimatorWorkout.Run(ml, trainer, toKey.Transform(split.TrainSet), labelColumnName: "Label");

        var scored = workout.Transformer.Transform(toKey.Transform(split.TestSet));
        scored.Schema["Score"].Type.Should().Be(new VectorDataViewType(NumberDataViewType.Single, 3));
        var predicted = scored.Schema["PredictedLabel"];
        predicted.Type.Should().Be(scored.Schema["Label"].Type, "PredictedLabel has the label's key type");
        VBuffer<ReadOnlyMemory<char>> names = default;
        predicted.GetKeyValues(ref names);
        names.DenseValues().Select(n => n.ToString()).Should().Equal("blue", "green", "red");
        var metrics = ml.MulticlassClassification.Evaluate(scored);
        metrics.MicroAccuracy.Should().BeGreaterThan(0.9, "three spirals are learnable by a 32-32 MLP");
    }

    [Fact]
    public void RegressionWorkoutFitsSurfaceAndPredictsOneRow()
    {
        var ml = new MLContext(1);
        var train = ml.Data.LoadFromEnumerable(Surface(500, 1));
        var test = ml.Data.LoadFromEnumerable(Surface(200, 2));
        var trainer = ml.Regression.Trainers.Mlp(new MlpRegressionTrainer.Options
        {
            HiddenLayers = [32], NumberOfEpochs = 80, Seed = 4, UseBatchNorm = true, DropoutRate = 0.05f, Activation = MlpActivation.Gelu,
            LearningRateSchedule = LearningRateSchedule.Cosine,
        });

        var workout = EstimatorWorkout.Run(ml, trainer, train, labelColumnName: "Label");

        ml.Regression.Evaluate(workout.Transformer.Transform(test)).RSquared.Should().BeGreaterThan(0.9);
        var engine = ml.Model.CreatePredictionEngine<FeaturesOnlyRow, ScoreRow>(workout.Transformer);
        engine.Predict(new FeaturesOnlyRow { Features = [0.5f, 0.5f] }).Score.Should().BeApproximately(MathF.Sin(1) + 0.25f, 0.25f);
    }

    public sealed class ScoreRow
    {
        public float Score;
    }

    [Fact]
    public void SavedModelLoadsAndScoresTheSame()
    {
        var ml = new MLContext(2);
        var data = ml.Data.LoadFromEnumerable(Xor(100, 1));
        var model = ml.BinaryClassification.Trainers.Mlp(hiddenLayers: [8], numberOfEpochs: 3).Fit(data);
        string path = Path.Combine(Path.GetTempPath(), $"mlp-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, data.Schema, path);
            var loaded = new MLContext(3).Model.Load(path, out var inputSchema);
            inputSchema.Select(c => c.Name).Should().Equal("Label", "Features");
            var loadedScores = ScoresOf(ml, loaded.Transform(data));
            var engineScores = ScoresOf(ml, model.Transform(data));
            loadedScores.Should().HaveCount(engineScores.Length);
            for (int i = 0; i < engineScores.Length; i++)
                loadedScores[i].Should().BeApproximately(engineScores[i], 1e-5f * Math.Max(1f, Math.Abs(engineScores[i])), $"row {i} scores through ONNX Runtime as on the engine");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void NaNFeatureIsRejectedNamingColumnAndRow()
    {
        var ml = new MLContext(1);
        var rows = Xor(10, 1);
        rows[4].Features = [0.1f, float.NaN];
        var trainer = ml.BinaryClassification.Trainers.Mlp(numberOfEpochs: 1);

        FluentActions.Invoking(() => trainer.Fit(ml.Data.LoadFromEnumerable(rows)))
            .Should().Throw<InvalidOperationException>().WithMessage("Column 'Features', row 4: slot 1 is NaN*");
    }

    [Fact]
    public void OutOfRangeLabelsAreRejected()
    {
        var ml = new MLContext(1);
        var regressionRows = Surface(5, 1);
        regressionRows[2].Label = 3f;
        var binaryAsSingle = ml.Data.LoadFromEnumerable(regressionRows);

        FluentActions.Invoking(() => ml.BinaryClassification.Trainers.Mlp(numberOfEpochs: 1).Fit(binaryAsSingle))
            .Should().Throw<InvalidOperationException>().WithMessage("Column 'Label', row 0: the label is *; a binary label must be 0 or 1*");
        var keyed = ml.Transforms.Conversion.MapValueToKey("Label").Fit(ml.Data.LoadFromEnumerable(Spirals(3, 1).Take(6)));
        var unseen = keyed.Transform(ml.Data.LoadFromEnumerable(new[] { new TextLabelRow { Label = "purple", Features = [0, 0] } }));
        FluentActions.Invoking(() => ml.MulticlassClassification.Trainers.Mlp(numberOfEpochs: 1).Fit(unseen))
            .Should().Throw<InvalidOperationException>().WithMessage("Column 'Label', row 0: the label is key 0*missing key*");
    }

    [Theory]
    [InlineData(nameof(DeepTrainerOptions.BatchSize))]
    [InlineData(nameof(DeepTrainerOptions.NumberOfEpochs))]
    [InlineData(nameof(DeepTrainerOptions.LearningRate))]
    [InlineData(nameof(DeepTrainerOptions.ValidationFraction))]
    [InlineData(nameof(DeepTrainerOptions.GradientClipNorm))]
    [InlineData(nameof(MlpTrainerOptions.HiddenLayers))]
    [InlineData(nameof(MlpTrainerOptions.DropoutRate))]
    public void BadOptionIsRejectedWhenTheTrainerIsMadeNamingIt(string option)
    {
        var options = new MlpBinaryTrainer.Options();
        switch (option)
        {
            case nameof(DeepTrainerOptions.BatchSize): options.BatchSize = 0; break;
            case nameof(DeepTrainerOptions.NumberOfEpochs): options.NumberOfEpochs = -1; break;
            case nameof(DeepTrainerOptions.LearningRate): options.LearningRate = double.NaN; break;
            case nameof(DeepTrainerOptions.ValidationFraction): options.ValidationFraction = 1; break;
            case nameof(DeepTrainerOptions.GradientClipNorm): options.GradientClipNorm = -1; break;
            case nameof(MlpTrainerOptions.HiddenLayers): options.HiddenLayers = [8, 0]; break;
            default: options.DropoutRate = 1; break;
        }

        FluentActions.Invoking(() => new MLContext().BinaryClassification.Trainers.Mlp(options))
            .Should().Throw<ArgumentException>().Where(e => e.ParamName == option).WithMessage($"*{option}*");
    }

    [Fact]
    public void OptionsAreCopiedNotKeptOrWritten()
    {
        var ml = new MLContext(1);
        var options = new MlpBinaryTrainer.Options { HiddenLayers = [4], NumberOfEpochs = 2 };
        var trainer = ml.BinaryClassification.Trainers.Mlp(options);
        options.HiddenLayers[0] = 1000;
        options.NumberOfEpochs = 0;

        var model = trainer.Fit(ml.Data.LoadFromEnumerable(Xor(20, 1)));

        model.HiddenLayers.Should().Equal(4);
        model.TrainingResult!.EpochsCompleted.Should().Be(2);
        options.HiddenLayers.Should().Equal(1000);
    }

    private static float[] ScoresOf(MLContext ml, IDataView scored) =>
        [.. ml.Data.CreateEnumerable<ScoreRow>(scored, reuseRowObject: false, ignoreMissingColumns: true).Select(r => r.Score)];
}
