namespace MLNetExt.Data;

/// <summary>Keeps a member out of the schema (ML.NET's <c>NoColumnAttribute</c>).</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = false)]
public sealed class NoColumnAttribute : Attribute
{
}
