namespace MLNetExt.Trainers.Attention;

/// <summary>The attention-based text classifiers.</summary>
public enum AttentionClassifierKind
{
    /// <summary>A bidirectional LSTM or GRU whose outputs are pooled by additive attention with a learned query.</summary>
    RecurrentAttention = 0,

    /// <summary>A hierarchical attention network (Yang et al., 2016): words → sentence vectors → document vector, attention at both levels.</summary>
    Hierarchical = 1,

    /// <summary>Token embedding + positional encoding + transformer encoder layers + pooling.</summary>
    Transformer = 2,
}
