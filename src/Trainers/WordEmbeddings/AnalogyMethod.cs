namespace MLNetExt.Trainers.WordEmbeddings;

/// <summary>How <see cref="KeyedVectors.Analogy"/> scores candidates d for a : b :: c : d (Levy &amp; Goldberg, 2014), on unit vectors.</summary>
public enum AnalogyMethod
{
    /// <summary>3CosAdd: argmax_d cos(d, b) − cos(d, a) + cos(d, c) (gensim <c>most_similar</c>).</summary>
    CosAdd,

    /// <summary>
    /// 3CosMul: argmax_d cos'(d, b) · cos'(d, c) / (cos'(d, a) + 0.001), with cos' = (cos + 1) / 2 so every factor
    /// is positive (gensim <c>most_similar_cosmul</c>).
    /// </summary>
    CosMul,
}
