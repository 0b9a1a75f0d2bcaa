// mlnetext: train, evaluate and run MLNetExt models on CSV/TSV files, modelled on ML.NET's mlnet tool.
// Every failure the user can cause ends as one line on standard error and a non-zero exit code; --verbose adds details.
using System.CommandLine;
using System.CommandLine.Help;
using MLNetExt.Cli;
using MLNetExt.Cli.Commands;
using Spectre.Console;

const int ErrorExitCode = 1;
const int UsageExitCode = 2;

// The first Ctrl+C (or SIGTERM) asks training to stop at the next batch and save what it has; a second one ends the
// process, but never while a file is being written: that write ends first (Interrupts).
using var interrupts = Interrupts.Register(Console.Error);

bool redirected = Console.IsOutputRedirected;
var console = AnsiConsole.Create(new AnsiConsoleSettings
{
    Out = new AnsiConsoleOutput(Console.Out),
    Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
    ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
});
if (redirected)
    console.Profile.Width = 240; // a file or pipe has no width; keep each message on one line
var environment = new CliEnvironment(console, !redirected && console.Profile.Capabilities.Interactive, interrupts);

var verbose = new Option<bool>("--verbose") { Description = "Print error details (the exception and its stack) on failure.", Recursive = true };
var root = new RootCommand("mlnetext: train, evaluate and run MLNetExt models on CSV/TSV files: multi-layer perceptrons (binary, multiclass, regression), LSTM/GRU sequence models (text classification, tagging, forecasting), autoencoder anomaly detectors and sequence-to-sequence models.");
root.Options.Add(verbose);
root.Subcommands.Add(TrainCommand.Create(environment));
root.Subcommands.Add(EvaluateCommand.Create(environment));
root.Subcommands.Add(PredictCommand.Create(environment));
root.Subcommands.Add(ExportOnnxCommand.Create(environment));
root.Subcommands.Add(SequenceCommand.Create(environment));
root.Subcommands.Add(AnomalyCommand.Create(environment));
root.Subcommands.Add(SequenceToSequenceCommand.Create(environment));
foreach (var command in WordEmbeddingCommands.Create(environment)) root.Subcommands.Add(command);

var parse = root.Parse(args);
if (parse.Errors.Count > 0 && parse.Action is not HelpAction)
{
    string command = string.Join(' ', ["mlnetext", .. CommandPath(parse.CommandResult.Command, root)]);
    string message = System.Text.RegularExpressions.Regex.Replace(parse.Errors[0].Message, @"\s*[\r\n]+\s*", " ");
    Console.Error.WriteLine($"mlnetext: error: {message} (see '{command} --help')");
    return UsageExitCode;
}
try
{
    return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null });
}
catch (Exception e) when (e is not OutOfMemoryException)
{
    Console.Error.WriteLine($"mlnetext: error: {CliErrors.OneLine(e)}");
    if (parse.GetValue(verbose))
        Console.Error.WriteLine(e.ToString());
    return ErrorExitCode;
}

static IEnumerable<string> CommandPath(Command command, RootCommand root) =>
    command == root ? [] : [command.Name];
