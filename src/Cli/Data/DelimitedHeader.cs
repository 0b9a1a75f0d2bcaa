using System.Globalization;

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

    /// <summary>Reads the header and inspects the first rows of <paramref name="path"/>.</summary>
    public static DelimitedHeader Read(string path, char separator, bool hasHeader)
    {
        if (!File.Exists(path))
            throw new CliException($"Dataset file '{path}' does not exist.");
        using var reader = new StreamReader(path);
        string? first = NextRecord(reader);
        if (first is null)
            throw new CliException($"Dataset file '{path}' is empty.");
        var firstFields = Split(first, separator);
        string[] names = hasHeader
            ? [.. firstFields.Select((name, i) => name.Trim() is { Length: > 0 } trimmed ? trimmed : $"col{i}")]
            : [.. firstFields.Select((_, i) => $"col{i}")];
        var duplicate = names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new CliException($"Dataset file '{path}' names column '{duplicate.Key}' more than once in its header.");
        var numeric = Enumerable.Repeat(true, names.Length).ToArray();
        var boolean = Enumerable.Repeat(true, names.Length).ToArray();
        int inspected = 0;
        for (string? line = hasHeader ? NextRecord(reader) : first; line is not null && inspected < RowsToInspect; line = NextRecord(reader), inspected++)
        {
            var fields = Split(line, separator);
            for (int i = 0; i < names.Length; i++)
            {
                string value = i < fields.Count ? fields[i].Trim() : "";
                numeric[i] &= IsNumber(value);
                boolean[i] &= IsBooleanText(value);
            }
        }
        if (inspected == 0)
            throw new CliException($"Dataset file '{path}' has no data rows.");
        return new DelimitedHeader(path, separator, hasHeader, names, numeric, boolean);
    }

    /// <summary>
    /// Reads every record and checks each field that will be read as a number or a Boolean: ML.NET's text loader turns a
    /// value it cannot parse into a missing one without a word, so a typo past the inspected rows would otherwise surface
    /// only as a NaN somewhere in training. The error names the file, the line and the column.
    /// </summary>
    /// <param name="columns">The field index and the kind each checked column is loaded as.</param>
    /// <param name="finiteNumbers">Whether a number must also be finite: <c>?</c>, <c>NaN</c> and values beyond Single's range, which load as NaN or infinity, are errors too.</param>
    public void CheckValues(IReadOnlyList<(int Index, Microsoft.ML.Data.DataKind Kind)> columns, bool finiteNumbers = false)
    {
        var checks = columns.Where(c => c.Kind is not Microsoft.ML.Data.DataKind.String).ToArray();
        if (checks.Length == 0)
            return;
        using var reader = new StreamReader(Path);
        int lineNumber = 0;
        string? line;
        bool header = HasHeader;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (line.Length == 0 || line.StartsWith("//", StringComparison.Ordinal))
                continue;
            if (header)
            {
                header = false;
                continue;
            }
            var fields = Split(line, Separator);
            foreach (var (index, kind) in checks)
            {
                string value = index < fields.Count ? fields[index].Trim() : "";
                bool boolean = kind == Microsoft.ML.Data.DataKind.Boolean;
                bool valid = boolean ? value.Length == 0 || IsBooleanText(value) : IsNumber(value) && (!finiteNumbers || IsFiniteNumber(value));
                if (!valid)
                    throw new CliException($"Dataset file '{Path}', line {lineNumber}, column '{Names[index]}': '{value}' is not {(boolean ? "a Boolean" : IsNumber(value) ? "a finite number" : "a number")}.");
            }
        }
    }

    /// <summary>The index of column <paramref name="name"/>, or a one-line error listing the columns there are.</summary>
    public int IndexOf(string name, string option)
    {
        int index = Array.IndexOf((string[])Names, name);
        if (index < 0)
            throw new CliException($"{option} '{name}' is not a column of '{Path}'; its columns are: {string.Join(", ", Names)}.");
        return index;
    }

    private static bool IsNumber(string value) =>
        value.Length == 0 || value is "?" || value.Equals("NaN", StringComparison.OrdinalIgnoreCase)
        || float.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    // An empty field is not missing here: the text loader reads it as 0.
    private static bool IsFiniteNumber(string value) =>
        value.Length == 0 || float.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out float number) && float.IsFinite(number);

    private static bool IsBooleanText(string value) => value.ToLowerInvariant() is "true" or "false" or "t" or "f" or "yes" or "no" or "y" or "n" or "1" or "0" or "+1" or "-1";

    /// <summary>The next line that is a record (not empty, not a // comment), as the loader skips them.</summary>
    private static string? NextRecord(StreamReader reader)
    {
        string? line;
        while ((line = reader.ReadLine()) is not null && (line.Length == 0 || line.StartsWith("//", StringComparison.Ordinal)))
        {
        }
        return line;
    }

    /// <summary>The fields of one line, honouring double-quoted fields (RFC 4180).</summary>
    private static List<string> Split(string line, char separator)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"' && field.Length == 0)
            {
                quoted = true;
            }
            else if (c == separator)
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }
        fields.Add(field.ToString());
        return fields;
    }
}
