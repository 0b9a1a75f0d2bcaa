namespace MLNetExt.Trainers.WordEmbeddings;

/// <summary>A word and its score against a query (cosine similarity, or the 3CosMul objective for <see cref="AnalogyMethod.CosMul"/>).</summary>
/// <param name="Word">The word.</param>
/// <param name="Similarity">Its score; higher is closer.</param>
public readonly record struct WordSimilarity(string Word, float Similarity);
