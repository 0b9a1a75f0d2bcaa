namespace MLNetExt.Data;

/// <summary>
/// The catalog of regression tasks, as ML.NET's <c>RegressionCatalog</c>: trainers are added to
/// <see cref="Trainers"/> as extension methods.
/// </summary>
public sealed partial class RegressionCatalog
{
    internal RegressionCatalog(MLContext context)
    {
        Context = context;
        Trainers = new RegressionTrainers(context);
    }

    /// <summary>The regression trainers.</summary>
    public RegressionTrainers Trainers { get; }

    internal MLContext Context { get; }

    /// <summary>The catalog of regression trainers.</summary>
    public sealed class RegressionTrainers
    {
        internal RegressionTrainers(MLContext context) => Context = context;

        internal MLContext Context { get; }
    }
}
