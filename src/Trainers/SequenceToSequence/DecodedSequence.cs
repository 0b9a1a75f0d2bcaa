namespace MLNetExt.Trainers.SequenceToSequence;

/// <summary>An output of <see cref="BeamSearch"/>.</summary>
/// <param name="Tokens">The target ids, without <c>&lt;bos&gt;</c> and <c>&lt;eos&gt;</c>.</param>
/// <param name="LogProbability">Σ log P of the ids and of the <c>&lt;eos&gt;</c> that ended them.</param>
/// <param name="Score">The rank of the output among its beam's: LogProbability / T^α, T = the ids + 1 (the <c>&lt;eos&gt;</c>).</param>
/// <param name="Attention">The attention weights of each of the T steps over the source ids, [T × source length], row-major; the last row is the <c>&lt;eos&gt;</c> step's.</param>
/// <param name="SourceLength">The source ids the attention rows cover (tokens and <c>&lt;eos&gt;</c>).</param>
public sealed record DecodedSequence(int[] Tokens, double LogProbability, double Score, float[] Attention, int SourceLength);
