using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using MLNetExt.Data;

namespace MLNetExt.Trainers.Sequence;

/// <summary>Registers the model kind of the sequence models, so that saved models holding one load.</summary>
internal static class SequenceModelKinds
{
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "Registering this assembly's model kinds before any of its code runs is what a module initializer is for.")]
    internal static void Register() => ModelKindRegistry.Register(SequencePredictionTransformer.Kind, SequencePredictionTransformer.Load);
}
