using FluentAssertions;

namespace MLNetExt.Core.Tests.Attention;

/// <summary>The fast dropout mask of <see cref="RandomSource"/> (used by Dropout and by attention) against its definition.</summary>
public class DropoutMaskTests
{
    [Theory]
    [InlineData(0.1f)]
    [InlineData(0.5f)]
    [InlineData(0.25f)]
    [InlineData(1f / 3f)]
    [InlineData(0.999f)]
    [InlineData(1f)]
    [InlineData(0f)]
    public void Gives_exactly_the_values_of_the_NextSingle_loop_and_leaves_the_same_state(float p)
    {
        var fast = new RandomSource(21);
        var reference = new RandomSource(21);
        var mask = new float[1000];
        fast.FillDropoutMask(mask, p);
        float keep = 1f - p, scale = keep > 0f ? 1f / keep : 0f;
        var expected = new float[mask.Length];
        for (int i = 0; i < expected.Length; i++) expected[i] = reference.NextSingle() < keep ? scale : 0f;
        mask.Should().Equal(expected);
        fast.NextUInt64().Should().Be(reference.NextUInt64());
    }
}
