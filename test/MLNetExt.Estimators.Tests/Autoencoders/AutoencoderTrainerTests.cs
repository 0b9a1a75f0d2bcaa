using MLNetExt.Estimators.Autoencoders;
using MLNetExt.Trainers.Autoencoders;
using MLNetExt.Transforms;
using MLNetExt.Transforms.Autoencoders;
using static MLNetExt.Estimators.Tests.Autoencoders.AnomalyData;

namespace MLNetExt.Estimators.Tests.Autoencoders;

public class AutoencoderTrainerTests
{
    private static AutoencoderTrainer.Options Options(AutoencoderKind kind) => new()
    {
        Kind = kind,
        HiddenLayers = [16],
        CodeSize = 3,
        NumberOfEpochs = 60,
        LearningRate = 0.01,
        Seed = 7,
    };

    [Fact]
    public void DenseWorkoutDetectsOffSubspaceRowsAndEvaluatesWithMLNet()
    {
        var ml = new MLContext(1);
        var train = ml.Data.LoadFromEnumerable(Subspace(600, 0.05, 1));
        var test = ml.Data.LoadFromEnumerable(Subspace(400, 0.2, 2));
        var trainer = ml.AnomalyDetection.Trainers.Autoencoder(Options(AutoencoderKind.Dense));
        var invalid = ml.Data.LoadFromEnumerable(new[] { new { Features = "text" } });

        var workout = EstimatorWorkout.Run(ml, trainer, train, invalid, "Features", labelColumnName: "Label");

        var scored = workout.Transformer.Transform(test);
        scored.Schema["Score"].Type.Should().Be(NumberDataViewType.Single);
        scored.Schema["PredictedLabel"].Type.Should().Be(BooleanDataViewType.Instance);
        scored.Schema["ReconstructionErrors"].Type.Should().Be(new VectorDataViewType(NumberDataViewType.Single, FeatureCount));
        var metrics = ml.AnomalyDetection.Evaluate(scored, falsePositiveCount: 10);
        metrics.AreaUnderRocCurve.Should().BeGreaterThan(0.97, "the anomalies lie off the 3-D subspace a 3-unit code captures");
        metrics.DetectionRateAtFalsePositiveCount.Should().BeGreaterThan(0.8);
    }

    [Fact]
    public void MixedPipelineFromATextFileThroughMLNetNormalizationIsEvaluatedByMLNet()
    {
        string folder = Directory.CreateTempSubdirectory("mlnetext-ae-").FullName;
        try
        {
            string path = Path.Combine(folder, "telemetry.csv");
            var rows = Subspace(800, 0.1, 21);
            File.WriteAllLines(path, [string.Join(",", Enumerable.Range(0, FeatureCount).Select(f => $"f{f}").Append("anomaly")),
                .. rows.Select(r => string.Join(",", r.Features.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)).Append(r.Label.ToString(System.Globalization.CultureInfo.InvariantCulture))))]);
            var ml = new MLContext(3);
            var data = ml.Data.LoadFromTextFile(path, [
                new TextLoader.Column("Measurements", DataKind.Single, 0, FeatureCount - 1),
                new TextLoader.Column("Label", DataKind.Single, FeatureCount)], separatorChar: ',', hasHeader: true);
            var split = ml.Data.TrainTestSplit(data, testFraction: 0.4, seed: 5);
            var pipeline = ml.Transforms.Concatenate("Features", "Measurements")
                .Append(ml.Transforms.NormalizeMeanVariance("Features"))
                .Append(ml.AnomalyDetection.Trainers.Autoencoder(With(Options(AutoencoderKind.Dense), o => o.StandardizeFeatures = false)));

            var model = pipeline.Fit(split.TrainSet);

            var metrics = ml.AnomalyDetection.Evaluate(model.Transform(split.TestSet));
            metrics.AreaUnderRocCurve.Should().BeGreaterThan(0.9, "ML.NET's normalization feeds the autoencoder as its own standardization would");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void ThresholdFlagsTheContaminationShareOfTrainingRows()
    {
        var ml = new MLContext(1);
        var train = ml.Data.LoadFromEnumerable(Subspace(500, 0.05, 3));
        var options = Options(AutoencoderKind.Dense);
        options.Contamination = 0.2;
        var model = ml.AnomalyDetection.Trainers.Autoencoder(options).Fit(train);

        var scored = model.Transform(train);
        var scores = scored.GetColumn<float>("Score").ToArray();
        var flagged = scored.GetColumn<bool>("PredictedLabel").ToArray();
        flagged.Count(f => f).Should().BeCloseTo(100, 1, "the threshold is the 80% quantile of the training scores");
        scores.Zip(flagged).Should().OnlyContain(p => p.Second == p.First > model.Threshold);

        var stricter = ml.AnomalyDetection.ChangeModelThreshold(model, scores.Max());
        stricter.Transform(train).GetColumn<bool>("PredictedLabel").Should().OnlyContain(f => !f);
        model.Threshold.Should().BeLessThan(scores.Max(), "changing the threshold leaves the original model as it was");
    }

