using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using MLNetExt.Data;

namespace MLNetExt.Trainers.WordEmbeddings;

/// <summary>Registers the model kind of the word-embedding transformer, so that saved models holding one load.</summary>
internal static class WordEmbeddingModelKinds
{
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "Registering this assembly's model kinds before any of its code runs is what a module initializer is for.")]
    internal static void Register() => ModelKindRegistry.Register(WordEmbeddingTransformer.Kind, WordEmbeddingTransformer.Load);
}
