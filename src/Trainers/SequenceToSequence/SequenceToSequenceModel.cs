using MLNetExt.Trainers.DeepLearning;

namespace MLNetExt.Trainers.SequenceToSequence;

/// <summary>A trained text-to-text model: its network and vocabularies, and how its training went.</summary>
public sealed class SequenceToSequenceModel
{
    internal SequenceToSequenceModel(SequenceToSequenceNetwork network, TokenVocabulary sourceVocabulary, TokenVocabulary targetVocabulary, DeepTrainingResult? training)
    {
        Network = network;
        SourceVocabulary = sourceVocabulary;
        TargetVocabulary = targetVocabulary;
        Training = training;
    }

    /// <summary>The network, in evaluation mode.</summary>
    public SequenceToSequenceNetwork Network { get; }

    /// <summary>The source side's tokens.</summary>
    public TokenVocabulary SourceVocabulary { get; }

    /// <summary>The target side's tokens.</summary>
    public TokenVocabulary TargetVocabulary { get; }

    /// <summary>How training went; null for a model that was loaded rather than trained.</summary>
    public DeepTrainingResult? Training { get; }

    /// <summary>The source ids of <paramref name="text"/>, ending in <c>&lt;eos&gt;</c>; tokens beyond <paramref name="maximumTokens"/> are an error.</summary>
    /// <exception cref="ArgumentException">The text has more than <paramref name="maximumTokens"/> tokens.</exception>
    public int[] EncodeSource(string? text, int maximumTokens = SequenceToSequenceTrainerOptions.TokenLimit)
    {
        var tokens = TextUnits.Split(text, SourceVocabulary.Unit);
        if (tokens.Count > maximumTokens)
            throw new ArgumentException($"The text has {tokens.Count:N0} tokens; at most {maximumTokens:N0} are accepted.", nameof(text));
        return SourceVocabulary.Encode(tokens);
    }

    /// <summary>The output for <paramref name="text"/>, as text, with its ids, scores and attention (<see cref="BeamSearch"/>).</summary>
    public (string Text, DecodedSequence Decoded) Translate(string? text, DecodingOptions? options = null)
    {
        var decoded = BeamSearch.Decode(Network, EncodeSource(text), options);
        return (TargetVocabulary.Decode(decoded.Tokens), decoded);
    }
}
