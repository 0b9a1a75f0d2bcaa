using MLNetExt.Core.Autograd;
using MLNetExt.Core.Onnx;
using MLNetExt.Core.Ops;

namespace MLNetExt.Core.Modules.Attention;

/// <summary>
/// One transformer encoder layer, <c>torch.nn.TransformerEncoderLayer</c> with <c>batch_first=True</c>: self-attention
/// and a position-wise feed-forward block, each with a residual connection and layer normalization.
/// </summary>
/// <remarks>
/// <para>Post-norm (PyTorch's default, the original paper's): x = norm1(x + SA(x)); x = norm2(x + FF(x)).
/// Pre-norm (<c>norm_first</c>): x = x + SA(norm1(x)); x = x + FF(norm2(x)). SA(x) = dropout1(self_attn(x, x, x));
/// FF(x) = dropout2(linear2(dropout(activation(linear1(x))))).</para>
/// <para>Shapes: input [B, T, d_model] → output [B, T, d_model]; key padding mask [B, T] (true at padded steps,
/// PyTorch's <c>src_key_padding_mask</c>); attention mask [T, T] added to the scores (<c>src_mask</c>; −∞ blocks).</para>
/// <para>Parameters, as PyTorch's <c>state_dict</c>: <c>self_attn.in_proj_weight</c> [3d, d], <c>self_attn.in_proj_bias</c>,
/// <c>self_attn.out_proj.weight</c>/<c>bias</c>, <c>linear1.weight</c> [F, d], <c>linear1.bias</c>, <c>linear2.weight</c>
/// [d, F], <c>linear2.bias</c>, <c>norm1.weight</c>/<c>bias</c>, <c>norm2.weight</c>/<c>bias</c>, each initialized
/// as its PyTorch module does. The outputs at padded steps are computed (as PyTorch's are) but never reach the
/// unpadded ones; pool or mask them downstream.</para>
/// </remarks>
public sealed class TransformerEncoderLayer : Module, IOnnxExportable
{
    private readonly RandomSource _random;
    private readonly Module _activation;

