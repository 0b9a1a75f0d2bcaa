using MLNetExt.Core;
using MLNetExt.Core.Autograd;

namespace MLNetExt.Trainers.DeepLearning;

/// <summary>
/// A network whose training objective is its loss plus a penalty on what its last forward pass computed (a sparse
/// autoencoder's code activity, a contractive one's Jacobian norm, a variational one's KL term).
/// <see cref="DeepTrainingLoop"/> adds the penalty to the loss of every batch and of the validation rows.
/// </summary>
internal interface IPenalizedNetwork
{
    /// <summary>
    /// The penalty [] (a scalar) of the forward pass that ran just before on the same <paramref name="tape"/>, or
    /// null when there is none. With a recording tape its gradient flows back through that pass.
    /// </summary>
    Tensor? Penalty(Tape? tape);
}
