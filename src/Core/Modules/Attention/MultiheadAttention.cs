using MLNetExt.Core.Autograd;
using MLNetExt.Core.Onnx;
using MLNetExt.Core.Ops;

namespace MLNetExt.Core.Modules.Attention;

/// <summary>
/// Multi-head scaled dot-product attention, <c>torch.nn.MultiheadAttention</c> with <c>batch_first=True</c>:
/// MultiHead(Q, K, V) = Concat(head₁, …, head_H)·W_Oᵀ + b_O, head_h = softmax(Q_h·K_hᵀ/√d_h + mask)·V_h,
/// with Q = query·W_Qᵀ + b_Q, K = key·W_Kᵀ + b_K, V = value·W_Vᵀ + b_V, and d_h = E/H.
/// </summary>
/// <remarks>
/// <para>Shapes: query [B, L, E], key and value [B, S, E] → output [B, L, E]; weights [B, L, S] (averaged over
/// heads) or [B, H, L, S]. Parameters, named as PyTorch's <c>state_dict</c>: <c>in_proj_weight</c> [3E, E] (W_Q,
/// W_K, W_V stacked), <c>in_proj_bias</c> [3E], <c>out_proj.weight</c> [E, E], <c>out_proj.bias</c> [E]. Initialized
/// as PyTorch does: <c>in_proj_weight</c> Xavier-uniform, both biases zero, <c>out_proj.weight</c> as a
/// <see cref="Linear"/>'s.</para>
/// <para>Masks, as PyTorch's: <c>key_padding_mask</c> [B, S] is true at keys to ignore; <c>attn_mask</c> [L, S] is
/// added to the scores (−∞ blocks a pair: PyTorch's boolean mask, true = blocked, is this mask with −∞ where true);
/// <c>causal</c> blocks every key after its query (s &gt; l). A query whose every key is blocked outputs zeros
/// (PyTorch outputs NaN). In training, dropout with probability <see cref="Dropout"/> is applied to the weights
/// before they multiply V, and the weights returned are those dropped ones, as PyTorch's are.</para>
/// <para>Self-attention (query, key and value the same tensor) projects Q, K and V in one GEMM against the stacked
/// <c>in_proj_weight</c>; the heads are then read in place (see <see cref="ScaledDotProductAttentionOp"/>). Not
/// supported from PyTorch's options: <c>kdim</c>/<c>vdim</c> other than E, <c>add_bias_kv</c>, <c>add_zero_attn</c>,
/// 3-D attention masks.</para>
/// </remarks>
public sealed class MultiheadAttention : Module, IOnnxExportable
{
    private readonly ScaledDotProductAttentionOp _attention;

    /// <summary>Creates the layer.</summary>
    /// <param name="embedDim">E, the model width, divisible by <paramref name="numHeads"/>.</param>
    /// <param name="numHeads">H, the number of heads.</param>
    /// <param name="dropout">The probability of dropping an attention weight in training, in [0, 1).</param>
    /// <param name="bias">Whether the input and output projections have biases.</param>
    /// <param name="random">The generator for the initial weights and the dropout masks (default: <see cref="RandomSource.Default"/>).</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1, E is not divisible by H, or the dropout is outside [0, 1).</exception>
    public MultiheadAttention(int embedDim, int numHeads, float dropout = 0f, bool bias = true, RandomSource? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(embedDim, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(numHeads, 1);
        if (embedDim % numHeads != 0)
            throw new ArgumentOutOfRangeException(nameof(numHeads), numHeads, $"embed_dim {embedDim} must be divisible by num_heads.");
        if (!(dropout >= 0f && dropout < 1f))
            throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "The dropout probability must be in [0, 1).");
        random ??= RandomSource.Default;
        EmbedDim = embedDim;
        NumHeads = numHeads;
        Dropout = dropout;
        // PyTorch creates out_proj (drawing its Linear initialization) before it resets the stacked projection.
        var outProj = new Linear(embedDim, embedDim, bias, random);
        InProjWeight = RegisterParameter("in_proj_weight", Init.XavierUniform(new Tensor(3 * embedDim, embedDim), random: random));
        if (bias) InProjBias = RegisterParameter("in_proj_bias", new Tensor(3 * embedDim));
        OutProj = RegisterModule("out_proj", outProj);
        OutProj.Bias?.Span.Clear();
        _attention = new ScaledDotProductAttentionOp(numHeads, random.Fork());
    }

