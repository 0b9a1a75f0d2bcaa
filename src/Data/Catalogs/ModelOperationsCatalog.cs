namespace MLNetExt.Data;

/// <summary>
/// The catalog of operations on trained models, as ML.NET's <c>ModelOperationsCatalog</c>.
/// </summary>
public sealed partial class ModelOperationsCatalog
{
    internal ModelOperationsCatalog(MLContext context) => Context = context;

    internal MLContext Context { get; }
}
