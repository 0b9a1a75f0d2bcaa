using System.Runtime.CompilerServices;

namespace MLNetExt.Data;

/// <summary>
/// The fixed table of kinds a model file may name, each mapped to the loader that code registered for it. Loading
/// a model only ever calls these loaders: no type named in a file is looked up or instantiated.
/// </summary>
/// <remarks>
/// Each assembly registers its own kinds from a module initializer (a static method marked
/// <see cref="ModuleInitializerAttribute"/>, run by the runtime before any code of that assembly), so a kind is
/// known as soon as its assembly is in use. When a file names a kind not yet registered, the module initializers
/// of the loaded assemblies that build on MLNetExt.Data are run once and the lookup is retried.
/// </remarks>
public static class ModelKindRegistry
{
    private static readonly Dictionary<string, Func<ModelLoadContext, object>> s_loaders = new(StringComparer.Ordinal)
    {
        [TransformerChainPersistence.Kind] = TransformerChainPersistence.Load,
    };

    private static readonly object s_lock = new();
    private static bool s_initializersRun;

    /// <summary>Registers the loader of <paramref name="kind"/>.</summary>
    /// <param name="kind">The kind, as the saving object passes it to <see cref="ModelSaveContext.SetKind"/>.</param>
    /// <param name="loader">Rebuilds the object from what it saved.</param>
    /// <exception cref="InvalidOperationException">Another loader is already registered for <paramref name="kind"/>.</exception>
    public static void Register(string kind, Func<ModelLoadContext, object> loader)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentNullException.ThrowIfNull(loader);
        lock (s_lock)
        {
            if (s_loaders.TryGetValue(kind, out var existing))
            {
                if (existing == loader)
                    return;
                throw new InvalidOperationException($"A loader is already registered for model kind '{kind}'.");
            }
            s_loaders.Add(kind, loader);
        }
    }

    /// <summary>Whether a loader is registered for <paramref name="kind"/>.</summary>
    /// <param name="kind">The kind.</param>
    public static bool IsRegistered(string kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        lock (s_lock)
            return s_loaders.ContainsKey(kind);
    }

    /// <summary>The registered kinds, sorted.</summary>
    public static IReadOnlyList<string> Kinds
    {
        get
        {
            lock (s_lock)
                return [.. s_loaders.Keys.Order(StringComparer.Ordinal)];
        }
    }

    internal static Func<ModelLoadContext, object>? Find(string kind)
    {
        lock (s_lock)
        {
            if (s_loaders.TryGetValue(kind, out var loader))
                return loader;
        }
        RunModuleInitializersOnce();
        lock (s_lock)
            return s_loaders.GetValueOrDefault(kind);
    }

    private static void RunModuleInitializersOnce()
    {
        lock (s_lock)
        {
            if (s_initializersRun)
                return;
            s_initializersRun = true;
        }
        string dataName = typeof(ModelKindRegistry).Assembly.GetName().Name!;
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (assembly.IsDynamic || !assembly.GetReferencedAssemblies().Any(a => a.Name == dataName))
                continue;
            RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle);
        }
    }
}
