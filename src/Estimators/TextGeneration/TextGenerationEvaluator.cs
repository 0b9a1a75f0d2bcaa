using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetExt.Trainers.TextGeneration;

namespace MLNetExt.Estimators.TextGeneration;

/// <summary>
/// Scores a column of generated text against one or more reference columns with BLEU, ROUGE and exact match: what
/// <c>mlContext.Transforms.Text.EvaluateTextGeneration</c> runs. Works on any two text columns, from a
/// sequence-to-sequence model or from anywhere else.
/// </summary>
/// <remarks>
/// <para>Each column is Text, cut into tokens by <see cref="Options.Tokenization"/>, or a vector of Text, taken as its
/// tokens (from ML.NET's <c>TokenizeIntoWords</c>, say); <see cref="Options.LowerCase"/> applies to both. A missing
/// (empty) text is an empty token sequence.</para>
/// <para>BLEU is corpus BLEU (<see cref="BleuStatistics"/>); ROUGE-1, ROUGE-2 and ROUGE-L are the means over rows of each
/// row's scores (<see cref="Rouge"/>), as Google's rouge-score aggregates them.</para>
/// </remarks>
public static class TextGenerationEvaluator
{
    /// <summary>The settings of an evaluation.</summary>
    public sealed class Options
    {
        /// <summary>How a Text column is cut into tokens: words (default) or characters.</summary>
        public GenerationTokenization Tokenization { get; set; } = GenerationTokenization.Whitespace;

        /// <summary>Whether to lower-case the tokens first, so that case does not count. Off by default, as sacrebleu.</summary>
        public bool LowerCase { get; set; }

        /// <summary>BLEU's highest order and smoothing; BLEU-4 without smoothing by default.</summary>
        public BleuOptions Bleu { get; set; } = new();

        /// <summary>Further reference columns beside the label column, for data with several references per row.</summary>
        public string[] AdditionalReferenceColumnNames { get; set; } = [];
    }

    /// <summary>Evaluates <paramref name="predictedColumnName"/> against <paramref name="labelColumnName"/> (and <see cref="Options.AdditionalReferenceColumnNames"/>) over every row of <paramref name="data"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing.</exception>
    /// <exception cref="ArgumentException">A column is neither Text nor a vector of Text, a setting is out of range, or a row's text is longer than ROUGE-L compares (<see cref="Rouge.MaximumLcsTokens"/>; the message names the row).</exception>
    public static TextGenerationMetrics Evaluate(IDataView data, string labelColumnName, string predictedColumnName, Options? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentException.ThrowIfNullOrEmpty(labelColumnName);
        ArgumentException.ThrowIfNullOrEmpty(predictedColumnName);
        options ??= new Options();
        options.Bleu.Check(nameof(options));
        var tokenizer = new GenerationTokenizer(options.Tokenization, options.LowerCase);
        string[] referenceNames = [labelColumnName, .. options.AdditionalReferenceColumnNames ?? []];
        var predicted = Column(data.Schema, predictedColumnName, nameof(predictedColumnName));
        var references = referenceNames.Select(name => Column(data.Schema, name, name == labelColumnName ? nameof(labelColumnName) : nameof(options))).ToArray();

        var bleu = new BleuStatistics(options.Bleu.MaxOrder);
        double[] sums = new double[9];
        long rows = 0, exact = 0;
        using var cursor = data.GetRowCursor([predicted, .. references]);
        var readPredicted = TokenReader(cursor, predicted, tokenizer);
        var readReferences = references.Select(r => TokenReader(cursor, r, tokenizer)).ToArray();
        while (cursor.MoveNext())
        {
            var hypothesis = readPredicted();
            IReadOnlyList<string>[] referenceTokens = [.. readReferences.Select(read => read())];
            bleu.Add(hypothesis, referenceTokens);
            Accumulate(sums, 0, Rouge.N(hypothesis, referenceTokens, 1));
            Accumulate(sums, 3, Rouge.N(hypothesis, referenceTokens, 2));
            try
            {
                Accumulate(sums, 6, Rouge.L(hypothesis, referenceTokens));
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"Row {rows}: {e.Message}", nameof(data), e);
            }
            if (referenceTokens.Any(r => r.SequenceEqual(hypothesis, StringComparer.Ordinal)))
                exact++;
            rows++;
        }
        RougeScore Mean(int at) => rows == 0 ? default : new(sums[at] / rows, sums[at + 1] / rows, sums[at + 2] / rows);
        return new TextGenerationMetrics(bleu.Score(options.Bleu), Mean(0), Mean(3), Mean(6), rows == 0 ? 0 : exact / (double)rows, rows);
    }

    private static void Accumulate(double[] sums, int at, RougeScore score)
    {
        sums[at] += score.Precision;
        sums[at + 1] += score.Recall;
        sums[at + 2] += score.F1;
    }

    private static DataViewSchema.Column Column(DataViewSchema schema, string name, string parameterName)
    {
        var column = schema.GetColumnOrNull(name)
            ?? throw new ArgumentOutOfRangeException(parameterName, $"Could not find column '{name}' (the text-generation evaluator reads it); the data has: {string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => c.Name))}.");
        if (column.Type is not TextDataViewType && column.Type is not VectorDataViewType { ItemType: TextDataViewType })
            throw new ArgumentException($"Column '{name}' has type {column.Type}; the text-generation evaluator reads Text or a vector of Text (tokens).", parameterName);
        return column;
    }

    private static Func<IReadOnlyList<string>> TokenReader(DataViewRowCursor cursor, DataViewSchema.Column column, GenerationTokenizer tokenizer)
    {
        if (column.Type is TextDataViewType)
        {
            var getter = cursor.GetGetter<ReadOnlyMemory<char>>(column);
            ReadOnlyMemory<char> text = default;
            return () =>
            {
                getter(ref text);
                return tokenizer.Tokenize(text.ToString());
            };
        }
        var tokensGetter = cursor.GetGetter<VBuffer<ReadOnlyMemory<char>>>(column);
        VBuffer<ReadOnlyMemory<char>> tokens = default;
        return () =>
        {
            tokensGetter(ref tokens);
            return [.. tokens.DenseValues().Where(t => !t.IsEmpty).Select(t => tokenizer.LowerCase ? t.ToString().ToLowerInvariant() : t.ToString())];
        };
    }
}
