using MLNetExt.Core;

namespace MLNetExt.Data;

/// <summary>
/// The entry point of every MLNetExt pipeline, as ML.NET's <c>MLContext</c>: it holds the catalogs that create
/// loaders, transforms and trainers, and the seed from which every random choice they make is derived.
/// Components are added to the catalogs as extension methods, by the assemblies that define them.
/// </summary>
public sealed class MLContext
{
    private readonly RandomSource _seeds;
    private readonly object _seedsLock = new();

    /// <summary>Creates a context.</summary>
    /// <param name="seed">
    /// Makes every random choice (splits, shuffles, initial weights) reproducible: two contexts with the same seed,
    /// used the same way, give the same results. Null draws a fresh seed.
    /// </param>
    public MLContext(int? seed = null)
    {
        Seed = seed;
        _seeds = new RandomSource(seed is { } s ? (ulong)(uint)s : (ulong)Random.Shared.NextInt64());
        Data = new DataOperationsCatalog(this);
        Transforms = new TransformsCatalog(this);
        BinaryClassification = new BinaryClassificationCatalog(this);
        MulticlassClassification = new MulticlassClassificationCatalog(this);
        Regression = new RegressionCatalog(this);
        AnomalyDetection = new AnomalyDetectionCatalog(this);
        Model = new ModelOperationsCatalog(this);
    }

    /// <summary>Loading, saving, splitting, shuffling and filtering data.</summary>
    public DataOperationsCatalog Data { get; }

    /// <summary>Data transforms, with text and type-conversion transforms in sub-catalogs.</summary>
    public TransformsCatalog Transforms { get; }

    /// <summary>Binary classification trainers.</summary>
    public BinaryClassificationCatalog BinaryClassification { get; }

    /// <summary>Multiclass classification trainers.</summary>
    public MulticlassClassificationCatalog MulticlassClassification { get; }

    /// <summary>Regression trainers.</summary>
    public RegressionCatalog Regression { get; }

    /// <summary>Anomaly detection trainers.</summary>
    public AnomalyDetectionCatalog AnomalyDetection { get; }

    /// <summary>Operations on trained models.</summary>
    public ModelOperationsCatalog Model { get; }

    /// <summary>The seed the context was created with, or null when it drew its own.</summary>
    internal int? Seed { get; }

    /// <summary>
    /// The next seed for a component's own generator: a deterministic sequence for a seeded context, so that each
    /// component gets a different but reproducible stream.
    /// </summary>
    internal ulong NextSeed()
    {
        lock (_seedsLock)
            return _seeds.NextUInt64();
    }

    /// <summary>A generator for a component, seeded with <see cref="NextSeed"/>.</summary>
    internal RandomSource CreateRandomSource() => new(NextSeed());
}
