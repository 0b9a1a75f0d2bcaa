using MLNetExt.Core.Autograd;
using MLNetExt.Core.Onnx;
using MLNetExt.Core.Ops;

namespace MLNetExt.Core.Modules.Attention;

/// <summary>
/// A stack of N encoder layers, <c>torch.nn.TransformerEncoder</c>: each layer reads the previous one's output, with
/// the same masks; an optional final layer norm (as pre-norm stacks use) follows.
/// </summary>
/// <remarks>
/// <para>Shapes: input [B, T, d_model] → output [B, T, d_model]; masks as <see cref="TransformerEncoderLayer"/>'s.</para>
/// <para>As PyTorch does, the layers are copies of the layer given: they start with the same weights (named
/// <c>layers.0.self_attn.in_proj_weight</c>, …, <c>layers.{N−1}.norm2.bias</c>; the final norm <c>norm.weight</c>,
/// <c>norm.bias</c>). PyTorch's eval-mode fast path, which turns padded outputs into zeros, is not copied: padded
/// steps hold whatever the layers computed there.</para>
/// </remarks>
public sealed class TransformerEncoder : Module, IOnnxExportable
{
    private readonly TransformerEncoderLayer[] _layers;

    /// <summary>Stacks <paramref name="numLayers"/> copies of <paramref name="encoderLayer"/>, then <paramref name="norm"/> if given.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="numLayers"/> is below 1.</exception>
    /// <exception cref="ArgumentException">The norm's shape is not [d_model].</exception>
    public TransformerEncoder(TransformerEncoderLayer encoderLayer, int numLayers, LayerNorm? norm = null)
    {
        ArgumentNullException.ThrowIfNull(encoderLayer);
        ArgumentOutOfRangeException.ThrowIfLessThan(numLayers, 1);
        if (norm is not null && !norm.NormalizedShape.SequenceEqual([encoderLayer.DModel]))
            throw new ArgumentException($"The final norm must normalize [{encoderLayer.DModel}] but normalizes [{string.Join(", ", norm.NormalizedShape.ToArray())}].", nameof(norm));
        DModel = encoderLayer.DModel;
        _layers = new TransformerEncoderLayer[numLayers];
        for (int i = 0; i < numLayers; i++)
            _layers[i] = RegisterModule("layers." + i, encoderLayer.Clone());
        if (norm is not null) Norm = RegisterModule("norm", norm);
    }

    /// <summary>d_model.</summary>
    public int DModel { get; }

    /// <summary>The layers, first to last.</summary>
    public IReadOnlyList<TransformerEncoderLayer> Layers => _layers;

    /// <summary>The final layer norm, or null.</summary>
    public LayerNorm? Norm { get; }

    /// <summary>Runs the stack on full-length sequences without masks. Shapes: [B, T, d_model] → [B, T, d_model].</summary>
    public override Tensor Forward(Tensor input, Tape? tape = null) => Forward(input, default, null, false, tape);

    /// <summary>Runs every layer with the same masks, then the final norm.</summary>
    /// <param name="source">[B, T, d_model].</param>
    /// <param name="keyPaddingMask">[B, T], true at padded steps; empty for none.</param>
    /// <param name="mask">[T, T], added to the attention scores; null for none.</param>
    /// <param name="causal">Whether each step ignores the steps after it.</param>
    /// <param name="tape">The tape to record on, or null for inference.</param>
    /// <exception cref="ArgumentException">A shape does not match.</exception>
    public Tensor Forward(Tensor source, ReadOnlySpan<bool> keyPaddingMask, Tensor? mask = null, bool causal = false, Tape? tape = null)
        => ForwardWithAttention(source, keyPaddingMask, mask, causal, AttentionWeightsMode.None, tape).Output;

