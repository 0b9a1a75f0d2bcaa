using MLNetExt.Transforms.Text;

namespace MLNetExt.Data;

/// <summary>The text transforms of <c>mlContext.Transforms.Text</c>, as ML.NET's <c>TextCatalog</c>.</summary>
public static class TextCatalog
{
    /// <summary>Splits text into words at <paramref name="separators"/>; see <see cref="WordTokenizingEstimator"/>.</summary>
    /// <param name="catalog">The text transforms catalog.</param>
    /// <param name="outputColumnName">The variable-size vector of text to add.</param>
    /// <param name="inputColumnName">The text (or vector of text) column; null means <paramref name="outputColumnName"/>.</param>
    /// <param name="separators">The characters words are split at; null means a space.</param>
    public static WordTokenizingEstimator TokenizeIntoWords(this TransformsCatalog.TextTransforms catalog,
        string outputColumnName, string? inputColumnName = null, char[]? separators = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new WordTokenizingEstimator(outputColumnName, inputColumnName, separators);
    }

    /// <summary>Changes case and removes diacritics, punctuation or digits; see <see cref="TextNormalizingEstimator"/>.</summary>
    /// <param name="catalog">The text transforms catalog.</param>
    /// <param name="outputColumnName">The normalized column to add.</param>
    /// <param name="inputColumnName">The text (or vector of text) column; null means <paramref name="outputColumnName"/>.</param>
    /// <param name="caseMode">To lower case, upper case, or unchanged.</param>
    /// <param name="keepDiacritics">Whether to keep diacritical marks (é stays é) or remove them (é becomes e).</param>
    /// <param name="keepPunctuations">Whether to keep punctuation characters.</param>
    /// <param name="keepNumbers">Whether to keep digits.</param>
    public static TextNormalizingEstimator NormalizeText(this TransformsCatalog.TextTransforms catalog,
        string outputColumnName, string? inputColumnName = null,
        TextNormalizingEstimator.CaseMode caseMode = TextNormalizingEstimator.CaseMode.Lower,
        bool keepDiacritics = false, bool keepPunctuations = true, bool keepNumbers = true)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new TextNormalizingEstimator(outputColumnName, inputColumnName, caseMode, keepDiacritics, keepPunctuations, keepNumbers);
    }
}
