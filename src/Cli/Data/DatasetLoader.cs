using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetExt.Cli.Data;

/// <summary>Makes the text loader columns the CLI reads a dataset with.</summary>
internal static class DatasetLoader
{
    /// <summary>
    /// Loads the file with the given columns (name, kind, field index), quoting allowed, after reading the whole file
    /// within the bounds of <see cref="DelimitedReader"/> and checking that every number and Boolean in them parses and,
    /// when <paramref name="finiteNumbers"/> (the default: every command trains or scores on finite numbers only), that
    /// no number is missing or infinite (see <see cref="DelimitedHeader.CheckValues"/>). ML.NET's text loader then reads
    /// only records that passed, so its own silent fallbacks (an unparsable number read as NaN, a short row padded, a
    /// broken quote read as an empty field) never apply. Text columns read as vectors of numbers separated by spaces
    /// are given as <paramref name="numberLists"/>, by field index, with the count each holds (null: any).
    /// </summary>
    public static IDataView Load(MLContext ml, DelimitedHeader header, IEnumerable<TextLoader.Column> columns, bool finiteNumbers = true,
        IReadOnlyDictionary<int, int?>? numberLists = null)
    {
        TextLoader.Column[] loaded = [.. columns];
        header.CheckValues([.. loaded.SelectMany(c => c.Source.SelectMany(range => Enumerable.Range(range.Min, (range.Max ?? range.Min) - range.Min + 1)).Select(index => (index, c.DataKind)))],
            finiteNumbers, numberLists);
        return ml.Data.LoadFromTextFile(header.Path, new TextLoader.Options
        {
            Separators = [header.Separator],
            HasHeader = header.HasHeader,
            AllowQuoting = true,
            TrimWhitespace = true,
            Columns = loaded,
        });
    }

    /// <summary>
    /// Loads the columns of a model's saved input schema from the file, matched by name, each with the type the model
    /// reads (text, Boolean, numbers; a vector of Single from one field of numbers separated by spaces). A column the
    /// file lacks is an error when <paramref name="required"/> holds its name, and is left out otherwise.
    /// </summary>
    public static IDataView LoadForModel(MLContext ml, DelimitedHeader header, DataViewSchema inputSchema, Func<string, bool> required)
    {
        var columns = new List<TextLoader.Column>();
        var vectors = new Dictionary<string, VectorDataViewType>(StringComparer.Ordinal);
        var numberLists = new Dictionary<int, int?>();
        foreach (var column in inputSchema.Where(c => !c.IsHidden))
        {
            int index = Array.IndexOf((string[])header.Names, column.Name);
            if (index < 0)
            {
                if (required(column.Name))
                    throw new CliException($"The model needs column '{column.Name}', which '{header.Path}' lacks; its columns are: {string.Join(", ", header.Names)}.");
                continue;
            }
            if (column.Type is VectorDataViewType { ItemType: var item } vector && item == NumberDataViewType.Single)
            {
                vectors[column.Name] = vector;
                numberLists[index] = vector.IsKnownSize ? vector.Size : null;
                columns.Add(new TextLoader.Column(column.Name, DataKind.String, index));
            }
            else
            {
                columns.Add(new TextLoader.Column(column.Name, KindOf(column), index));
            }
        }
        if (columns.Count == 0)
            throw new CliException($"'{header.Path}' has none of the columns the model reads.");
        var data = Load(ml, header, columns, numberLists: numberLists);
        return vectors.Count == 0 ? data : new NumberListDataView(data, vectors, header.Path);
    }

    private static DataKind KindOf(DataViewSchema.Column column) => column.Type switch
    {
        TextDataViewType => DataKind.String,
        BooleanDataViewType => DataKind.Boolean,
        var t when t == NumberDataViewType.Single => DataKind.Single,
        var t when t == NumberDataViewType.Double => DataKind.Double,
        var t when t == NumberDataViewType.Int32 => DataKind.Int32,
        var t when t == NumberDataViewType.UInt32 => DataKind.UInt32,
        _ => throw new CliException($"The model's input column '{column.Name}' has type {column.Type}, which the CLI cannot read from text."),
    };
}
