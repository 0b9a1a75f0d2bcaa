using MLNetExt.Trainers.WordEmbeddings;
namespace MLNetExt.Estimators.WordEmbeddings;

/// <summary>Copies of the hyperparameter classes, so that changing the caller's options after an estimator is made does not change it.</summary>
internal static class EmbeddingOptionsCopy
{
    public static Word2VecOptions Of(Word2VecOptions o) => new()
    {
        VectorSize = o.VectorSize,
        Window = o.Window,
        MinCount = o.MinCount,
        MaxFinalVocab = o.MaxFinalVocab,
        Sample = o.Sample,
        Negative = o.Negative,
        NegativeExponent = o.NegativeExponent,
        HierarchicalSoftmax = o.HierarchicalSoftmax,
        SkipGram = o.SkipGram,
        CbowMean = o.CbowMean,
        Alpha = o.Alpha,
        MinAlpha = o.MinAlpha,
        Epochs = o.Epochs,
        Seed = o.Seed,
        Workers = o.Workers,
        ShrinkWindows = o.ShrinkWindows,
        ComputeLoss = o.ComputeLoss,
        BatchWords = o.BatchWords,
    };

    public static GloVeOptions Of(GloVeOptions o) => new()
    {
        VectorSize = o.VectorSize,
        Window = o.Window,
        Symmetric = o.Symmetric,
        MinCount = o.MinCount,
        MaxVocab = o.MaxVocab,
        XMax = o.XMax,
        WeightingExponent = o.WeightingExponent,
        LearningRate = o.LearningRate,
        Epochs = o.Epochs,
        Seed = o.Seed,
        Workers = o.Workers,
    };
}
