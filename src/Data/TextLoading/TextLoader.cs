namespace MLNetExt.Data;

/// <summary>
/// Reads delimited text files (CSV, TSV) as data views, as ML.NET's <c>TextLoader</c>. Made by
/// <c>MLContext.Data.LoadFromTextFile</c>.
/// </summary>
/// <remarks>
/// <para>Format: one record per line; fields split by any of <see cref="Options.Separators"/>; with
/// <see cref="Options.AllowQuoting"/>, a field may be enclosed in double quotes (RFC 4180) to hold separators,
/// and <c>""</c> inside stands for one quote. Empty lines and lines starting with <c>//</c> are skipped.</para>
/// <para>Missing values (an empty or absent field): NaN for Single and Double (as are <c>?</c> and <c>NaN</c>),
/// empty for text; Int32, UInt32, Boolean and keys have no missing value, so an empty field is an error.
/// Keys are written 0-based in the file and loaded as value + 1 (0 being ML.NET's missing key).</para>
/// <para>Rows are read lazily: a cursor streams the file and parses a field only when its getter is called.</para>
/// </remarks>
public sealed class TextLoader
{
    private readonly Options _options;
    private readonly TextColumnLayout[] _layout;

    internal TextLoader(Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.AllowSparse)
            throw new NotSupportedException($"{nameof(Options.AllowSparse)}: the sparse text format is not supported by MLNetExt; write the file dense.");
        if (options.Separators is not { Length: > 0 } || options.Separators.Any(c => c is '"' or '\n' or '\r'))
            throw new ArgumentException($"{nameof(Options.Separators)} must hold at least one separator, and neither a quote nor a line break.", nameof(options));
        if (options.Columns is not { Length: > 0 })
            throw new ArgumentException($"{nameof(Options.Columns)} must describe at least one column.", nameof(options));
        if (options.MaxRows is < 0)
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxRows, $"{nameof(Options.MaxRows)} must not be negative.");
        _options = options;
        _layout = [.. options.Columns.Select(TextColumnLayout.From)];
        var builder = new DataViewSchema.Builder();
        foreach (var column in _layout)
            builder.AddColumn(column.Name, column.Type);
        Schema = builder.ToSchema();
    }

    /// <summary>The schema of the data views this loader makes.</summary>
    public DataViewSchema GetOutputSchema() => Schema;

    private DataViewSchema Schema { get; }

    /// <summary>A lazy data view of the file at <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    internal IDataView Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"The text file '{path}' to load does not exist.", path);
        return new TextDataView(path, _options, _layout, Schema);
    }

    /// <summary>Settings of a text loader, as ML.NET's <c>TextLoader.Options</c>.</summary>
    public sealed class Options
    {
        /// <summary>The field separators; default a tab.</summary>
        public char[] Separators { get; set; } = ['\t'];

        /// <summary>Whether the first record is a header to skip.</summary>
        public bool HasHeader { get; set; }

        /// <summary>Whether fields may be enclosed in double quotes (RFC 4180).</summary>
        public bool AllowQuoting { get; set; }

        /// <summary>Whether to trim white space around unquoted fields.</summary>
        public bool TrimWhitespace { get; set; }

        /// <summary>Whether the file uses ML.NET's sparse format; not supported, must stay false.</summary>
        public bool AllowSparse { get; set; }

        /// <summary>Whether a quoted field may span lines (needs <see cref="AllowQuoting"/>).</summary>
        public bool ReadMultilines { get; set; }

        /// <summary>The most rows to read; null reads them all.</summary>
        public long? MaxRows { get; set; }

        /// <summary>The columns to load.</summary>
        public Column[] Columns { get; set; } = [];
    }

    /// <summary>One column of a text loader: a name, a kind, and the fields it is read from.</summary>
    public sealed class Column
    {
        /// <summary>A scalar column read from field <paramref name="index"/>.</summary>
        /// <param name="name">The column name.</param>
        /// <param name="dataKind">The kind of its values.</param>
        /// <param name="index">The 0-based field index.</param>
        public Column(string name, DataKind dataKind, int index) : this(name, dataKind, [new Range(index)])
        {
        }

        /// <summary>A vector column read from fields <paramref name="minIndex"/> to <paramref name="maxIndex"/> inclusive.</summary>
        /// <param name="name">The column name.</param>
        /// <param name="dataKind">The kind of its items.</param>
        /// <param name="minIndex">The first 0-based field index.</param>
        /// <param name="maxIndex">The last 0-based field index.</param>
        public Column(string name, DataKind dataKind, int minIndex, int maxIndex)
            : this(name, dataKind, [new Range(minIndex, maxIndex)])
        {
        }

        /// <summary>A column read from the given field ranges: a scalar when they name one field, else a vector.</summary>
        /// <param name="name">The column name.</param>
        /// <param name="dataKind">The kind of its values.</param>
        /// <param name="source">The field ranges, in order.</param>
        /// <param name="keyCount">When given, the column holds keys (<paramref name="dataKind"/> must be UInt32).</param>
        public Column(string name, DataKind dataKind, Range[] source, KeyCount? keyCount = null)
        {
            ArgumentException.ThrowIfNullOrEmpty(name);
            ArgumentNullException.ThrowIfNull(source);
            if (source.Length == 0)
                throw new ArgumentException($"Column '{name}' needs at least one source range.", nameof(source));
            if (!Enum.IsDefined(dataKind))
                throw new ArgumentOutOfRangeException(nameof(dataKind), dataKind, $"Column '{name}': unsupported data kind.");
            if (keyCount is not null && dataKind != DataKind.UInt32)
                throw new ArgumentException($"Column '{name}' has a key count, so its data kind must be UInt32, not {dataKind}.", nameof(keyCount));
            Name = name;
            DataKind = dataKind;
            Source = source;
            KeyCount = keyCount;
        }

        /// <summary>The column name.</summary>
        public string Name { get; }

        /// <summary>The kind of its values.</summary>
        public DataKind DataKind { get; }

        /// <summary>The field ranges it is read from.</summary>
        public Range[] Source { get; }

        /// <summary>The key count when the column holds keys.</summary>
        public KeyCount? KeyCount { get; }

        /// <summary>The dimensions of the vector when it is one, e.g. [C, H, W]; null means one dimension.</summary>
        internal int[]? Dimensions { get; init; }

        /// <summary>Whether the column is a vector even when it reads a single field (an array member).</summary>
        internal bool ForceVector { get; init; }
    }

    /// <summary>An inclusive range of 0-based field indices, as ML.NET's <c>TextLoader.Range</c>.</summary>
    public sealed class Range
    {
        /// <summary>The single field <paramref name="index"/>.</summary>
        /// <param name="index">The 0-based field index.</param>
        public Range(int index) : this(index, index)
        {
        }

        /// <summary>Fields <paramref name="min"/> to <paramref name="max"/>; a null max runs to the end of each record.</summary>
        /// <param name="min">The first 0-based field index.</param>
        /// <param name="max">The last 0-based field index, or null for "to the end of the record".</param>
        public Range(int min, int? max)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(min);
            if (max is { } m && m < min)
                throw new ArgumentOutOfRangeException(nameof(max), max, $"The range's end must not come before its start ({min}).");
            Min = min;
            Max = max;
        }

        /// <summary>The first field index.</summary>
        public int Min { get; }

        /// <summary>The last field index (inclusive), or null for "to the end of the record".</summary>
        public int? Max { get; }
    }
}
