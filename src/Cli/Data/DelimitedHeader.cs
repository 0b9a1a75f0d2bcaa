using System.Globalization;
using Microsoft.ML.Data;

namespace MLNetExt.Cli.Data;

/// <summary>
/// The columns of a delimited text file as far as the CLI needs them: their names (from the header, or
/// <c>col0</c>, <c>col1</c>, ... without one) and whether every value seen in the first rows is a number.
/// </summary>
internal sealed class DelimitedHeader
{
    private const int RowsToInspect = 1000;

    private DelimitedHeader(string path, char separator, bool hasHeader, string[] names, bool[] numeric, bool[] boolean)
    {
        Path = path;
        Separator = separator;
        HasHeader = hasHeader;
        Names = names;
        IsNumeric = numeric;
        IsBoolean = boolean;
    }

    public string Path { get; }

    public char Separator { get; }

    public bool HasHeader { get; }

    public IReadOnlyList<string> Names { get; }

    /// <summary>Whether each column's inspected values all parse as numbers (empty, <c>?</c> and <c>NaN</c> count as missing numbers).</summary>
    public IReadOnlyList<bool> IsNumeric { get; }

    /// <summary>Whether each column's inspected values all read as Booleans (true/false, yes/no, 1/0, ...).</summary>
    public IReadOnlyList<bool> IsBoolean { get; }

    /// <summary>The separator given on the command line, or the one the file's extension suggests (tab for .tsv, comma otherwise).</summary>
    public static char SeparatorFor(string path, string? separator) => separator switch
    {
        null or "" => System.IO.Path.GetExtension(path).Equals(".tsv", StringComparison.OrdinalIgnoreCase) ? '\t' : ',',
        "tab" or "\\t" or "\t" => '\t',
        "comma" => ',',
        "semicolon" => ';',
        "space" => ' ',
        { Length: 1 } one when one[0] != '"' => one[0],
        _ => throw new CliException($"--separator '{separator}' is not a single character (use e.g. ',', ';', 'tab')."),
    };

    /// <summary>
    /// The loader columns of a training file: the label (at <paramref name="labelIndex"/>, none when negative) as
    /// <paramref name="labelKind"/>, every other numeric column not in <paramref name="ignored"/> as a Single feature;
    /// the other text columns are listed as skipped.
    /// </summary>
    /// <param name="labelIndex">The label's field, or a negative number for none.</param>
    /// <param name="labelKind">The type the label is loaded as.</param>
    /// <param name="ignored">Columns left out.</param>
    /// <param name="model">The model's name in the error when no feature column is left ("MLP", "autoencoder").</param>
    public (List<TextLoader.Column> Columns, string[] Features, List<string> Skipped) TrainingColumns(int labelIndex, DataKind labelKind,
        IReadOnlyCollection<string> ignored, string model)
    {
        var columns = new List<TextLoader.Column>();
        var features = new List<string>();
        var skipped = new List<string>();
        for (int i = 0; i < Names.Count; i++)
        {
            string name = Names[i];
            if (i == labelIndex)
                columns.Add(new TextLoader.Column(name, labelKind, i));
            else if (ignored.Contains(name))
                continue;
            else if (IsNumeric[i])
            {
                columns.Add(new TextLoader.Column(name, DataKind.Single, i));
                features.Add(name);
            }
            else
                skipped.Add(name);
        }
        if (features.Count == 0)
            throw new CliException($"'{Path}' has no numeric feature columns{(labelIndex >= 0 ? " besides the label" : "")}; the {model} needs at least one.");
        return (columns, [.. features], skipped);
    }

