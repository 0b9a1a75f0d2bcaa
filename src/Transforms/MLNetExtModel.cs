using Microsoft.ML;
using MLNetExt.Transforms.Autoencoders;
using MLNetExt.Transforms.Detection;
using MLNetExt.Transforms.Mlp;
using MLNetExt.Transforms.Persistence;
using MLNetExt.Transforms.Saving;
using MLNetExt.Transforms.Sequence;
using MLNetExt.Transforms.WordEmbeddings;

namespace MLNetExt.Transforms;

/// <summary>
/// Reopens MLNetExt's native transformers from an ML.NET model file saved with <c>mlContext.Model.Save</c>: to go on
/// training, to query word vectors, or to score on MLNetExt's engine instead of ONNX Runtime. (Plain ML.NET loads the
/// same file with <c>mlContext.Model.Load</c> and scores it through ONNX.)
/// </summary>
public static class MLNetExtModel
{
    /// <summary>Every MLNetExt transformer saved in the model file, in pipeline order.</summary>
    /// <param name="path">An ML.NET model file.</param>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="InvalidDataException">The file is not an ML.NET model file, or an MLNetExt part of it is damaged; the message names the file, the entry and the problem.</exception>
    public static IReadOnlyList<ITransformer> LoadTransformers(string path) =>
        [.. NativeModelFile.ReadGraphs(path).Select(graph =>
        {
            string source = $"{path}, entry '{graph.EntryName}'";
            return Load(new NativeModelReader(NativeModelFile.StateOf(graph.Model, source), source));
        })];

    /// <summary>The first MLNetExt transformer of type <typeparamref name="TTransformer"/> saved in the model file.</summary>
    /// <typeparam name="TTransformer">The transformer type, e.g. <see cref="WordEmbeddingTransformer"/>.</typeparam>
    /// <param name="path">An ML.NET model file.</param>
    /// <exception cref="InvalidDataException">The file holds no such transformer, or is damaged.</exception>
    public static TTransformer Load<TTransformer>(string path) where TTransformer : class, ITransformer =>
        LoadTransformers(path).OfType<TTransformer>().FirstOrDefault()
        ?? throw new InvalidDataException($"{path}: the model file holds no {typeof(TTransformer).Name}.");

    // The fixed list of kinds a file may name; anything else is refused by name.
    private static ITransformer Load(NativeModelReader reader) => reader.Kind switch
    {
        MlpPredictionTransformer.Kind => MlpPredictionTransformer.Load(reader),
        AutoencoderAnomalyTransformer.Kind => AutoencoderAnomalyTransformer.Load(reader),
        SequencePredictionTransformer.Kind => SequencePredictionTransformer.Load(reader),
        WordEmbeddingTransformer.Kind => WordEmbeddingTransformer.Load(reader),
        SequencePaddingTransformer.Kind => SequencePaddingTransformer.Load(reader),
        YoloDecoderTransformer.Kind => YoloDecoderTransformer.Load(reader),
        var other => throw reader.Invalid($"'{other}' is not a kind of MLNetExt transformer"),
    };
}
