namespace MLNetExt.Core.Tests.Infrastructure;

/// <summary>
/// The test classes that change <see cref="Engine.ThreadCount"/>, and those that count the bytes a kernel allocates,
/// run in this collection, alone: a thread-count change in the middle of an allocation count sends a kernel down
/// another path (a first hand-out to the worker pool, a scratch buffer grown for another split), which allocates.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EngineSettingsCollection
{
    public const string Name = "Engine settings";
}
