using FluentAssertions;
using MLNetExt.Core.Autograd;
using MLNetExt.Core.Modules;
using MLNetExt.Core.Ops;
using MLNetExt.Core.Tests.Infrastructure;

namespace MLNetExt.Core.Tests.Layers;

[Collection(EngineSettingsCollection.Name)]
public class TrainingStepTests
{
    [Fact]
    public void Steady_state_step_through_every_layer_reuses_the_arena_and_allocates_nothing()
    {
        var embedding = new Embedding(10, 4, paddingIdx: 0, random: new RandomSource(1));
        var norm = new LayerNorm(4);
        var flatten = new Flatten();
        var batchNorm = new BatchNorm1d(12);
        var dropout = new Dropout(0.25f, new RandomSource(2));
        int[] ids = [1, 2, 0, 3, 9, 9, 4, 5, 6, 7, 8, 1], idShape = [4, 3];
        var tape = new Tape();
        Tensor Step()
        {
            tape.Reset();
            var x = embedding.Forward(ids, idShape, tape);
            x = flatten.Forward(norm.Forward(x, tape), tape);
            x = dropout.Forward(batchNorm.Forward(x, tape), tape);
            var loss = TensorOps.Mean(TensorOps.Multiply(x, x, tape), tape);
            tape.Backward(loss);
            return loss;
        }

        var first = Step();
        Step().Should().BeSameAs(first);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Step();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        allocated.Should().Be(0, "buffers are reused across steps");
        embedding.Weight.Grad!.Span[..4].ToArray().Should().AllBeEquivalentTo(0f, "the padding row gets no gradient");
        batchNorm.NumBatchesTracked!.Data[0].Should().Be(3f);
    }
}
