using FluentAssertions;
using MLNetExt.Core.Modules;
using MLNetExt.Core.Ops;
using MLNetExt.Core.Tests.Infrastructure;
using static MLNetExt.Core.Tests.Layers.LayerTesting;

namespace MLNetExt.Core.Tests.Layers;

[Collection(EngineSettingsCollection.Name)]
public class EmbeddingTests
{
    [Fact]
    public void Matches_pytorch_with_repeated_ids_and_a_padding_row()
    {
        var reference = ReferenceData.Load("layers/embedding.json");
        var layer = new Embedding(7, 4, paddingIdx: reference.MetaInt("padding_idx"));
        layer.Weight.CopyFrom(reference.Tensor("weight"));
        int[] ids = reference.Ints("ids");

        var y = ForwardBackward(t => layer.Forward(ids, [2, 3], t), reference.Tensor("dy"));

        TensorAssert.Close(y, reference.Tensor("y"), what: "y");
        TensorAssert.Close(layer.Weight.Grad!, reference.Tensor("dweight"), what: "dweight");
    }

    [Fact]
    public void Passes_gradient_check_with_two_lookups_in_one_step()
    {
        var layer = new Embedding(5, 3, random: new RandomSource(3));
        int[] first = [0, 4, 4, 1], second = [2, 0, 3, 3];
        GradCheck.Check(t => TensorOps.Add(
                layer.Forward(first, [4], t),
                TensorOps.Scale(TensorOps.Reshape(layer.Forward(second, [2, 2], t), [4, 3], t), 2f, t), t),
            [layer.Weight]);
    }

    // 3,000 ids × 40 columns: past the size at which the lookup is shared among threads, with a partial last block.
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Large_lookups_copy_every_row_on_any_thread_count(int threads)
    {
        var embedding = new Embedding(500, 40, random: new RandomSource(9));
        var random = new RandomSource(10);
        var ids = Enumerable.Range(0, 3000).Select(_ => random.NextInt(500)).ToArray();
        int saved = Engine.ThreadCount;
        Engine.ThreadCount = threads;
        try
        {
            var y = embedding.Forward(ids, [60, 50]);
            y.Shape.ToArray().Should().Equal(60, 50, 40);
            for (int position = 0; position < ids.Length; position++)
                y.Span.Slice(position * 40, 40).ToArray().Should().Equal(embedding.Weight.Span.Slice(ids[position] * 40, 40).ToArray(), $"position {position}");
        }
        finally
        {
            Engine.ThreadCount = saved;
        }
    }

    [Fact]
    public void Float_ids_give_the_same_lookup_and_gradient_as_integer_ids()
    {
        var layer = new Embedding(6, 2, random: new RandomSource(1));
        int[] ids = [5, 0, 5];
        var dy = Random(2, 3, 2);
        var fromInts = ForwardBackward(t => layer.Forward(ids, [3], t), dy).Span.ToArray();
        var gradFromInts = layer.Weight.Grad!.Span.ToArray();
        layer.ZeroGrad();
        var fromFloats = ForwardBackward(t => layer.Forward(Tensor.FromValues([5f, 0f, 5f], 3), t), dy);
        fromFloats.Shape.ToArray().Should().Equal(3, 2);
        fromFloats.Span.ToArray().Should().Equal(fromInts);
        layer.Weight.Grad!.Span.ToArray().Should().Equal(gradFromInts);
        layer.OutputShape([3]).Should().Equal(3, 2);
        layer.OutputShape([4, 7]).Should().Equal(4, 7, 2);
    }

    [Fact]
    public void Padding_row_starts_at_zero_and_never_receives_gradient()
    {
        var layer = new Embedding(4, 3, paddingIdx: -1, random: new RandomSource(9));
        layer.PaddingIdx.Should().Be(3);
        layer.Weight.Span.Slice(9, 3).ToArray().Should().AllBeEquivalentTo(0f);
        layer.Weight.Span[..9].ToArray().Should().NotContain(0f);
        ForwardBackward(t => layer.Forward([3, 1, 3], [3], t), Random(4, 3, 3));
        layer.Weight.Grad!.Span.Slice(9, 3).ToArray().Should().AllBeEquivalentTo(0f);
        layer.Weight.Grad.Span.Slice(3, 3).ToArray().Should().NotContain(0f);
    }

    [Fact]
    public void Initial_weights_are_standard_normal()
    {
        var layer = new Embedding(500, 100, random: new RandomSource(4));
        var values = layer.Weight.Span.ToArray();
        values.Average().Should().BeApproximately(0f, 0.02f);
        values.Select(v => (double)v * v).Average().Should().BeApproximately(1.0, 0.03);
    }

    [Fact]
    public void Bad_ids_are_rejected_with_their_position_and_value()
    {
        var layer = new Embedding(4, 2);
        layer.Invoking(l => l.Forward([0, 1, 2, 7], [2, 2])).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("*position 3 (index [1, 1]) is 7*[0, 4)*").And.ParamName.Should().Be("ids");
        layer.Invoking(l => l.Forward([-1], [1])).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*position 0*is -1*");
        layer.Invoking(l => l.Forward(Tensor.FromValues([1f, 2.5f], 2))).Should().Throw<ArgumentException>()
            .WithMessage("*whole numbers*position 1*2.5*");
        layer.Invoking(l => l.Forward(Tensor.FromValues([4f], 1))).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*is 4*");
        layer.Invoking(l => l.Forward([0, 1, 2], [2, 2])).Should().Throw<ArgumentException>().WithMessage("*3 ids*[2, 2]*");
        FluentActions.Invoking(() => new Embedding(4, 2, paddingIdx: 4)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("paddingIdx");
    }
}
