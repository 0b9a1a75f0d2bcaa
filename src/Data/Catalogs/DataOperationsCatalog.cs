using System.Reflection;

namespace MLNetExt.Data;

/// <summary>
/// Loading, splitting, shuffling and filtering data, as ML.NET's <c>DataOperationsCatalog</c>
/// (<c>MLContext.Data</c>). Every operation is lazy: it returns a view, and rows are read only when a cursor asks.
/// </summary>
public sealed partial class DataOperationsCatalog
{
    internal DataOperationsCatalog(MLContext context) => Context = context;

    internal MLContext Context { get; }

    /// <summary>
    /// A data view over <paramref name="data"/>: one column per public field and property of
    /// <typeparamref name="TRow"/> (see <see cref="SchemaDefinition.Create"/>), read from the objects only as
    /// cursors reach them, so <paramref name="data"/> may be lazy or endless.
    /// </summary>
    /// <typeparam name="TRow">The row class.</typeparam>
    /// <param name="data">The rows; enumerated once per cursor.</param>
    /// <param name="schemaDefinition">Overrides the columns derived from the attributes; null uses them.</param>
    public IDataView LoadFromEnumerable<TRow>(IEnumerable<TRow> data, SchemaDefinition? schemaDefinition = null)
        where TRow : class
    {
        ArgumentNullException.ThrowIfNull(data);
        return new EnumerableDataView<TRow>(data, RowTypeBinding<TRow>.ForReading(schemaDefinition));
    }

    /// <summary>
    /// The rows of <paramref name="data"/> as <typeparamref name="TRow"/> objects, each member filled from the
    /// column of its name (or <see cref="ColumnNameAttribute"/>). Lazy: each enumeration opens a cursor.
    /// </summary>
    /// <typeparam name="TRow">The row class.</typeparam>
    /// <param name="data">The data view to read.</param>
    /// <param name="reuseRowObject">Whether to fill one object for every row instead of a new one per row.</param>
    /// <param name="ignoreMissingColumns">Whether members with no matching column are left at their defaults instead of failing.</param>
    /// <exception cref="ArgumentOutOfRangeException">A member's column is missing or has another type.</exception>
    public IEnumerable<TRow> CreateEnumerable<TRow>(IDataView data, bool reuseRowObject, bool ignoreMissingColumns = false)
        where TRow : class, new()
    {
        ArgumentNullException.ThrowIfNull(data);
        return RowEnumerable.Create<TRow>(data, reuseRowObject, ignoreMissingColumns);
    }

    /// <summary>
    /// A lazy data view of a delimited text file whose columns are the members of <typeparamref name="TInput"/>,
    /// each placed by its <see cref="LoadColumnAttribute"/>. See <see cref="TextLoader"/> for the format.
    /// </summary>
    /// <typeparam name="TInput">The row class; every mapped member needs a <see cref="LoadColumnAttribute"/>.</typeparam>
    /// <param name="path">The file.</param>
    /// <param name="separatorChar">The field separator.</param>
    /// <param name="hasHeader">Whether the first record is a header to skip.</param>
    /// <param name="allowQuoting">Whether fields may be enclosed in double quotes.</param>
    /// <param name="trimWhitespace">Whether to trim white space around unquoted fields.</param>
    /// <param name="allowSparse">Must be false: the sparse format is not supported.</param>
    public IDataView LoadFromTextFile<TInput>(string path, char separatorChar = '\t', bool hasHeader = false,
        bool allowQuoting = false, bool trimWhitespace = false, bool allowSparse = false) =>
        LoadFromTextFile<TInput>(path, new TextLoader.Options
        {
            Separators = [separatorChar],
            HasHeader = hasHeader,
            AllowQuoting = allowQuoting,
            TrimWhitespace = trimWhitespace,
            AllowSparse = allowSparse,
        });

    /// <summary>
    /// A lazy data view of a delimited text file whose columns are the members of <typeparamref name="TInput"/>;
    /// <paramref name="options"/> gives the format (its <see cref="TextLoader.Options.Columns"/> are ignored).
    /// </summary>
    /// <typeparam name="TInput">The row class; every mapped member needs a <see cref="LoadColumnAttribute"/>.</typeparam>
    /// <param name="path">The file.</param>
    /// <param name="options">The format.</param>
    public IDataView LoadFromTextFile<TInput>(string path, TextLoader.Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var columns = TextColumnsOf(typeof(TInput));
        return new TextLoader(new TextLoader.Options
        {
            Separators = options.Separators,
            HasHeader = options.HasHeader,
            AllowQuoting = options.AllowQuoting,
            TrimWhitespace = options.TrimWhitespace,
            AllowSparse = options.AllowSparse,
            ReadMultilines = options.ReadMultilines,
            MaxRows = options.MaxRows,
            Columns = columns,
        }).Load(path);
    }

