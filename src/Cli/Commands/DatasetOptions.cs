using System.CommandLine;

namespace MLNetExt.Cli.Commands;

/// <summary>The options every command uses to name and read a dataset file.</summary>
internal sealed class DatasetOptions
{
    public Option<FileInfo> Dataset { get; } = new("--dataset", "-d")
    {
        Description = "The CSV or TSV file to read.",
        Required = true,
    };

    public Option<bool> HasHeader { get; } = new("--has-header")
    {
        Description = "Whether the first line names the columns (without one, columns are named col0, col1, ...).",
        DefaultValueFactory = _ => true,
    };

    public Option<string?> Separator { get; } = new("--separator")
    {
        Description = "The field separator: a character, or 'tab', 'comma', 'semicolon', 'space'. Default: tab for .tsv files, comma otherwise.",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Dataset);
        command.Options.Add(HasHeader);
        command.Options.Add(Separator);
    }

    /// <summary>The file's header and inspected column kinds.</summary>
    public Data.DelimitedHeader ReadHeader(ParseResult parse)
    {
        string path = parse.GetValue(Dataset)!.FullName;
        return Data.DelimitedHeader.Read(path, Data.DelimitedHeader.SeparatorFor(path, parse.GetValue(Separator)), parse.GetValue(HasHeader));
    }
}