    /// <summary>
    /// Reads the header and inspects the first rows of <paramref name="path"/>, within the bounds of
    /// <see cref="DelimitedReader"/>; every record must have one field per column.
    /// </summary>
    public static DelimitedHeader Read(string path, char separator, bool hasHeader)
    {
        using var reader = DelimitedReader.Open(path, separator);
        var fields = new List<string>();
        if (!reader.Next(fields))
            throw new CliException($"Dataset file '{path}' is empty{(reader.LineNumber > 0 ? " (it has only empty or // comment lines)" : "")}.");
        string[] names = hasHeader
            ? [.. fields.Select((name, i) => name.Trim() is { Length: > 0 } trimmed ? trimmed : $"col{i}")]
            : [.. fields.Select((_, i) => $"col{i}")];
        var duplicate = names.Select((name, i) => (name, i)).GroupBy(n => n.name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw reader.Error($"the header names column '{duplicate.Key}' more than once (fields {string.Join(", ", duplicate.Select(d => d.i + 1))}); column names must be unique.");
        var header = new DelimitedHeader(path, separator, hasHeader, names, [.. names.Select(_ => true)], [.. names.Select(_ => true)]);
        var numeric = (bool[])header.IsNumeric;
        var boolean = (bool[])header.IsBoolean;
        int inspected = 0;
        for (bool more = !hasHeader || reader.Next(fields); more && inspected < RowsToInspect; more = reader.Next(fields), inspected++)
        {
            header.CheckWidth(reader, fields);
            for (int i = 0; i < names.Length; i++)
            {
                string value = fields[i];
                numeric[i] &= IsNumber(value);
                boolean[i] &= IsBooleanText(value);
            }
        }
        if (inspected == 0)
            throw new CliException($"Dataset file '{path}' has no data rows.");
        return header;
    }

    /// <summary>
    /// Reads every data record (after the header), checking it as <see cref="Read"/> does, and calls
    /// <paramref name="visit"/> with its line number and fields (the list is reused from one record to the next).
    /// </summary>
    /// <returns>The number of data rows, which is the number of rows ML.NET's text loader reads from the file.</returns>
    public long ForEachRow(Action<int, IReadOnlyList<string>>? visit)
    {
        using var reader = DelimitedReader.Open(Path, Separator);
        var fields = new List<string>();
        if (HasHeader)
            reader.Next(fields);
        long rows = 0;
        while (reader.Next(fields))
        {
            CheckWidth(reader, fields);
            visit?.Invoke(reader.LineNumber, fields);
            rows++;
        }
        return rows;
    }

    /// <summary>The line of data row <paramref name="row"/> (0-based, as ML.NET's cursor positions count); null past the last row.</summary>
    public int? LineOfRow(long row)
    {
        if (row < 0)
            return null;
        using var reader = DelimitedReader.Open(Path, Separator);
        var fields = new List<string>();
        if (HasHeader)
            reader.Next(fields);
        for (long r = 0; reader.Next(fields); r++)
        {
            if (r == row)
                return reader.LineNumber;
        }
        return null;
    }

    /// <summary>
    /// Reads every record and checks each field that will be read as a number or a Boolean: ML.NET's text loader turns a
    /// value it cannot parse into a missing one without a word, so a typo past the inspected rows would otherwise surface
    /// only as a NaN somewhere in training. Every record is checked as <see cref="Read"/> checks the first ones (one field
    /// per column, UTF-8, the bounds of <see cref="DelimitedReader"/>), so the loader that reads the file next reads only
    /// what passed. The error names the file, the line and the column.
    /// </summary>
    /// <param name="columns">The field index and the kind each checked column is loaded as.</param>
    /// <param name="finiteNumbers">Whether a number must also be finite: <c>?</c>, <c>NaN</c> and values beyond Single's range, which load as NaN or infinity, are errors too.</param>
    /// <param name="numberLists">
    /// Text columns that hold numbers separated by spaces (a vector column, see <see cref="NumberListDataView"/>), by field
    /// index, with the count each must hold (null: any); each number must be finite when <paramref name="finiteNumbers"/>.
    /// </param>
    /// <returns>The number of data rows.</returns>
    public long CheckValues(IReadOnlyList<(int Index, Microsoft.ML.Data.DataKind Kind)> columns, bool finiteNumbers = false,
        IReadOnlyDictionary<int, int?>? numberLists = null)
    {
        var checks = columns.Where(c => c.Kind is not Microsoft.ML.Data.DataKind.String).ToArray();
        return ForEachRow((lineNumber, fields) =>
        {
            foreach (var (index, kind) in checks)
            {
                string value = fields[index];
                bool boolean = kind == Microsoft.ML.Data.DataKind.Boolean;
                bool valid = boolean ? value.Length == 0 || IsBooleanText(value) : IsNumber(value) && (!finiteNumbers || IsFiniteNumber(value));
                if (!valid)
                    throw new CliException($"Dataset file '{Path}', line {lineNumber}, column '{Names[index]}': '{Shorten(value)}' is not {(boolean ? "a Boolean" : IsNumber(value) ? "a finite number" : "a number")}.");
            }
            if (numberLists is null)
                return;
            foreach (var (index, size) in numberLists)
            {
                int count = 0;
                foreach (string item in fields[index].Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    count++;
                    bool valid = item is "?" ? !finiteNumbers : float.TryParse(item, NumberStyle, CultureInfo.InvariantCulture, out float number) && (!finiteNumbers || float.IsFinite(number));
                    if (!valid)
                        throw new CliException($"Dataset file '{Path}', line {lineNumber}, column '{Names[index]}': '{Shorten(item)}' is not a {(finiteNumbers ? "finite " : "")}number; the column holds numbers separated by spaces.");
                }
                if (size is { } expected && count != expected)
                    throw new CliException($"Dataset file '{Path}', line {lineNumber}, column '{Names[index]}': {count} number(s) where the model reads {expected}, separated by spaces.");
            }
        });
    }

    /// <summary>The index of column <paramref name="name"/>, or a one-line error listing the columns there are.</summary>
    public int IndexOf(string name, string option)
    {
        int index = Array.IndexOf((string[])Names, name);
        if (index < 0)
            throw new CliException($"{option} '{name}' is not a column of '{Path}'; its columns are: {string.Join(", ", Names)}.");
        return index;
    }

    // A sign, digits, a decimal point and an exponent, without blanks: a blank inside quotes is not trimmed by the loader,
    // which then reads no number.
    private const NumberStyles NumberStyle = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    private static bool IsNumber(string value) =>
        value.Length == 0 || value is "?" || value.Equals("NaN", StringComparison.OrdinalIgnoreCase)
        || float.TryParse(value, NumberStyle, CultureInfo.InvariantCulture, out _);

    // An empty field is not missing here: the text loader reads it as 0.
    private static bool IsFiniteNumber(string value) =>
        value.Length == 0 || float.TryParse(value, NumberStyle, CultureInfo.InvariantCulture, out float number) && float.IsFinite(number);

    private static bool IsBooleanText(string value) => value.ToLowerInvariant() is "true" or "false" or "t" or "f" or "yes" or "no" or "y" or "n" or "1" or "0" or "+1" or "-1";

    // One field per column, in every record.
    private void CheckWidth(DelimitedReader reader, List<string> fields)
    {
        if (fields.Count != Names.Count)
            throw reader.Error($"{fields.Count} field(s) where the {(HasHeader ? "header names" : "first record has")} {Names.Count} ({string.Join(", ", Names.Take(10))}{(Names.Count > 10 ? ", ..." : "")}); "
                + "every line needs one field per column (quote a field that holds the separator).");
    }

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "...";
}
