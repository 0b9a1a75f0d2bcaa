using MLNetExt.Trainers.DeepLearning;

namespace MLNetExt.Trainers.Tests.Sequence;

public class TokenClassDataTests
{
    [Fact]
    public void TokenClassesAreCheckedNamingRowAndToken()
    {
        float[] inputs = [1, 2, 3, 4];
        FluentActions.Invoking(() => DeepTrainingData.ForTokenClasses(inputs, [2], [0, 1, 2, -100], 2, 2))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("Row 1, token 0 has class 2*");
        FluentActions.Invoking(() => DeepTrainingData.ForTokenClasses(inputs, [2], [0, 1, 1], 2, 2))
            .Should().Throw<ArgumentException>().WithMessage("*4 token classes are needed, but there are 3*");
        DeepTrainingData.ForTokenClasses(inputs, [2], [0, -100, 1, 1], 2, 2).ClassesPerRow.Should().Be(2);
    }
}
