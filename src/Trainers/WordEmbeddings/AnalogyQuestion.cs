namespace MLNetExt.Trainers.WordEmbeddings;

/// <summary>An analogy question a : b :: c : d, answered correctly when d is the top candidate for (a, b, c).</summary>
/// <param name="A">The first word of the known pair.</param>
/// <param name="B">The second word of the known pair.</param>
/// <param name="C">The first word of the query pair.</param>
/// <param name="D">The expected answer.</param>
public readonly record struct AnalogyQuestion(string A, string B, string C, string D);