    /// <summary>Runs the stack (see <see cref="Forward(Tensor, ReadOnlySpan{bool}, Tensor?, bool, Tape?)"/>) and returns the last layer's self-attention weights too.</summary>
    /// <param name="source">[B, T, d_model].</param>
    /// <param name="keyPaddingMask">[B, T], true at padded steps; empty for none.</param>
    /// <param name="mask">[T, T], added to the attention scores; null for none.</param>
    /// <param name="causal">Whether each step ignores the steps after it.</param>
    /// <param name="weights">Which weights of the last layer to return: [B, T, T] averaged over heads, [B, H, T, T] per head, or none.</param>
    /// <param name="tape">The tape to record on, or null for inference.</param>
    /// <returns>The output [B, T, d_model] and the last layer's weights (for inspection: no gradient flows back through them).</returns>
    /// <exception cref="ArgumentException">A shape does not match.</exception>
    public MultiheadAttentionOutput ForwardWithAttention(Tensor source, ReadOnlySpan<bool> keyPaddingMask, Tensor? mask, bool causal,
        AttentionWeightsMode weights, Tape? tape = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        var x = source;
        Tensor? lastWeights = null;
        for (int i = 0; i < _layers.Length; i++)
        {
            var result = _layers[i].ForwardWithAttention(x, keyPaddingMask, mask, causal, i == _layers.Length - 1 ? weights : AttentionWeightsMode.None, tape);
            (x, lastWeights) = (result.Output, result.Weights);
        }
        return new MultiheadAttentionOutput(Norm is null ? x : Norm.Forward(x, tape), lastWeights);
    }

    /// <inheritdoc />
    public override int[] OutputShape(ReadOnlySpan<int> inputShape) => _layers[0].OutputShape(inputShape);

    /// <summary>Exports the stack without masks (see <see cref="ExportOnnx(OnnxGraphBuilder, OnnxValue, OnnxValue?, bool, string)"/>).</summary>
    OnnxValue IOnnxExportable.ExportOnnx(OnnxGraphBuilder graph, OnnxValue input, string scope) => ExportOnnx(graph, input, null, false, scope);

    /// <summary>Exports every layer (scopes <c>scope.layers.i</c>), the masks built once and shared, then the final norm.</summary>
    /// <param name="graph">The graph under construction.</param>
    /// <param name="input">[B, T, d_model], float.</param>
    /// <param name="lengths">int32 [B], the true lengths (each at least 1), or null when every sequence is full.</param>
    /// <param name="causal">Whether each step ignores the steps after it.</param>
    /// <param name="scope">The module's path, e.g. <c>encoder</c>.</param>
    /// <returns>The output, [B, T, d_model].</returns>
    public OnnxValue ExportOnnx(OnnxGraphBuilder graph, OnnxValue input, OnnxValue? lengths, bool causal, string scope)
        => ExportOnnxWithAttention(graph, input, lengths, causal, scope).Output;

    /// <summary>
    /// Exports the stack as <see cref="ExportOnnx(OnnxGraphBuilder, OnnxValue, OnnxValue?, bool, string)"/> does, and
    /// returns the last layer's attention weights averaged over heads, [B, T, T], beside the output.
    /// </summary>
    public MultiheadAttentionOnnxOutput ExportOnnxWithAttention(OnnxGraphBuilder graph, OnnxValue input, OnnxValue? lengths, bool causal, string scope)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(input);
        var masks = AttentionMasksOnnx.Build(graph, input, lengths, causal, scope);
        var x = input;
        OnnxValue? weights = null;
        for (int i = 0; i < _layers.Length; i++)
        {
            var layer = _layers[i].ExportWithMasks(graph, x, masks.PaddingBias, masks.CausalBias, OnnxExport.Join(scope, "layers." + i));
            (x, weights) = (layer.Output, layer.AveragedWeights);
        }
        return new MultiheadAttentionOnnxOutput(Norm is null ? x : OnnxExport.Module(graph, Norm, x, OnnxExport.Join(scope, "norm")), weights!);
    }
}