    /// <summary>E, the model width.</summary>
    public int EmbedDim { get; }

    /// <summary>H, the number of heads.</summary>
    public int NumHeads { get; }

    /// <summary>d_h = E/H, the width of one head.</summary>
    public int HeadDim => EmbedDim / NumHeads;

    /// <summary>The probability of dropping an attention weight in training.</summary>
    public float Dropout { get; }

    /// <summary>W_Q, W_K and W_V stacked, [3E, E].</summary>
    public Tensor InProjWeight { get; }

    /// <summary>b_Q, b_K and b_V stacked, [3E], or null without biases.</summary>
    public Tensor? InProjBias { get; }

    /// <summary>The output projection W_O, b_O.</summary>
    public Linear OutProj { get; }

    /// <summary>Self-attention without masks: <c>Forward(input, input, input).Output</c>. Shapes: [B, L, E] → [B, L, E].</summary>
    public override Tensor Forward(Tensor input, Tape? tape = null)
        => Forward(input, input, input, weights: AttentionWeightsMode.None, tape: tape).Output;

    /// <summary>Attends from every query to the keys and values (shapes and masks in the class remarks).</summary>
    /// <param name="query">[B, L, E].</param>
    /// <param name="key">[B, S, E].</param>
    /// <param name="value">[B, S, E].</param>
    /// <param name="keyPaddingMask">[B, S], true at keys to ignore; empty for none.</param>
    /// <param name="attnMask">[L, S], added to the scores (−∞ blocks); null for none. No gradient flows into it.</param>
    /// <param name="causal">Whether each query ignores the keys after it (s &gt; l).</param>
    /// <param name="weights">Which attention weights to return.</param>
    /// <param name="tape">The tape to record on, or null for inference.</param>
    /// <exception cref="ArgumentException">A shape does not match.</exception>
    public MultiheadAttentionOutput Forward(Tensor query, Tensor key, Tensor value, ReadOnlySpan<bool> keyPaddingMask = default,
        Tensor? attnMask = null, bool causal = false, AttentionWeightsMode weights = AttentionWeightsMode.Averaged, Tape? tape = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        int e = EmbedDim;
        if (query.Rank != 3 || query.Dim(2) != e)
            throw new ArgumentException($"MultiheadAttention expects query [B, L, {e}] but got {ShapeText.Of(query)}.", nameof(query));
        int batch = query.Dim(0), targetLength = query.Dim(1);
        if (key.Rank != 3 || key.Dim(0) != batch || key.Dim(2) != e)
            throw new ArgumentException($"MultiheadAttention expects key [{batch}, S, {e}] but got {ShapeText.Of(key)}.", nameof(key));
        int sourceLength = key.Dim(1);
        if (!value.HasShape(key.Shape))
            throw new ArgumentException($"MultiheadAttention expects value shaped as key {ShapeText.Of(key)} but got {ShapeText.Of(value)}.", nameof(value));
        if (!keyPaddingMask.IsEmpty && keyPaddingMask.Length != batch * sourceLength)
            throw new ArgumentException($"MultiheadAttention expects key_padding_mask [{batch}, {sourceLength}] ({batch * sourceLength} values) but got {keyPaddingMask.Length}.", nameof(keyPaddingMask));
        if (attnMask is not null && (attnMask.Rank != 2 || attnMask.Dim(0) != targetLength || attnMask.Dim(1) != sourceLength))
            throw new ArgumentException($"MultiheadAttention expects attn_mask [{targetLength}, {sourceLength}] but got {ShapeText.Of(attnMask)}.", nameof(attnMask));
        if (!Enum.IsDefined(weights))
            throw new ArgumentOutOfRangeException(nameof(weights), weights, "Expected None, Averaged or PerHead.");

        var queryRows = TensorOps.Reshape(query, [batch * targetLength, e], tape);
        Tensor q, k, v;
        if (ReferenceEquals(query, key) && ReferenceEquals(key, value))
        {
            // [B·L, 3E]: Q, K and V side by side in every row, from one GEMM.
            q = k = v = LinearOp.Forward(queryRows, InProjWeight, InProjBias, tape);
        }
        else
        {
            q = RowBlockLinearOp.Forward(queryRows, InProjWeight, InProjBias, 0, e, tape);
            var keyRows = TensorOps.Reshape(key, [batch * sourceLength, e], tape);
            if (ReferenceEquals(key, value))
                k = v = RowBlockLinearOp.Forward(keyRows, InProjWeight, InProjBias, e, 2 * e, tape);
            else
            {
                k = RowBlockLinearOp.Forward(keyRows, InProjWeight, InProjBias, e, e, tape);
                v = RowBlockLinearOp.Forward(TensorOps.Reshape(value, [batch * sourceLength, e], tape), InProjWeight, InProjBias, 2 * e, e, tape);
            }
        }
        float dropout = Training ? Dropout : 0f;
        var attended = _attention.Forward(q, k, v, batch, e, keyPaddingMask, attnMask, causal, dropout, weights, out var attentionWeights, tape);
        var projected = OutProj.Forward(TensorOps.Reshape(attended, [batch * targetLength, e], tape), tape);
        return new MultiheadAttentionOutput(TensorOps.Reshape(projected, [batch, targetLength, e], tape), attentionWeights);
    }

