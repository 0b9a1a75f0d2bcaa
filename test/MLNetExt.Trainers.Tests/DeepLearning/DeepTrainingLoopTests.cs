using MLNetExt.Trainers.DeepLearning;

namespace MLNetExt.Trainers.Tests.DeepLearning;

public class DeepTrainingLoopTests
{
    /// <summary>The default deep-trainer settings, with no model family of their own.</summary>
    private sealed class LoopOptions : DeepTrainerOptions;

    [Fact]
    public void LoopRejectsALossThatDoesNotSuitTheTargets()
    {
        var loop = new DeepTrainingLoop(new LoopOptions(), new Core.RandomSource(1));
        var data = DeepTrainingData.ForClasses([0, 1, 2, 3], [2], [0, 1], 2);

        FluentActions.Invoking(() => loop.Run(new Core.Modules.Linear(2, 2), new Core.Losses.MSELoss(), data))
            .Should().Throw<ArgumentException>().WithMessage("*CrossEntropyLoss*");
        FluentActions.Invoking(() => DeepTrainingData.ForClasses([0, 1, 2, 3], [2], [0, 2], 2))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("Row 1 has class 2*");
    }
}
