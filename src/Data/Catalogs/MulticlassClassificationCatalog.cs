namespace MLNetExt.Data;

/// <summary>
/// The catalog of multiclass classification tasks, as ML.NET's <c>MulticlassClassificationCatalog</c>: trainers are added to
/// <see cref="Trainers"/> as extension methods.
/// </summary>
public sealed partial class MulticlassClassificationCatalog
{
    internal MulticlassClassificationCatalog(MLContext context)
    {
        Context = context;
        Trainers = new MulticlassClassificationTrainers(context);
    }

    /// <summary>The multiclass classification trainers.</summary>
    public MulticlassClassificationTrainers Trainers { get; }

    internal MLContext Context { get; }

    /// <summary>The catalog of multiclass classification trainers.</summary>
    public sealed class MulticlassClassificationTrainers
    {
        internal MulticlassClassificationTrainers(MLContext context) => Context = context;

        internal MLContext Context { get; }
    }
}
