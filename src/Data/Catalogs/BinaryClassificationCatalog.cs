namespace MLNetExt.Data;

/// <summary>
/// The catalog of binary classification tasks, as ML.NET's <c>BinaryClassificationCatalog</c>: trainers are added to
/// <see cref="Trainers"/> as extension methods.
/// </summary>
public sealed partial class BinaryClassificationCatalog
{
    internal BinaryClassificationCatalog(MLContext context)
    {
        Context = context;
        Trainers = new BinaryClassificationTrainers(context);
    }

    /// <summary>The binary classification trainers.</summary>
    public BinaryClassificationTrainers Trainers { get; }

    internal MLContext Context { get; }

    /// <summary>The catalog of binary classification trainers.</summary>
    public sealed class BinaryClassificationTrainers
    {
        internal BinaryClassificationTrainers(MLContext context) => Context = context;

        internal MLContext Context { get; }
    }
}
