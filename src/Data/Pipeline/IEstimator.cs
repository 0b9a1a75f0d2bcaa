namespace MLNetExt.Data;

/// <summary>
/// Something that learns a transformer from data, as ML.NET's <c>IEstimator&lt;TTransformer&gt;</c>.
/// </summary>
/// <typeparam name="TTransformer">The transformer <see cref="Fit"/> produces.</typeparam>
public interface IEstimator<out TTransformer> where TTransformer : ITransformer
{
    /// <summary>Learns from <paramref name="input"/> and returns the fitted transformer; the input is not changed.</summary>
    /// <param name="input">The training data.</param>
    TTransformer Fit(IDataView input);

    /// <summary>
    /// The shape of the fitted transformer's output for an input of shape <paramref name="inputSchema"/>, checking
    /// that the needed columns are present with the right types, without fitting.
    /// </summary>
    /// <param name="inputSchema">The input's shape.</param>
    /// <exception cref="ArgumentOutOfRangeException">A needed column is missing or has the wrong type.</exception>
    SchemaShape GetOutputSchema(SchemaShape inputSchema);
}
