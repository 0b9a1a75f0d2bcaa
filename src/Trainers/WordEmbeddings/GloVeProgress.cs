namespace MLNetExt.Trainers.WordEmbeddings;

/// <summary>A progress report of <see cref="GloVeTrainer"/>, sent at the end of each epoch.</summary>
/// <param name="Epoch">Epochs completed, 1-based.</param>
/// <param name="Epochs">Epochs in all.</param>
/// <param name="Cost">The epoch's mean of ½ f(X_ij)(w_iᵀw̃_j + b_i + b̃_j − log X_ij)² over the records, as the C tool prints it.</param>
public readonly record struct GloVeProgress(int Epoch, int Epochs, double Cost);
