namespace MLNetExt.Transforms.Persistence;

/// <summary>
/// The hard limits on what a saved model's settings may ask for, checked by the loaders before any network is built
/// or array allocated (with <see cref="NativeModelReader.RequireWeights"/>, which also checks a network against the
/// tensors the file holds). Each is far above what a model trained on one machine needs.
/// </summary>
internal static class SavedModelLimits
{
    /// <summary>The widest vector a setting may describe: features, hidden units, classes or outputs, embedding and vector dimensions, values per step.</summary>
    public const int MaximumWidth = 1 << 20;

    /// <summary>The most hidden layers of an MLP and recurrent layers of a sequence network.</summary>
    public const int MaximumLayers = 64;

    /// <summary>The most rows of an embedding table, words of a word-vector model and key values of a padded key column.</summary>
    public const int MaximumVocabulary = 1 << 24;

    /// <summary>The longest output of a sequence padding (items per row).</summary>
    public const int MaximumSequenceLength = 1 << 20;

    /// <summary>The most weights of one network (1 GiB of float32).</summary>
    public const long MaximumWeights = 1L << 28;
}
