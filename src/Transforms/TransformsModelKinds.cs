using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using MLNetExt.Data;
using MLNetExt.Transforms.Conversion;
using MLNetExt.Transforms.Text;

namespace MLNetExt.Transforms;

/// <summary>Registers the model kinds of this assembly's transformers, so that saved models holding them load.</summary>
internal static class TransformsModelKinds
{
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "Registering this assembly's model kinds before any of its code runs is what a module initializer is for.")]
    internal static void Register()
    {
        ModelKindRegistry.Register(WordTokenizingTransformer.Kind, WordTokenizingTransformer.Load);
        ModelKindRegistry.Register(TextNormalizingTransformer.Kind, TextNormalizingTransformer.Load);
        ModelKindRegistry.Register(ValueToKeyMappingTransformer.Kind, ValueToKeyMappingTransformer.Load);
        ModelKindRegistry.Register(KeyToValueMappingTransformer.Kind, KeyToValueMappingTransformer.Load);
        ModelKindRegistry.Register(ColumnConcatenatingTransformer.Kind, ColumnConcatenatingTransformer.Load);
        ModelKindRegistry.Register(ColumnCopyingTransformer.Kind, ColumnCopyingTransformer.Load);
        ModelKindRegistry.Register(SequencePaddingTransformer.Kind, SequencePaddingTransformer.Load);
    }
}
