using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace MLNetExt.Transforms;

/// <summary>
/// The one place where MLNetExt reaches into ML.NET past its public surface, pinned to Microsoft.ML 5.0.1 and
/// checked by a test that fails with a clear message when ML.NET changes:
/// <list type="bullet">
/// <item><see cref="SchemaShape.Column"/> has only an internal constructor (dotnet/machinelearning#3243), yet an
/// estimator's <c>GetOutputSchema</c> must describe the columns it adds;</item>
/// <item>a catalog keeps its <see cref="MLContext"/> (its host environment, which owns the seed) internal, yet a
/// trainer created from <c>mlContext.…Trainers</c> must draw its randomness from that context.</item>
/// </list>
/// </summary>
internal static class MLNetInternals
{
    private static readonly ConstructorInfo SchemaColumnConstructor =
        typeof(SchemaShape.Column).GetConstructor(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public, null,
            [typeof(string), typeof(SchemaShape.Column.VectorKind), typeof(DataViewType), typeof(bool), typeof(SchemaShape)], null)
        ?? throw Changed("SchemaShape.Column(string, VectorKind, DataViewType, bool, SchemaShape)");

    /// <summary>A column shape, as ML.NET's own estimators build them.</summary>
    public static SchemaShape.Column SchemaColumn(string name, SchemaShape.Column.VectorKind kind, DataViewType itemType, bool isKey, SchemaShape? annotations = null) =>
        (SchemaShape.Column)SchemaColumnConstructor.Invoke([name, kind, itemType, isKey, annotations]);

    /// <summary>The host environment behind a catalog (the <see cref="MLContext"/> it came from).</summary>
    /// <param name="catalog">Any of ML.NET's catalogs or sub-catalogs (<c>mlContext.Transforms.Text</c>, <c>mlContext.BinaryClassification.Trainers</c>, …).</param>
    public static IHostEnvironment Environment(object catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        // Every catalog implements ML.NET's internal IInternalCatalog; the trainer sub-catalogs (…Trainers) only
        // explicitly, with no Environment property of their own, so the interface's property is the one to read.
        var internalCatalog = catalog.GetType().GetInterface("Microsoft.ML.Data.IInternalCatalog");
        if (internalCatalog?.GetProperty("Environment")?.GetValue(catalog) is IHostEnvironment environment)
            return environment;
        throw Changed($"{catalog.GetType().Name}.IInternalCatalog.Environment");
    }

    /// <summary>A seed drawn from <paramref name="environment"/> (an <see cref="MLContext"/>): reproducible for an <c>MLContext(seed)</c>, as ML.NET's own trainers are.</summary>
    public static int NextSeed(IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var host = environment.Register("MLNetExt");
        return host is IHost { Rand: var random } ? random.Next() : Random.Shared.Next();
    }

    private static MissingMemberException Changed(string member) =>
        new($"MLNetExt needs ML.NET's internal member {member}, which Microsoft.ML {typeof(MLContext).Assembly.GetName().Version} does not have. MLNetExt is built for Microsoft.ML 5.0.1.");
}
