using MLNetExt.Core.Modules.Attention;
using MLNetExt.Core.Ops;
using MLNetExt.Core.Tests.Infrastructure;
using static MLNetExt.Core.Tests.Attention.AttentionTesting;

namespace MLNetExt.Core.Tests.Attention;

/// <summary>Finite-difference checks of the new ops: batched products, the sequence broadcasts, and the fused attention (through MultiheadAttention).</summary>
public class AttentionGradCheckTests
{
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void BatchedMatMul(bool transposeA, bool transposeB)
    {
        var a = Random(1, transposeA ? [2, 4, 3] : [2, 3, 4]);
        var b = Random(2, transposeB ? [2, 5, 4] : [2, 4, 5]);
        GradCheck.Check(t => BatchedMatMulOp.Forward(a, b, transposeA, transposeB, t), [a, b]);
    }

    [Fact]
    public void Sequence_broadcasts()
    {
        var x = Random(3, 2, 3, 4);
        var perSequence = Random(4, 2, 4);
        var table = Random(5, 5, 4);
        GradCheck.Check(t => SequenceBroadcastOps.AddPerSequence(x, perSequence, t), [x, perSequence]);
        GradCheck.Check(t => SequenceBroadcastOps.AddPerPosition(x, table, t), [x, table]);
    }

    [Theory]
    [InlineData("self")]
    [InlineData("memory")]
    [InlineData("cross")]
    public void Multihead_attention_with_every_mask(string kind)
    {
        const int embed = 6, heads = 3, batch = 2, targetLength = 3;
        int sourceLength = kind == "self" ? targetLength : 4;
        var attention = new MultiheadAttention(embed, heads, random: new RandomSource(6));
        Random(7, 3 * embed).Span.CopyTo(attention.InProjBias!.Span);
        var query = Random(8, batch, targetLength, embed);
        var key = kind == "self" ? query : Random(9, batch, sourceLength, embed);
        var value = kind == "cross" ? Random(10, batch, sourceLength, embed) : key;
        bool[] padding = PaddingMask([sourceLength, 2], sourceLength);
        var additive = Random(11, targetLength, sourceLength);
        Tensor[] inputs = kind switch
        {
            "self" => [query, attention.InProjWeight, attention.InProjBias, attention.OutProj.Weight],
            "memory" => [query, key, attention.InProjWeight, attention.InProjBias],
            _ => [query, key, value, attention.InProjWeight, attention.InProjBias],
        };
        GradCheck.Check(t => attention.Forward(query, key, value, padding, additive, causal: true, AttentionWeightsMode.None, t).Output, inputs);
    }

    [Fact]
    public void Attention_pooling_with_a_query()
    {
        var pooling = AttentionPooling.Additive(4, 3, querySize: 2, random: new RandomSource(12));
        var h = Random(13, 2, 3, 4);
        var q = Random(14, 2, 2);
        bool[] padding = PaddingMask([3, 1], 3);
        GradCheck.Check(t => pooling.Forward(h, padding, q, t).Context, [h, q, pooling.W!.Weight, pooling.U!.Weight, pooling.V!.Weight]);
        GradCheck.Check(t => pooling.Forward(h, padding, q, t).Weights, [h, q, pooling.W!.Bias!]);
    }
}
