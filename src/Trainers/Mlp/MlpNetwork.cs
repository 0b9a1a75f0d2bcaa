using MLNetExt.Core;
using MLNetExt.Core.Modules;

namespace MLNetExt.Trainers.Mlp;

/// <summary>Builds the layers of a multi-layer perceptron, the same way for training and for loading a saved one.</summary>
internal static class MlpNetwork
{
    /// <summary>
    /// For each hidden width h: Linear(previous, h), then BatchNorm1d(h) when asked, the activation, and Dropout(p)
    /// when p &gt; 0; then Linear(previous, outputs). Shapes: [N, inputs] → [N, outputs]. Parameter names are
    /// PyTorch's for the same <c>nn.Sequential</c>.
    /// </summary>
    public static Sequential Build(int inputs, IReadOnlyList<int> hiddenLayers, int outputs, MlpActivation activation,
        float dropoutRate, bool useBatchNorm, RandomSource random)
    {
        var layers = new List<Module>();
        int previous = inputs;
        foreach (int width in hiddenLayers)
        {
            layers.Add(new Linear(previous, width, random: random));
            if (useBatchNorm)
                layers.Add(new BatchNorm1d(width));
            layers.Add(Activation(activation));
            if (dropoutRate > 0)
                layers.Add(new Dropout(dropoutRate, random));
            previous = width;
        }
        layers.Add(new Linear(previous, outputs, random: random));
        return new Sequential([.. layers]);
    }

    /// <summary>The layer of <paramref name="activation"/>.</summary>
    internal static Module Activation(MlpActivation activation) => activation switch
    {
        MlpActivation.LeakyReLU => new LeakyReLU(),
        MlpActivation.Tanh => new Tanh(),
        MlpActivation.Gelu => new GELU(),
        MlpActivation.Elu => new ELU(),
        MlpActivation.Sigmoid => new Sigmoid(),
        _ => new ReLU(),
    };
}
