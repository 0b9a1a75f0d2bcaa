using MLNetExt.Transforms.WordEmbeddings;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetExt.Transforms;

namespace MLNetExt.Estimators.WordEmbeddings;

/// <summary>
/// What the embedding estimators share: checking the tokens column and reading it as a corpus of sentences, one per
/// row, with empty tokens dropped.
/// </summary>
internal static class TokenCorpus
{
    /// <summary>The output shape of an embedding estimator: the pooled vector and the per-token vectors with their dimension annotation.</summary>
    public static SchemaShape OutputShape(SchemaShape inputSchema, string inputColumnName, string outputColumnName, string tokensColumnName)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var input = ColumnChecks.Find(inputSchema, inputColumnName);
        if (input.IsKey || input.Kind == SchemaShape.Column.VectorKind.Scalar || !input.ItemType.Equals(TextDataViewType.Instance))
            throw ColumnChecks.WrongType(input, WordEmbeddingTransformer.ExpectedInput);
        var dimension = new SchemaShape([ColumnChecks.Shape(WordEmbeddingTransformer.EmbeddingDimensionAnnotation,
            SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.Int32, false)]);
        return new SchemaShape(inputSchema
            .Where(c => c.Name != outputColumnName && c.Name != tokensColumnName)
            .Append(ColumnChecks.Shape(outputColumnName, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, false))
            .Append(ColumnChecks.Shape(tokensColumnName, SchemaShape.Column.VectorKind.VariableVector, NumberDataViewType.Single, false, dimension)));
    }

    /// <summary>The tokens column of <paramref name="input"/>, checked to be a vector of text.</summary>
    public static DataViewSchema.Column FindTokens(IDataView input, string inputColumnName)
    {
        var column = ColumnChecks.Find(input.Schema, inputColumnName, nameof(input));
        if (!WordEmbeddingTransformer.IsTokens(column.Type))
            throw ColumnChecks.WrongType(column.Name, WordEmbeddingTransformer.ExpectedInput, column.Type, nameof(input));
        return column;
    }

    /// <summary>Every row's tokens as a sentence (empty tokens dropped; rows without tokens kept as empty sentences).</summary>
    /// <exception cref="InvalidOperationException">The column holds no token at all; the message names it.</exception>
    public static List<IReadOnlyList<string>> Read(IDataView input, DataViewSchema.Column tokens, CancellationToken cancellationToken)
    {
        var sentences = new List<IReadOnlyList<string>>();
        long words = 0;
        using var cursor = input.GetRowCursor([tokens]);
        var getter = cursor.GetGetter<VBuffer<ReadOnlyMemory<char>>>(tokens);
        VBuffer<ReadOnlyMemory<char>> buffer = default;
        var sentence = new List<string>();
        while (cursor.MoveNext())
        {
            cancellationToken.ThrowIfCancellationRequested();
            getter(ref buffer);
            sentence.Clear();
            foreach (var token in buffer.GetValues())
            {
                if (!token.IsEmpty)
                    sentence.Add(token.ToString());
            }
            words += sentence.Count;
            sentences.Add([.. sentence]);
        }
        if (words == 0)
            throw new InvalidOperationException(sentences.Count == 0
                ? $"Column '{tokens.Name}' has no rows: word embeddings need a corpus to learn from."
                : $"Column '{tokens.Name}' holds no tokens in any of its {sentences.Count} rows: word embeddings need a corpus to learn from.");
        return sentences;
    }

    /// <summary>The error when no word of the column reaches the minimum count, naming the column, the option and the most frequent word.</summary>
    public static InvalidOperationException BelowMinCount(string column, IReadOnlyList<IReadOnlyList<string>> sentences, int minCount, string option)
    {
        var top = sentences.SelectMany(s => s).GroupBy(w => w, StringComparer.Ordinal)
            .Select(g => (Word: g.Key, Count: g.Count())).MaxBy(e => e.Count);
        return new InvalidOperationException(
            $"Column '{column}': no word occurs at least {minCount} times ({option} = {minCount}); the most frequent, '{top.Word}', occurs {top.Count} time(s). Lower {option} or train on more text.");
    }
}
