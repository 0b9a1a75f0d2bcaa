namespace MLNetExt.Trainers.DeepLearning;

/// <summary>The update rule a deep trainer uses (see <see cref="DeepTrainerOptions.Optimizer"/>).</summary>
public enum DeepOptimizer
{
    /// <summary>Adam (Kingma and Ba), with L2 decay coupled into the gradient when <see cref="DeepTrainerOptions.WeightDecay"/> is set.</summary>
    Adam = 0,

    /// <summary>AdamW (Loshchilov and Hutter): Adam with decoupled weight decay.</summary>
    AdamW = 1,

    /// <summary>Stochastic gradient descent with <see cref="DeepTrainerOptions.Momentum"/>.</summary>
    Sgd = 2,
}
