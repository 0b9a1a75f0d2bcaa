namespace MLNetExt.Trainers.WordEmbeddings;

/// <summary>How a <c>WordEmbeddingTransformer</c> pools the vectors of a row's tokens into one sentence vector.</summary>
public enum WordEmbeddingPooling
{
    /// <summary>
    /// ML.NET's <c>ApplyWordEmbedding</c> layout: 3·D values, [min, mean, max]. Slots 0..D−1 hold the element-wise
    /// minimum over the known tokens, D..2D−1 their mean, 2D..3D−1 their element-wise maximum.
    /// </summary>
    MinMeanMax,

    /// <summary>D values: the mean of the known tokens' vectors.</summary>
    Mean,
}