    [Fact]
    public void ScoreIsTheMeanOfTheReconstructionErrorsAndTheCodeColumnIsTheCode()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(Subspace(200, 0.1, 4));
        var options = Options(AutoencoderKind.Dense);
        options.CodeColumnName = "Code";
        options.NumberOfEpochs = 5;
        var model = ml.AnomalyDetection.Trainers.Autoencoder(options).Fit(data);

        var scored = model.Transform(data);
        scored.Schema["Code"].Type.Should().Be(new VectorDataViewType(NumberDataViewType.Single, 3));
        var errors = scored.GetColumn<float[]>("ReconstructionErrors").ToArray();
        var scores = scored.GetColumn<float>("Score").ToArray();
        for (int i = 0; i < scores.Length; i++)
        {
            errors[i].Should().OnlyContain(e => e >= 0);
            scores[i].Should().BeApproximately(errors[i].Average(), 1e-5f * Math.Max(1, scores[i]));
        }
        var codes = scored.GetColumn<float[]>("Code").ToArray();
        codes.Select(c => c.Length).Distinct().Should().Equal(3);
        codes.Should().Contain(c => c.Any(v => v != 0), "the code of a trained encoder is not all zeros");
    }

    public static TheoryData<string> Kinds =>
        ["Denoising-masking", "Denoising-gaussian", "Sparse-KL", "Sparse-L1", "Contractive", "Variational", "Dense-tied", "Dense-batchnorm-dropout"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EveryKindLearnsTheSubspaceAndSavesForPlainMLNet(string name)
    {
        var options = name switch
        {
            "Denoising-masking" => Options(AutoencoderKind.Denoising),
            "Denoising-gaussian" => With(Options(AutoencoderKind.Denoising), o => { o.Corruption = InputCorruption.Gaussian; o.CorruptionLevel = 0.1f; }),
            "Sparse-KL" => With(Options(AutoencoderKind.Sparse), o => { o.CodeSize = 8; o.SparsityWeight = 0.01f; }),
            "Sparse-L1" => With(Options(AutoencoderKind.Sparse), o => { o.Sparsity = SparsityPenalty.L1; o.SparsityWeight = 1e-3f; }),
            "Contractive" => With(Options(AutoencoderKind.Contractive), o => o.CodeSize = 6),
            "Variational" => With(Options(AutoencoderKind.Variational), o => { o.KLWeight = 0.05f; o.CodeSize = 4; }),
            "Dense-tied" => With(Options(AutoencoderKind.Dense), o => o.TiedWeights = true),
            "Dense-batchnorm-dropout" => With(Options(AutoencoderKind.Dense), o => { o.UseBatchNorm = true; o.DropoutRate = 0.1f; }),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
        var ml = new MLContext(1);
        var train = ml.Data.LoadFromEnumerable(Subspace(600, 0.05, 5));
        var test = ml.Data.LoadFromEnumerable(Subspace(300, 0.2, 6));

        var workout = EstimatorWorkout.Run(ml, ml.AnomalyDetection.Trainers.Autoencoder(options), train, labelColumnName: "Label");

        var auc = ml.AnomalyDetection.Evaluate(workout.Transformer.Transform(test)).AreaUnderRocCurve;
        auc.Should().BeGreaterThan(0.9, $"the {name} autoencoder learns the normal rows' subspace");
    }

    [Fact]
    public void ConvolutionalAutoencoderTrainsOnImageColumnsAndFlagsTheUnseenBarOrientation()
    {
        var ml = new MLContext(1);
        var train = ml.Data.LoadFromEnumerable(Bars(400, 0.0, 7));
        var test = ml.Data.LoadFromEnumerable(Bars(300, 0.3, 8));
        var options = new AutoencoderTrainer.Options
        {
            Kind = AutoencoderKind.Convolutional, FeatureColumnName = "Image", ConvolutionChannels = [8, 4], NumberOfEpochs = 30,
            LearningRate = 0.01, Seed = 3, ReconstructionLoss = AutoencoderReconstructionLoss.BinaryCrossEntropy, StandardizeFeatures = false,
        };

        var workout = EstimatorWorkout.Run(ml, ml.AnomalyDetection.Trainers.Autoencoder(options), train, labelColumnName: "Label");

        workout.Transformer.CodeSize.Should().Be(4 * 2 * 2);
        var auc = ml.AnomalyDetection.Evaluate(workout.Transformer.Transform(test)).AreaUnderRocCurve;
        auc.Should().BeGreaterThan(0.95, "vertical bars never appear in the normal images");
    }

    [Fact]
    public void NativeModelReopensFromTheSavedFileWithItsThreshold()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(Subspace(200, 0.1, 9));
        var options = Options(AutoencoderKind.Variational);
        options.NumberOfEpochs = 5;
        var model = ml.AnomalyDetection.Trainers.Autoencoder(options).Fit(data).WithThreshold(1.25f);
        string path = Path.Combine(Path.GetTempPath(), $"mlnetext-ae-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, data.Schema, path);
            var reopened = MLNetExtModel.Load<AutoencoderAnomalyTransformer>(path);

            reopened.Threshold.Should().Be(1.25f);
            reopened.ArchitectureKind.Should().Be(AutoencoderKind.Variational);
            reopened.Transform(data).GetColumn<float>("Score").Should().Equal(model.Transform(data).GetColumn<float>("Score"));
            var plain = ml.Model.Load(path, out _);
            var flagged = plain.Transform(data).GetColumn<bool>("PredictedLabel").ToArray();
            flagged.Should().Equal(model.Transform(data).GetColumn<float>("Score").Select(s => s > 1.25f));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void NaNFeatureIsRejectedWithColumnAndRow()
    {
        var ml = new MLContext(1);
        var rows = Subspace(20, 0, 10);
        rows[13].Features[4] = float.NaN;

        var fit = () => ml.AnomalyDetection.Trainers.Autoencoder(Options(AutoencoderKind.Dense)).Fit(ml.Data.LoadFromEnumerable(rows));

        fit.Should().Throw<InvalidOperationException>().Which.Message.Should().Contain("'Features'").And.Contain("13").And.Contain("slot 4");
    }

    [Fact]
    public void ConstantColumnAndSingleRowTrainWithoutNaN()
    {
        var ml = new MLContext(1);
        var rows = Subspace(50, 0, 11);
        foreach (var row in rows)
            row.Features[2] = 3f;
        var options = Options(AutoencoderKind.Dense);
        options.NumberOfEpochs = 3;

        var constant = ml.AnomalyDetection.Trainers.Autoencoder(options).Fit(ml.Data.LoadFromEnumerable(rows));
        var single = ml.AnomalyDetection.Trainers.Autoencoder(options).Fit(ml.Data.LoadFromEnumerable(rows.Take(1)));

        constant.Transform(ml.Data.LoadFromEnumerable(rows)).GetColumn<float[]>("ReconstructionErrors").Should().OnlyContain(e => e.All(float.IsFinite));
        single.Transform(ml.Data.LoadFromEnumerable(rows)).GetColumn<float>("Score").Should().OnlyContain(s => float.IsFinite(s));
        float.IsFinite(single.Threshold).Should().BeTrue();
    }

    [Fact]
    public void BadSettingsAndImagesAreNamed()
    {
        var ml = new MLContext(1);
        var tabular = ml.Data.LoadFromEnumerable(Subspace(20, 0, 12));

        var convolutionalOnVector = () => ml.AnomalyDetection.Trainers.Autoencoder(Options(AutoencoderKind.Convolutional)).Fit(tabular);
        convolutionalOnVector.Should().Throw<ArgumentOutOfRangeException>().Which.Message.Should().Contain("'Features'").And.Contain("ImageShape");

        var crossEntropyOutOfRange = () => ml.AnomalyDetection.Trainers.Autoencoder(With(Options(AutoencoderKind.Dense), o =>
        {
            o.ReconstructionLoss = AutoencoderReconstructionLoss.BinaryCrossEntropy;
            o.StandardizeFeatures = false;
        })).Fit(tabular);
        crossEntropyOutOfRange.Should().Throw<InvalidOperationException>().Which.Message.Should().Contain("[0, 1]").And.Contain("row 0");

        var standardizedCrossEntropy = () => ml.AnomalyDetection.Trainers.Autoencoder(With(Options(AutoencoderKind.Dense), o => o.ReconstructionLoss = AutoencoderReconstructionLoss.BinaryCrossEntropy));
        standardizedCrossEntropy.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("StandardizeFeatures");

        var contamination = () => ml.AnomalyDetection.Trainers.Autoencoder(contamination: 0.7);
        contamination.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("Contamination");
    }

    private static AutoencoderTrainer.Options With(AutoencoderTrainer.Options options, Action<AutoencoderTrainer.Options> change)
    {
        change(options);
        return options;
    }
}
