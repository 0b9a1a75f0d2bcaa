using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetExt.Cli.Data;

/// <summary>
/// The bounds on the text a sequence model trains on. The sequence trainers pad every row to the longest one, so one
/// very long row multiplies the memory of all the others: each row holds at most <c>--max-tokens</c> words (an
/// error naming the file and line, or, with <c>--truncate</c>, its first words), and the rows padded to the longest
/// hold at most <see cref="MaxPaddedTokens"/> tokens in all.
/// </summary>
internal static class SequenceText
{
    /// <summary>The default of <c>--max-tokens</c>.</summary>
    public const int DefaultMaxTokens = 1000;

    /// <summary>The most tokens of all rows padded to the longest (rows × longest row): 2^26, 256 MiB as floats.</summary>
    public const long MaxPaddedTokens = 1L << 26;

    /// <summary>
    /// Reads the text column (and the tags column of a tagger, which needs one tag per word) of every row: a row of more
    /// than <paramref name="maxTokens"/> words is an error unless <paramref name="truncate"/>, and the rows padded to the
    /// longest (after truncation) must stay within <see cref="MaxPaddedTokens"/>. Words are separated by spaces, as
    /// ML.NET's <c>TokenizeIntoWords</c> splits them.
    /// </summary>
    /// <returns>The number of rows and the words of the longest, as trained on.</returns>
    public static (long Rows, int Longest) Check(DelimitedHeader header, int textIndex, int? tagsIndex, int maxTokens, bool truncate)
    {
        if (maxTokens < 1)
            throw new CliException($"--max-tokens {maxTokens} must be at least 1.");
        int longest = 0, longestLine = 0;
        long rows = header.ForEachRow((line, fields) =>
        {
            int words = CountWords(fields[textIndex]);
            if (words > maxTokens && !truncate)
                throw new CliException($"Dataset file '{header.Path}', line {line}, column '{header.Names[textIndex]}': {words:N0} words, more than --max-tokens {maxTokens:N0}. "
                    + "A sequence model pads every row to the longest, so one long row costs memory for all: raise --max-tokens, or pass --truncate to keep each row's first words.");
            if (tagsIndex is { } tags && CountWords(fields[tags]) is var tagCount && tagCount != words)
                throw new CliException($"Dataset file '{header.Path}', line {line}: {tagCount:N0} tag(s) in column '{header.Names[tags]}' for {words:N0} word(s) in column '{header.Names[textIndex]}'; a tagger needs one tag per word.");
            if (Math.Min(words, maxTokens) > longest)
                (longest, longestLine) = (Math.Min(words, maxTokens), line);
        });
        if (rows * longest > MaxPaddedTokens)
            throw new CliException($"Dataset file '{header.Path}': {rows:N0} rows padded to the longest ({longest:N0} words, line {longestLine}) make {rows * longest:N0} tokens, "
                + $"more than the {MaxPaddedTokens:N0} a sequence model trains on here; lower --max-tokens (with --truncate), or train on fewer rows.");
        return (rows, longest);
    }

    /// <summary>The number of words of <paramref name="text"/>, separated by spaces.</summary>
    public static int CountWords(ReadOnlySpan<char> text)
    {
        int words = 0;
        bool inWord = false;
        foreach (char c in text)
        {
            if (c == ' ')
                inWord = false;
            else if (!inWord)
            {
                inWord = true;
                words++;
            }
        }
        return words;
    }

    /// <summary>The text up to the end of its <paramref name="maxTokens"/>-th word (the text itself when it has no more).</summary>
    public static ReadOnlyMemory<char> FirstWords(ReadOnlyMemory<char> text, int maxTokens)
    {
        var span = text.Span;
        int words = 0;
        bool inWord = false;
        for (int i = 0; i < span.Length; i++)
        {
            if (span[i] == ' ')
            {
                if (inWord && words == maxTokens)
                    return text[..i];
                inWord = false;
            }
            else if (!inWord)
            {
                inWord = true;
                words++;
            }
        }
        return text;
    }

    /// <summary>
    /// <paramref name="data"/> with each of the text <paramref name="columns"/> cut after its first
    /// <paramref name="maxTokens"/> words (<c>--truncate</c>). The view is not part of the saved model: scoring reads
    /// whole rows, one at a time.
    /// </summary>
    public static IDataView Truncate(IDataView data, IReadOnlyCollection<string> columns, int maxTokens) => new TruncatedView(data, columns, maxTokens);

    private sealed class TruncatedView(IDataView source, IReadOnlyCollection<string> columns, int maxTokens) : IDataView
    {
        public bool CanShuffle => source.CanShuffle;

        public DataViewSchema Schema => source.Schema;

        public long? GetRowCount() => source.GetRowCount();

        public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
            new Cursor(source.GetRowCursor(columnsNeeded, rand), this);

        public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
            [.. source.GetRowCursorSet(columnsNeeded, n, rand).Select(cursor => new Cursor(cursor, this))];

        private sealed class Cursor(DataViewRowCursor source, TruncatedView view) : WrappingCursor(source)
        {
            public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
            {
                var getter = Source.GetGetter<TValue>(column);
                if (typeof(TValue) != typeof(ReadOnlyMemory<char>) || !view.Columns.Contains(column.Name))
                    return getter;
                var text = (ValueGetter<ReadOnlyMemory<char>>)(object)getter;
                ValueGetter<ReadOnlyMemory<char>> truncated = (ref ReadOnlyMemory<char> value) =>
                {
                    text(ref value);
                    value = FirstWords(value, view.MaxTokens);
                };
                return (ValueGetter<TValue>)(object)truncated;
            }
        }

        private IReadOnlyCollection<string> Columns => columns;

        private int MaxTokens => maxTokens;
    }
}
