using MLNetExt.Core;
using MLNetExt.Core.Losses;
using MLNetExt.Trainers.Attention;

namespace MLNetExt.Trainers.Tests.Attention;

/// <summary>
/// Runs alone, after the parallel tests: an allocation count is only meaningful while no other test changes
/// <see cref="Engine.ThreadCount"/>, which sends kernels down other paths.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationCountingCollection
{
    public const string Name = "Attention allocation counting";
}

/// <summary>The attention networks' training steps reuse every buffer once warm.</summary>
[Collection(AllocationCountingCollection.Name)]
public class AttentionNetworkAllocationTests
{
    [Theory]
    [InlineData(AttentionClassifierKind.RecurrentAttention)]
    [InlineData(AttentionClassifierKind.Hierarchical)]
    [InlineData(AttentionClassifierKind.Transformer)]
    public void A_steady_state_training_step_allocates_nothing(AttentionClassifierKind kind)
    {
        var architecture = AttentionNetworkTests.Architecture(kind);
        architecture.Dropout = 0.1f;
        var network = AttentionNetworks.Create(architecture, new RandomSource(20));
        var rows = kind == AttentionClassifierKind.Hierarchical
            ? Tensor.FromValues([2, 3, 1, 0, 4, 5, 6, 0, 7, 0, 0, 0, 0, 0, 0, 0, 1, 4, 0, 0, 8, 9, 3, 2, 0, 0, 0, 0, 0, 0, 0, 0], 2, 16)
            : Tensor.FromValues([3, 4, 5, 6, 0, 4, 7, 8, 9, 10], 2, 5);
        var labels = Tensor.FromValues([0f, 1f], 2);
        var loss = new CrossEntropyLoss();
        var tape = new Core.Autograd.Tape();
        void Step()
        {
            tape.Reset();
            tape.Backward(loss.Forward(network.Forward(rows, tape), labels, tape));
        }

        Step();
        Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        Step();
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0, "buffers are reused across steps");
    }
}