    /// <inheritdoc />
    public override int[] OutputShape(ReadOnlySpan<int> inputShape)
    {
        RequireRank(inputShape, 3, $"[B, L, {EmbedDim}]");
        if (inputShape[2] != EmbedDim)
            throw new ArgumentException($"MultiheadAttention expects input [B, L, {EmbedDim}] but got {ShapeText.Of(inputShape)}.", "input");
        return inputShape.ToArray();
    }

    /// <summary>Exports self-attention without masks (see <see cref="ExportOnnx(OnnxGraphBuilder, OnnxValue, OnnxValue?, bool, string)"/>).</summary>
    OnnxValue IOnnxExportable.ExportOnnx(OnnxGraphBuilder graph, OnnxValue input, string scope)
        => ExportOnnx(graph, input, null, false, scope).Output;

    /// <summary>
    /// Exports self-attention over <paramref name="input"/> as PyTorch's exporter writes it: <c>MatMul</c> with the
    /// transposed <c>in_proj_weight</c> and <c>Add</c>, <c>Split</c> into Q, K, V, <c>Reshape</c>/<c>Transpose</c> to
    /// [B, H, ·, d_h], <c>MatMul</c>, <c>Mul</c> by 1/√d_h, the masks added, <c>Softmax</c>, <c>MatMul</c> with V, and
    /// the output projection.
    /// </summary>
    /// <param name="graph">The graph under construction.</param>
    /// <param name="input">[B, L, E], float; B and L may be symbolic.</param>
    /// <param name="lengths">int32 [B], the true lengths (keys at s ≥ length are ignored, as a key-padding mask would),
    /// each at least 1; null when every sequence is full.</param>
    /// <param name="causal">Whether each query ignores the keys after it.</param>
    /// <param name="scope">The module's path, e.g. <c>self_attn</c>.</param>
    /// <returns>The output [B, L, E] and the weights averaged over heads [B, L, L].</returns>
    /// <exception cref="ArgumentException">The input is not float [·, ·, E] or the lengths are not int32 [B].</exception>
    public MultiheadAttentionOnnxOutput ExportOnnx(OnnxGraphBuilder graph, OnnxValue input, OnnxValue? lengths, bool causal, string scope)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(input);
        var masks = AttentionMasksOnnx.Build(graph, input, lengths, causal, scope);
        return ExportSelfAttention(graph, input, masks.PaddingBias, masks.CausalBias, scope);
    }

    /// <summary>The self-attention graph with its masks already built: <paramref name="paddingBias"/> [B, 1, 1, S], <paramref name="causalBias"/> [S, S].</summary>
    internal MultiheadAttentionOnnxOutput ExportSelfAttention(OnnxGraphBuilder graph, OnnxValue input, string? paddingBias, string? causalBias, string scope)
    {
        OnnxExport.RequireFloat(input, nameof(MultiheadAttention));
        int e = EmbedDim, heads = NumHeads, headDim = HeadDim;
        if (input.Rank != 3 || !input.Shape[2].Equals(OnnxDim.Fixed(e)))
            throw new ArgumentException($"MultiheadAttention expects input [B, L, {e}] but got {input}.", nameof(input));
        var weight = OnnxExport.Parameter(graph, scope, "in_proj_weight", InProjWeight);
        string stacked = graph.AddNode("MatMul", [input.Name, graph.AddNode("Transpose", [weight.Name], scope, OnnxAttribute.Ints("perm", 1, 0))], scope);
        if (InProjBias is not null)
            stacked = graph.AddNode("Add", [stacked, OnnxExport.Parameter(graph, scope, "in_proj_bias", InProjBias).Name], scope);
        string[] qkv = graph.AddNodeOutputs("Split", [stacked, graph.Int64Constant(e, e, e)], 3, scope, "", OnnxAttribute.Int("axis", 2));
        string headShape = graph.Int64Constant(0, 0, heads, headDim);
        // [B, H, L, d_h] for Q and V; [B, H, d_h, S] for K, so the scores are one MatMul.
        string queries = graph.AddNode("Transpose", [graph.AddNode("Reshape", [qkv[0], headShape], scope)], scope, OnnxAttribute.Ints("perm", 0, 2, 1, 3));
        string keys = graph.AddNode("Transpose", [graph.AddNode("Reshape", [qkv[1], headShape], scope)], scope, OnnxAttribute.Ints("perm", 0, 2, 3, 1));
        string values = graph.AddNode("Transpose", [graph.AddNode("Reshape", [qkv[2], headShape], scope)], scope, OnnxAttribute.Ints("perm", 0, 2, 1, 3));
        string scores = graph.AddNode("Mul", [graph.AddNode("MatMul", [queries, keys], scope), graph.FloatConstant(1f / MathF.Sqrt(headDim))], scope);
        if (causalBias is not null) scores = graph.AddNode("Add", [scores, causalBias], scope);
        if (paddingBias is not null) scores = graph.AddNode("Add", [scores, paddingBias], scope);
        string probabilities = graph.AddNode("Softmax", [scores], scope, OnnxAttribute.Int("axis", -1));
        string heads4 = graph.AddNode("MatMul", [probabilities, values], scope);
        string merged = graph.AddNode("Reshape", [graph.AddNode("Transpose", [heads4], scope, OnnxAttribute.Ints("perm", 0, 2, 1, 3)), graph.Int64Constant(0, 0, e)], scope);
        var output = OnnxExport.Module(graph, OutProj, input.As(merged), OnnxExport.Join(scope, "out_proj"));
        // ReduceMean takes its axes as an attribute before opset 18 and as an input from it.
        string averaged = graph.OpsetVersion >= 18
            ? graph.AddNode("ReduceMean", [probabilities, graph.Int64Constant(1)], scope, OnnxAttribute.Int("keepdims", 0))
            : graph.AddNode("ReduceMean", [probabilities], scope, OnnxAttribute.Ints("axes", 1), OnnxAttribute.Int("keepdims", 0));
        return new MultiheadAttentionOnnxOutput(output, input.As(averaged, shape: [input.Shape[0], input.Shape[1], input.Shape[1]]));
    }
}
