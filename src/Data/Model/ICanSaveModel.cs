namespace MLNetExt.Data;

/// <summary>
/// Something that can write itself into a model file, as ML.NET's <c>ICanSaveModel</c>: a transformer (or a part of
/// one) describes itself to a <see cref="ModelSaveContext"/> as a registered kind, its options as JSON, named value
/// lists and named tensors, and nested savable parts. The loader registered for the same kind in
/// <see cref="ModelKindRegistry"/> rebuilds it from a <see cref="ModelLoadContext"/>.
/// </summary>
public interface ICanSaveModel
{
    /// <summary>Writes the object into <paramref name="context"/>; must call <see cref="ModelSaveContext.SetKind"/>.</summary>
    /// <param name="context">Receives the kind, options, values, tensors and nested models.</param>
    void Save(ModelSaveContext context);
}