    /// <summary>Creates the layer with PyTorch's defaults.</summary>
    /// <param name="dModel">d_model, the width of each step.</param>
    /// <param name="nhead">The number of attention heads, dividing d_model.</param>
    /// <param name="dimFeedforward">F, the hidden width of the feed-forward block.</param>
    /// <param name="dropout">The dropout probability of the attention weights and of the three dropout layers, in [0, 1).</param>
    /// <param name="activation">The feed-forward activation.</param>
    /// <param name="layerNormEps">ε of both layer norms.</param>
    /// <param name="normFirst">Pre-norm when true, post-norm (the default) when false.</param>
    /// <param name="random">The generator for the initial weights and the dropout masks (default: <see cref="RandomSource.Default"/>).</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1, nhead does not divide d_model, the dropout is outside [0, 1) or ε is not positive.</exception>
    public TransformerEncoderLayer(int dModel, int nhead, int dimFeedforward = 2048, float dropout = 0.1f,
        TransformerActivation activation = TransformerActivation.Relu, float layerNormEps = 1e-5f, bool normFirst = false, RandomSource? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimFeedforward, 1);
        if (!Enum.IsDefined(activation))
            throw new ArgumentOutOfRangeException(nameof(activation), activation, "Expected Relu or Gelu.");
        _random = (random ?? RandomSource.Default).Fork();
        DModel = dModel;
        NHead = nhead;
        DimFeedforward = dimFeedforward;
        DropoutProbability = dropout;
        Activation = activation;
        LayerNormEps = layerNormEps;
        NormFirst = normFirst;
        // Registered in PyTorch's order, so the state_dict lists the same keys in the same order.
        SelfAttn = RegisterModule("self_attn", new MultiheadAttention(dModel, nhead, dropout, bias: true, _random));
        Linear1 = RegisterModule("linear1", new Linear(dModel, dimFeedforward, bias: true, _random));
        FeedforwardDropout = RegisterModule("dropout", new Dropout(dropout, _random));
        Linear2 = RegisterModule("linear2", new Linear(dimFeedforward, dModel, bias: true, _random));
        Norm1 = RegisterModule("norm1", new LayerNorm(dModel, layerNormEps));
        Norm2 = RegisterModule("norm2", new LayerNorm(dModel, layerNormEps));
        Dropout1 = RegisterModule("dropout1", new Dropout(dropout, _random));
        Dropout2 = RegisterModule("dropout2", new Dropout(dropout, _random));
        _activation = activation == TransformerActivation.Relu ? new ReLU() : new GELU();
    }

    /// <summary>d_model.</summary>
    public int DModel { get; }

    /// <summary>The number of attention heads.</summary>
    public int NHead { get; }

    /// <summary>F, the feed-forward width.</summary>
    public int DimFeedforward { get; }

    /// <summary>The dropout probability.</summary>
    public float DropoutProbability { get; }

    /// <summary>The feed-forward activation.</summary>
    public TransformerActivation Activation { get; }

    /// <summary>ε of the layer norms.</summary>
    public float LayerNormEps { get; }

    /// <summary>True for pre-norm, false for post-norm.</summary>
    public bool NormFirst { get; }

    /// <summary>The self-attention block.</summary>
    public MultiheadAttention SelfAttn { get; }

    /// <summary>The feed-forward block's first layer, d_model → F.</summary>
    public Linear Linear1 { get; }

    /// <summary>Dropout between the feed-forward layers.</summary>
    public Dropout FeedforwardDropout { get; }

    /// <summary>The feed-forward block's second layer, F → d_model.</summary>
    public Linear Linear2 { get; }

    /// <summary>The layer norm of the attention block.</summary>
    public LayerNorm Norm1 { get; }

    /// <summary>The layer norm of the feed-forward block.</summary>
    public LayerNorm Norm2 { get; }

    /// <summary>Dropout on the attention block's output.</summary>
    public Dropout Dropout1 { get; }

    /// <summary>Dropout on the feed-forward block's output.</summary>
    public Dropout Dropout2 { get; }

    /// <summary>Runs the layer on full-length sequences without masks. Shapes: [B, T, d_model] → [B, T, d_model].</summary>
    public override Tensor Forward(Tensor input, Tape? tape = null) => Forward(input, default, null, false, tape);

    /// <summary>Runs the layer (shapes and masks in the class remarks).</summary>
    /// <param name="source">[B, T, d_model].</param>
    /// <param name="keyPaddingMask">[B, T], true at padded steps; empty for none.</param>
    /// <param name="attnMask">[T, T], added to the attention scores; null for none.</param>
    /// <param name="causal">Whether each step ignores the steps after it.</param>
    /// <param name="tape">The tape to record on, or null for inference.</param>
    /// <exception cref="ArgumentException">A shape does not match.</exception>
    public Tensor Forward(Tensor source, ReadOnlySpan<bool> keyPaddingMask, Tensor? attnMask = null, bool causal = false, Tape? tape = null)
        => ForwardWithAttention(source, keyPaddingMask, attnMask, causal, AttentionWeightsMode.None, tape).Output;

    /// <summary>Runs the layer (see <see cref="Forward(Tensor, ReadOnlySpan{bool}, Tensor?, bool, Tape?)"/>) and returns its self-attention weights too.</summary>
    /// <param name="source">[B, T, d_model].</param>
    /// <param name="keyPaddingMask">[B, T], true at padded steps; empty for none.</param>
    /// <param name="attnMask">[T, T], added to the attention scores; null for none.</param>
    /// <param name="causal">Whether each step ignores the steps after it.</param>
    /// <param name="weights">Which weights to return: [B, T, T] averaged over heads, [B, H, T, T] per head, or none.</param>
    /// <param name="tape">The tape to record on, or null for inference.</param>
    /// <returns>The layer's output [B, T, d_model] and the weights (for inspection: no gradient flows back through them).</returns>
    /// <exception cref="ArgumentException">A shape does not match.</exception>
    public MultiheadAttentionOutput ForwardWithAttention(Tensor source, ReadOnlySpan<bool> keyPaddingMask, Tensor? attnMask, bool causal,
        AttentionWeightsMode weights, Tape? tape = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        CheckInputShape(source.Shape);
        var x = source;
        MultiheadAttentionOutput attended;
        if (NormFirst)
        {
            attended = SelfAttentionBlock(Norm1.Forward(x, tape), keyPaddingMask, attnMask, causal, weights, tape);
            x = TensorOps.Add(x, attended.Output, tape);
            return new MultiheadAttentionOutput(TensorOps.Add(x, FeedforwardBlock(Norm2.Forward(x, tape), tape), tape), attended.Weights);
        }
        attended = SelfAttentionBlock(x, keyPaddingMask, attnMask, causal, weights, tape);
        x = Norm1.Forward(TensorOps.Add(x, attended.Output, tape), tape);
        return new MultiheadAttentionOutput(Norm2.Forward(TensorOps.Add(x, FeedforwardBlock(x, tape), tape), tape), attended.Weights);
    }

    // Shapes: x [B, T, d] → dropout1(self_attn(x, x, x)) [B, T, d], with the attention weights asked for.
    private MultiheadAttentionOutput SelfAttentionBlock(Tensor x, ReadOnlySpan<bool> keyPaddingMask, Tensor? attnMask, bool causal,
        AttentionWeightsMode weights, Tape? tape)
    {
        var attended = SelfAttn.Forward(x, x, x, keyPaddingMask, attnMask, causal, weights, tape);
        return attended with { Output = Dropout1.Forward(attended.Output, tape) };
    }

    // Shapes: x [B, T, d] → rows [B·T, d] → hidden [B·T, F] → [B·T, d] → dropout2(…) [B, T, d].
    private Tensor FeedforwardBlock(Tensor x, Tape? tape)
    {
        var rows = TensorOps.Reshape(x, [x.Dim(0) * x.Dim(1), DModel], tape);
        // ReLU rides in the first GEMM's epilogue; GELU is a pass of its own.
        var hidden = Activation == TransformerActivation.Relu
            ? LinearOp.ForwardRelu(rows, Linear1.Weight, Linear1.Bias, tape)
            : _activation.Forward(Linear1.Forward(rows, tape), tape);
        var output = Linear2.Forward(FeedforwardDropout.Forward(hidden, tape), tape);
        return Dropout2.Forward(TensorOps.Reshape(output, x.Shape, tape), tape);
    }

    /// <inheritdoc />
    public override int[] OutputShape(ReadOnlySpan<int> inputShape)
    {
        CheckInputShape(inputShape);
        return inputShape.ToArray();
    }

    private void CheckInputShape(ReadOnlySpan<int> shape)
    {
        if (shape.Length != 3 || shape[2] != DModel)
            throw new ArgumentException($"TransformerEncoderLayer expects input [B, T, {DModel}] but got {ShapeText.Of(shape)}.", "input");
    }

    /// <summary>A layer with the same options and a copy of this one's parameters (PyTorch's <c>copy.deepcopy</c>, as <see cref="TransformerEncoder"/> clones its layer).</summary>
    public TransformerEncoderLayer Clone()
    {
        var copy = new TransformerEncoderLayer(DModel, NHead, DimFeedforward, DropoutProbability, Activation, LayerNormEps, NormFirst, _random);
        var source = StateDict().ToDictionary(p => p.Key, p => p.Value);
        foreach (var (name, tensor) in copy.StateDict()) tensor.CopyFrom(source[name]);
        copy.Train(Training);
        return copy;
    }

    /// <summary>Exports the layer without masks (see <see cref="ExportOnnx(OnnxGraphBuilder, OnnxValue, OnnxValue?, bool, string)"/>).</summary>
    OnnxValue IOnnxExportable.ExportOnnx(OnnxGraphBuilder graph, OnnxValue input, string scope) => ExportOnnx(graph, input, null, false, scope);

    /// <summary>
    /// Exports the layer's inference graph: the self-attention (see <see cref="MultiheadAttention.ExportOnnx(OnnxGraphBuilder, OnnxValue, OnnxValue?, bool, string)"/>),
    /// the feed-forward block, the residual <c>Add</c>s and two <c>LayerNormalization</c>s, in the layer's norm order; dropout is left out.
    /// </summary>
    /// <param name="graph">The graph under construction.</param>
    /// <param name="input">[B, T, d_model], float.</param>
    /// <param name="lengths">int32 [B], the true lengths (each at least 1), or null when every sequence is full.</param>
    /// <param name="causal">Whether each step ignores the steps after it.</param>
    /// <param name="scope">The module's path, e.g. <c>layers.0</c>.</param>
    /// <returns>The output, [B, T, d_model].</returns>
    public OnnxValue ExportOnnx(OnnxGraphBuilder graph, OnnxValue input, OnnxValue? lengths, bool causal, string scope)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(input);
        var masks = AttentionMasksOnnx.Build(graph, input, lengths, causal, scope);
        return ExportWithMasks(graph, input, masks.PaddingBias, masks.CausalBias, scope).Output;
    }

    /// <summary>The layer's graph with its masks already built (shared by every layer of an encoder): its output and its attention weights averaged over heads.</summary>
    internal MultiheadAttentionOnnxOutput ExportWithMasks(OnnxGraphBuilder graph, OnnxValue input, string? paddingBias, string? causalBias, string scope)
    {
        OnnxExport.RequireFloat(input, nameof(TransformerEncoderLayer));
        if (input.Rank != 3 || !input.Shape[2].Equals(OnnxDim.Fixed(DModel)))
            throw new ArgumentException($"TransformerEncoderLayer expects input [B, T, {DModel}] but got {input}.", nameof(input));
        OnnxValue? weights = null;
        OnnxValue Attention(OnnxValue x)
        {
            var attended = SelfAttn.ExportSelfAttention(graph, x, paddingBias, causalBias, OnnxExport.Join(scope, "self_attn"));
            weights = attended.AveragedWeights;
            return attended.Output;
        }
        OnnxValue Feedforward(OnnxValue x)
        {
            var hidden = OnnxExport.Module(graph, Linear1, x, OnnxExport.Join(scope, "linear1"));
            var activated = OnnxExport.Module(graph, _activation, hidden, scope);
            return OnnxExport.Module(graph, Linear2, activated, OnnxExport.Join(scope, "linear2"));
        }
        OnnxValue Residual(OnnxValue x, OnnxValue y) => x.As(graph.AddNode("Add", [x.Name, y.Name], scope));
        OnnxValue Norm(LayerNorm norm, string name, OnnxValue x) => OnnxExport.Module(graph, norm, x, OnnxExport.Join(scope, name));

        if (NormFirst)
        {
            var attended = Residual(input, Attention(Norm(Norm1, "norm1", input)));
            return new MultiheadAttentionOnnxOutput(Residual(attended, Feedforward(Norm(Norm2, "norm2", attended))), weights!);
        }
        var first = Norm(Norm1, "norm1", Residual(input, Attention(input)));
        return new MultiheadAttentionOnnxOutput(Norm(Norm2, "norm2", Residual(first, Feedforward(first))), weights!);
    }
}
