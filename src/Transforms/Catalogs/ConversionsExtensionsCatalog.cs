using MLNetExt.Transforms.Conversion;

namespace MLNetExt.Data;

/// <summary>The type conversions of <c>mlContext.Transforms.Conversion</c>, as ML.NET's <c>ConversionsExtensionsCatalog</c>.</summary>
public static class ConversionsExtensionsCatalog
{
    /// <summary>Learns the values of a column and maps them to keys; see <see cref="ValueToKeyMappingEstimator"/>.</summary>
    /// <param name="catalog">The conversion transforms catalog.</param>
    /// <param name="outputColumnName">The key column to add.</param>
    /// <param name="inputColumnName">The column to map; null means <paramref name="outputColumnName"/>.</param>
    /// <param name="maximumNumberOfKeys">The most values kept; at least 1.</param>
    /// <param name="keyOrdinality">How the kept values are ordered, which decides their keys.</param>
    /// <param name="addKeyValueAnnotationsAsText">Whether the key-value annotation holds text instead of the input's type.</param>
    public static ValueToKeyMappingEstimator MapValueToKey(this TransformsCatalog.ConversionTransforms catalog,
        string outputColumnName, string? inputColumnName = null, int maximumNumberOfKeys = 1_000_000,
        ValueToKeyMappingEstimator.KeyOrdinality keyOrdinality = ValueToKeyMappingEstimator.KeyOrdinality.ByOccurrence,
        bool addKeyValueAnnotationsAsText = false)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new ValueToKeyMappingEstimator(new ValueToKeyMappingEstimator.Options
        {
            OutputColumnName = outputColumnName,
            InputColumnName = inputColumnName,
            MaximumNumberOfKeys = maximumNumberOfKeys,
            KeyOrdinality = keyOrdinality,
            AddKeyValueAnnotationsAsText = addKeyValueAnnotationsAsText,
        });
    }

    /// <summary>
    /// Learns the values of a column and maps them to keys, with MLNetExt's minimum count and reserved unknown key;
    /// see <see cref="ValueToKeyMappingEstimator"/>.
    /// </summary>
    /// <param name="catalog">The conversion transforms catalog.</param>
    /// <param name="options">The settings; validated here.</param>
    public static ValueToKeyMappingEstimator MapValueToKey(this TransformsCatalog.ConversionTransforms catalog,
        ValueToKeyMappingEstimator.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new ValueToKeyMappingEstimator(options);
    }

    /// <summary>Maps keys back to the values of their <c>KeyValues</c> annotation; see <see cref="KeyToValueMappingEstimator"/>.</summary>
    /// <param name="catalog">The conversion transforms catalog.</param>
    /// <param name="outputColumnName">The value column to add.</param>
    /// <param name="inputColumnName">The key column; null means <paramref name="outputColumnName"/>.</param>
    public static KeyToValueMappingEstimator MapKeyToValue(this TransformsCatalog.ConversionTransforms catalog,
        string outputColumnName, string? inputColumnName = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new KeyToValueMappingEstimator(outputColumnName, inputColumnName);
    }
}
