using MLNetExt.Estimators.TextGeneration;

namespace Microsoft.ML;

/// <summary>The text-generation entries of <c>mlContext.Transforms.Text</c>: the evaluation of generated text against references.</summary>
public static class TextGenerationCatalog
{
    /// <summary>
    /// Scores generated text against references with corpus BLEU, ROUGE-1/2/L and exact match; see
    /// <see cref="TextGenerationEvaluator"/>. Any two text columns will do: a sequence-to-sequence model's output and
    /// the expected text, or texts from elsewhere.
    /// </summary>
    /// <param name="catalog">The text transforms catalog.</param>
    /// <param name="data">The rows to score, each with its generated text and reference(s).</param>
    /// <param name="labelColumnName">The reference column: Text, or a vector of Text (tokens).</param>
    /// <param name="predictedColumnName">The generated column: Text, or a vector of Text (tokens).</param>
    /// <param name="options">Tokenization, case, BLEU's order and smoothing, further reference columns; null means words, case kept, BLEU-4 unsmoothed.</param>
    /// <returns>The metrics over all rows.</returns>
    public static TextGenerationMetrics EvaluateTextGeneration(this TransformsCatalog.TextTransforms catalog, IDataView data,
        string labelColumnName = "Label", string predictedColumnName = "PredictedText", TextGenerationEvaluator.Options? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return TextGenerationEvaluator.Evaluate(data, labelColumnName, predictedColumnName, options);
    }
}
