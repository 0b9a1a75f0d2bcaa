namespace MLNetExt.Data;

/// <summary>
/// The catalog of anomaly detection tasks, as ML.NET's <c>AnomalyDetectionCatalog</c>: trainers are added to
/// <see cref="Trainers"/> as extension methods.
/// </summary>
public sealed partial class AnomalyDetectionCatalog
{
    internal AnomalyDetectionCatalog(MLContext context)
    {
        Context = context;
        Trainers = new AnomalyDetectionTrainers(context);
    }

    /// <summary>The anomaly detection trainers.</summary>
    public AnomalyDetectionTrainers Trainers { get; }

    internal MLContext Context { get; }

    /// <summary>The catalog of anomaly detection trainers.</summary>
    public sealed class AnomalyDetectionTrainers
    {
        internal AnomalyDetectionTrainers(MLContext context) => Context = context;

        internal MLContext Context { get; }
    }
}
