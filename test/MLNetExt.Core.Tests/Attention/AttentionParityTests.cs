using FluentAssertions;
using MLNetExt.Core.Autograd;
using MLNetExt.Core.Modules.Attention;
using MLNetExt.Core.Ops;
using MLNetExt.Core.Tests.Infrastructure;
using static MLNetExt.Core.Tests.Attention.AttentionTesting;

namespace MLNetExt.Core.Tests.Attention;

/// <summary>
/// Parity with PyTorch 1.13 (Reference/generate_attention.py, float64 references): outputs, attention weights and
/// the gradient of every input and parameter, with key padding (a sequence of length 1 among them), causal and
/// additive masks.
/// </summary>
public class AttentionParityTests
{
    [Theory]
    [InlineData("mha_self_padding_causal", "self")]
    [InlineData("mha_cross_padding_float_mask_per_head", "cross")]
    [InlineData("mha_memory_no_mask", "memory")]
    public void MultiheadAttention_matches_torch(string name, string kind)
    {
        var r = ReferenceData.Load($"attention/{name}.json");
        var attention = new MultiheadAttention(r.MetaInt("embed_dim"), r.MetaInt("num_heads"));
        LoadParameters(attention, r);
        var query = RequiringGrad(r.Tensor("query"));
        var key = kind == "self" ? query : RequiringGrad(r.Tensor("key"));
        var value = kind == "cross" ? RequiringGrad(r.Tensor("value")) : key;
        bool[] padding = r.Has("lengths") ? PaddingMask(r.Ints("lengths"), key.Dim(1)) : [];
        var mode = r.MetaInt("average") == 1 ? AttentionWeightsMode.Averaged : AttentionWeightsMode.PerHead;

        var tape = new Tape();
        var result = attention.Forward(query, key, value, padding, r.Has("attn_mask") ? r.Tensor("attn_mask") : null,
            causal: r.MetaInt("causal") == 1, weights: mode, tape: tape);
        tape.Backward(TensorOps.Sum(TensorOps.Multiply(result.Output, r.Tensor("d_out"), tape), tape));

        TensorAssert.Close(result.Output, r.Tensor("out"), what: "output");
        TensorAssert.Close(result.Weights!, r.Tensor("weights"), what: "weights");
        CloseGradient(query.Grad!, r.Tensor("grad.query"), "dquery");
        if (kind != "self") CloseGradient(key.Grad!, r.Tensor("grad.key"), "dkey");
        if (kind == "cross") CloseGradient(value.Grad!, r.Tensor("grad.value"), "dvalue");
        AssertParameterGradients(attention, r);
    }

    [Theory]
    [InlineData("encoder_layer_post_relu")]
    [InlineData("encoder_layer_post_gelu_causal")]
    [InlineData("encoder_layer_pre_relu")]
    [InlineData("encoder_layer_pre_gelu")]
    public void TransformerEncoderLayer_matches_torch_in_both_norm_orders_and_activations(string name)
    {
        var r = ReferenceData.Load($"attention/{name}.json");
        var layer = new TransformerEncoderLayer(r.MetaInt("d_model"), r.MetaInt("nhead"), r.MetaInt("dim_feedforward"), dropout: 0f,
            r.MetaInt("gelu") == 1 ? TransformerActivation.Gelu : TransformerActivation.Relu, (float)r.Meta("eps"), r.MetaInt("norm_first") == 1);
        LoadParameters(layer, r);
        var x = RequiringGrad(r.Tensor("x"));

        var tape = new Tape();
        var y = layer.Forward(x, PaddingMask(r.Ints("lengths"), x.Dim(1)), causal: r.MetaInt("causal") == 1, tape: tape);
        tape.Backward(TensorOps.Sum(TensorOps.Multiply(y, r.Tensor("d_out"), tape), tape));

        TensorAssert.Close(y, r.Tensor("out"), what: "output");
        CloseGradient(x.Grad!, r.Tensor("grad.x"), "dx");
        AssertParameterGradients(layer, r);
    }