    /// <summary>A lazy data view of a delimited text file with the given columns.</summary>
    /// <param name="path">The file.</param>
    /// <param name="columns">The columns to load.</param>
    /// <param name="separatorChar">The field separator.</param>
    /// <param name="hasHeader">Whether the first record is a header to skip.</param>
    /// <param name="allowQuoting">Whether fields may be enclosed in double quotes.</param>
    /// <param name="trimWhitespace">Whether to trim white space around unquoted fields.</param>
    /// <param name="allowSparse">Must be false: the sparse format is not supported.</param>
    public IDataView LoadFromTextFile(string path, TextLoader.Column[] columns, char separatorChar = '\t',
        bool hasHeader = false, bool allowQuoting = false, bool trimWhitespace = false, bool allowSparse = false) =>
        LoadFromTextFile(path, new TextLoader.Options
        {
            Columns = columns,
            Separators = [separatorChar],
            HasHeader = hasHeader,
            AllowQuoting = allowQuoting,
            TrimWhitespace = trimWhitespace,
            AllowSparse = allowSparse,
        });

    /// <summary>A lazy data view of a delimited text file, as <paramref name="options"/> describes it.</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">The format and the columns.</param>
    public IDataView LoadFromTextFile(string path, TextLoader.Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new TextLoader(options).Load(path);
    }

    /// <summary>
    /// Splits <paramref name="data"/> into a train set and a test set holding about <paramref name="testFraction"/>
    /// of the rows. Each row's side is decided by a hash of the seed and its sampling key, so the split is lazy,
    /// reproducible with a seed, and rows sharing a key value stay on one side.
    /// </summary>
    /// <param name="data">The rows to split.</param>
    /// <param name="testFraction">The expected fraction of rows in the test set, in (0, 1).</param>
    /// <param name="samplingKeyColumnName">
    /// A scalar column whose equal values must fall on the same side (e.g. a user id); null splits rows independently.
    /// </param>
    /// <param name="seed">Fixes the split; null takes the next seed of the context.</param>
    public TrainTestData TrainTestSplit(IDataView data, double testFraction = 0.1, string? samplingKeyColumnName = null, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!(testFraction > 0 && testFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "The test fraction must be strictly between 0 and 1.");
        DataViewSchema.Column? keyColumn = null;
        if (samplingKeyColumnName is not null)
        {
            keyColumn = data.Schema.GetColumnOrNull(samplingKeyColumnName) ?? throw new ArgumentOutOfRangeException(
                nameof(samplingKeyColumnName), $"Sampling key column '{samplingKeyColumnName}' not found; the data has: {data.Schema}.");
            SamplingKey.Validate(keyColumn.Value);
        }
        ulong splitSeed = seed is { } s ? (ulong)(uint)s : Context.NextSeed();
        IDataView Side(bool test) => new FilteredDataView(data, keyColumn, cursor =>
        {
            var unit = SamplingKey.Create(cursor, keyColumn, splitSeed);
            return new RowPredicate(() => unit() < testFraction == test);
        });
        return new TrainTestData(Side(test: false), Side(test: true));
    }

