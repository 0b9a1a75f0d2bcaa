namespace MLNetExt.Trainers.WordEmbeddings;

/// <summary>The word-vector file formats a <c>WordEmbeddingTransformer</c> reads and writes.</summary>
public enum WordVectorFileFormat
{
    /// <summary>The word2vec C tool's binary format (<c>-binary 1</c>; gensim's <c>binary=True</c>); see <see cref="Word2VecFormat"/>.</summary>
    Word2VecBinary,

    /// <summary>The word2vec C tool's text format: a "V D" header line, then one word and D numbers per line; see <see cref="Word2VecFormat"/>.</summary>
    Word2VecText,

    /// <summary>The GloVe tool's text format: one word and D numbers per line, no header; see <see cref="GloVeTextFormat"/>.</summary>
    GloVeText,
}
