using MLNetExt.Core;
using MLNetExt.Trainers.Autoencoders;
using MLNetExt.Trainers.Mlp;

namespace MLNetExt.Trainers.Tests.Autoencoders;

/// <summary>
/// <see cref="ReconstructionErrors.ScoreRows"/> over several chunks: on two engine threads the dense kinds score whole
/// chunks on each thread, and the scores must be bitwise those of one thread (and of a second run, which reuses the
/// threads' buffers); the other kinds keep the sequential path.
/// </summary>
public class ReconstructionErrorsTests
{
    [Theory]
    [InlineData(AutoencoderKind.Dense, false, false, 1000)]
    [InlineData(AutoencoderKind.Dense, true, false, 600)]
    [InlineData(AutoencoderKind.Sparse, false, true, 513)]
    [InlineData(AutoencoderKind.Variational, false, false, 700)]
    public void Scores_are_bitwise_the_same_on_one_and_two_threads(AutoencoderKind kind, bool batchNorm, bool tied, int rows)
    {
        const int features = 12;
        var random = new RandomSource(5);
        var network = AutoencoderNetwork.Build(new AutoencoderArchitecture
        {
            Kind = kind,
            FeatureCount = features,
            HiddenLayers = [16, 8],
            CodeSize = 4,
            Activation = MlpActivation.ReLU,
            UseBatchNorm = batchNorm,
            TiedWeights = tied,
            SparsityTarget = 0.05f,
            ReconstructionLoss = AutoencoderReconstructionLoss.MeanSquaredError,
        }, random);
        if (batchNorm)
        {
            // Non-trivial running statistics, so that evaluation mode's normalization does something.
            network.Train();
            var warm = new Tensor(64, features);
            random.FillGaussian(warm.Span, 0.5f, 2f);
            network.Forward(warm);
        }
        var inputs = new float[rows * features];
        random.FillGaussian(inputs, 0f, 1f);
        int saved = Engine.ThreadCount;
        try
        {
            Engine.ThreadCount = 1;
            var one = ReconstructionErrors.ScoreRows(network, inputs);
            Engine.ThreadCount = 2;
            var two = ReconstructionErrors.ScoreRows(network, inputs);
            var again = ReconstructionErrors.ScoreRows(network, inputs);
            Assert.Equal(rows, one.Length);
            Assert.All(one, score => Assert.True(float.IsFinite(score) && score > 0f));
            for (int i = 0; i < rows; i++)
            {
                Assert.Equal(BitConverter.SingleToInt32Bits(one[i]), BitConverter.SingleToInt32Bits(two[i]));
                Assert.Equal(BitConverter.SingleToInt32Bits(one[i]), BitConverter.SingleToInt32Bits(again[i]));
            }
        }
        finally
        {
            Engine.ThreadCount = saved;
        }
    }
}