    /// <summary>
    /// The rows of <paramref name="input"/> in a pseudo-random order: a pool of <paramref name="shufflePoolSize"/>
    /// rows is kept and a random one emitted at a time, so the order is only as random as the pool is large.
    /// </summary>
    /// <param name="input">The rows to shuffle.</param>
    /// <param name="seed">Fixes the order; null takes the next seed of the context.</param>
    /// <param name="shufflePoolSize">The pool size, at least 1; a pool as large as the data shuffles it fully.</param>
    /// <param name="shuffleSource">Whether to also ask the input for a shuffled cursor when it can shuffle.</param>
    public IDataView ShuffleRows(IDataView input, int? seed = null, int shufflePoolSize = 1000, bool shuffleSource = true)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentOutOfRangeException.ThrowIfLessThan(shufflePoolSize, 1);
        ulong shuffleSeed = seed is { } s ? (ulong)(uint)s : Context.NextSeed();
        return new ShuffledDataView(input, shuffleSeed, shufflePoolSize, shuffleSource);
    }

    /// <summary>The first <paramref name="count"/> rows of <paramref name="input"/>; reads no further.</summary>
    /// <param name="input">The rows.</param>
    /// <param name="count">How many rows to keep, at least 0.</param>
    public IDataView TakeRows(IDataView input, long count)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return new FilteredDataView(input, null, _ =>
        {
            long taken = 0;
            return new RowPredicate(() => ++taken <= count, () => taken >= count);
        }, rows => rows is { } n ? Math.Min(n, count) : null);
    }

    /// <summary>The rows of <paramref name="input"/> after the first <paramref name="count"/>.</summary>
    /// <param name="input">The rows.</param>
    /// <param name="count">How many rows to drop, at least 0.</param>
    public IDataView SkipRows(IDataView input, long count)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return new FilteredDataView(input, null, _ =>
        {
            long seen = 0;
            return new RowPredicate(() => ++seen > count);
        }, rows => rows is { } n ? Math.Max(0, n - count) : null);
    }

    /// <summary>
    /// The rows of <paramref name="input"/> whose value in column <paramref name="columnName"/> lies in
    /// [<paramref name="lowerBound"/>, <paramref name="upperBound"/>); NaN values are dropped.
    /// </summary>
    /// <param name="input">The rows.</param>
    /// <param name="columnName">A scalar Single or Double column.</param>
    /// <param name="lowerBound">The inclusive lower bound.</param>
    /// <param name="upperBound">The exclusive upper bound, greater than <paramref name="lowerBound"/>.</param>
    public IDataView FilterRowsByColumn(IDataView input, string columnName,
        double lowerBound = double.NegativeInfinity, double upperBound = double.PositiveInfinity)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(columnName);
        if (!(lowerBound < upperBound))
            throw new ArgumentOutOfRangeException(nameof(upperBound), upperBound, $"The upper bound must be greater than the lower bound ({lowerBound}).");
        var column = input.Schema.GetColumnOrNull(columnName) ?? throw new ArgumentOutOfRangeException(
            nameof(columnName), $"Column '{columnName}' not found; the data has: {input.Schema}.");
        if (column.Type != NumberDataViewType.Single && column.Type != NumberDataViewType.Double)
            throw new ArgumentOutOfRangeException(nameof(columnName),
                $"Schema mismatch for column '{columnName}': expected Single or Double, got {column.Type}.");
        return new FilteredDataView(input, column, cursor =>
        {
            Func<double> read = ReadAsDouble(cursor, column);
            return new RowPredicate(() => read() is var v && v >= lowerBound && v < upperBound);
        });
    }

    private static Func<double> ReadAsDouble(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        if (column.Type == NumberDataViewType.Single)
        {
            var getter = cursor.GetGetter<float>(column);
            float value = 0;
            return () =>
            {
                getter(ref value);
                return value;
            };
        }
        var doubleGetter = cursor.GetGetter<double>(column);
        double d = 0;
        return () =>
        {
            doubleGetter(ref d);
            return d;
        };
    }

    /// <summary>The text loader columns for the members of <paramref name="type"/>, from their attributes.</summary>
    private static TextLoader.Column[] TextColumnsOf(Type type)
    {
        var definition = SchemaDefinition.Create(type, SchemaDefinition.Direction.Read);
        var columns = new List<TextLoader.Column>();
        foreach (var member in SchemaDefinition.ColumnMembers(type, SchemaDefinition.Direction.Read))
        {
            var load = member.GetCustomAttribute<LoadColumnAttribute>() ?? throw new InvalidOperationException(
                $"Member '{member.Name}' of {type.Name} has no [LoadColumn] attribute; give it one or mark it [NoColumn].");
            var columnType = definition.Single(c => c.MemberName == member.Name);
            var vector = columnType.ColumnType as VectorDataViewType;
            var item = vector?.ItemType ?? (PrimitiveDataViewType)columnType.ColumnType;
            if (vector is null && load.IsRange && load.End != load.Start)
                throw new InvalidOperationException(
                    $"Member '{member.Name}' of {type.Name} loads fields {load.Start} to {load.End}, so it must be an array.");
            columns.Add(new TextLoader.Column(columnType.ColumnName, DataKindOf(item),
                [new TextLoader.Range(load.Start, load.End)], item is KeyDataViewType key ? new KeyCount(key.Count) : null)
            {
                ForceVector = vector is not null,
                Dimensions = vector is { IsKnownSize: true } ? [.. vector.Dimensions] : null,
            });
        }
        return [.. columns];
    }

    private static DataKind DataKindOf(PrimitiveDataViewType type) => type switch
    {
        KeyDataViewType => DataKind.UInt32,
        TextDataViewType => DataKind.String,
        BooleanDataViewType => DataKind.Boolean,
        _ when type == NumberDataViewType.Single => DataKind.Single,
        _ when type == NumberDataViewType.Double => DataKind.Double,
        _ when type == NumberDataViewType.Int32 => DataKind.Int32,
        _ => DataKind.UInt32,
    };
}
