using MLNetExt.Core;
using MLNetExt.Core.Modules;

namespace MLNetExt.Trainers.Attention;

/// <summary>Builds the network an architecture describes, the same way for training and for loading.</summary>
internal static class AttentionNetworks
{
    /// <exception cref="ArgumentException">The architecture is out of range; the message says what is wrong.</exception>
    public static Module Create(AttentionArchitecture architecture, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(random);
        if (architecture.Problem() is { } problem)
            throw new ArgumentException($"The attention classifier's architecture is invalid: {problem}.", nameof(architecture));
        return architecture.Kind switch
        {
            AttentionClassifierKind.RecurrentAttention => new RecurrentAttentionNetwork(architecture, random),
            AttentionClassifierKind.Hierarchical => new HierarchicalAttentionNetwork(architecture, random),
            _ => new TransformerClassifierNetwork(architecture, random),
        };
    }
}
