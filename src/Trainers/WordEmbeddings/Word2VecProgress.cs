namespace MLNetExt.Trainers.WordEmbeddings;

/// <summary>A progress report of <see cref="Word2VecTrainer"/>, sent at the end of each epoch.</summary>
/// <param name="Epoch">Epochs completed, 1-based.</param>
/// <param name="Epochs">Epochs in all.</param>
/// <param name="WordsProcessed">Vocabulary tokens processed so far over all epochs (before subsampling).</param>
/// <param name="TotalWords">Vocabulary tokens to process over all epochs.</param>
/// <param name="Alpha">The learning rate of the last job.</param>
/// <param name="Loss">The summed loss of this epoch's pairs when <see cref="Word2VecOptions.ComputeLoss"/> is set, else NaN.</param>
public readonly record struct Word2VecProgress(int Epoch, int Epochs, long WordsProcessed, long TotalWords, double Alpha, double Loss);