    [Theory]
    [InlineData("encoder_2layer_pre_final_norm")]
    [InlineData("encoder_2layer_post")]
    public void TransformerEncoder_of_two_layers_matches_torch(string name)
    {
        var r = ReferenceData.Load($"attention/{name}.json");
        int dModel = r.MetaInt("d_model");
        var prototype = new TransformerEncoderLayer(dModel, r.MetaInt("nhead"), r.MetaInt("dim_feedforward"), dropout: 0f, normFirst: r.MetaInt("norm_first") == 1);
        var encoder = new TransformerEncoder(prototype, r.MetaInt("num_layers"), r.MetaInt("final_norm") == 1 ? new Modules.LayerNorm(dModel) : null);
        LoadParameters(encoder, r);
        var x = RequiringGrad(r.Tensor("x"));

        var tape = new Tape();
        var y = encoder.Forward(x, PaddingMask(r.Ints("lengths"), x.Dim(1)), tape: tape);
        tape.Backward(TensorOps.Sum(TensorOps.Multiply(y, r.Tensor("d_out"), tape), tape));

        TensorAssert.Close(y, r.Tensor("out"), what: "output");
        CloseGradient(x.Grad!, r.Tensor("grad.x"), "dx");
        AssertParameterGradients(encoder, r);
    }

    [Theory]
    [InlineData("pooling_additive_query")]
    [InlineData("pooling_additive_learned")]
    [InlineData("pooling_dot_query")]
    [InlineData("pooling_dot_learned")]
    [InlineData("pooling_multiplicative_query")]
    [InlineData("pooling_multiplicative_learned")]
    public void AttentionPooling_matches_torch_with_padding(string name)
    {
        var r = ReferenceData.Load($"attention/{name}.json");
        int inputSize = r.MetaInt("input_size"), querySize = r.MetaInt("query_size");
        bool learned = r.MetaInt("learned") == 1;
        var pooling = name switch
        {
            _ when name.Contains("additive") => AttentionPooling.Additive(inputSize, r.MetaInt("attention_size"), learned ? null : querySize),
            _ when name.Contains("dot") => AttentionPooling.Dot(inputSize, learned),
            _ => AttentionPooling.Multiplicative(inputSize, querySize, learned),
        };
        LoadParameters(pooling, r);
        var h = RequiringGrad(r.Tensor("h"));
        var q = r.Has("q") ? RequiringGrad(r.Tensor("q")) : null;

        var tape = new Tape();
        var result = pooling.Forward(h, PaddingMask(r.Ints("lengths"), h.Dim(1)), q, tape);
        var loss = TensorOps.Add(TensorOps.Sum(TensorOps.Multiply(result.Context, r.Tensor("d_context"), tape), tape),
            TensorOps.Sum(TensorOps.Multiply(result.Weights, r.Tensor("d_weights"), tape), tape), tape);
        tape.Backward(loss);

        TensorAssert.Close(result.Context, r.Tensor("context"), what: "context");
        TensorAssert.Close(result.Weights, r.Tensor("weights"), what: "weights");
        CloseGradient(h.Grad!, r.Tensor("grad.h"), "dh");
        if (q is not null) CloseGradient(q.Grad!, r.Tensor("grad.q"), "dq");
        AssertParameterGradients(pooling, r);
    }

    [Fact]
    public void Sinusoidal_table_matches_the_formula()
    {
        var r = ReferenceData.Load("attention/sinusoidal.json");
        var encoding = new SinusoidalPositionalEncoding(r.MetaInt("d_model"), r.MetaInt("max_len"));
        TensorAssert.Close(encoding.Table, r.Tensor("pe"), what: "pe");
        encoding.NamedBuffers().Select(b => b.Key).Should().Equal("pe");
        encoding.Parameters().Should().BeEmpty();
    }
}
