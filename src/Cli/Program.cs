// mlnetext: train, evaluate and run MLNetExt models on CSV/TSV files, modelled on ML.NET's mlnet tool.
// Every failure the user can cause ends as one line on standard error and a non-zero exit code; --verbose adds details.
using System.CommandLine;
using System.CommandLine.Help;
using System.Runtime.InteropServices;
using MLNetExt.Cli;
using MLNetExt.Cli.Commands;
using Spectre.Console;

const int ErrorExitCode = 1;
const int UsageExitCode = 2;

using var cancellation = new CancellationTokenSource();
// The first Ctrl+C (or SIGTERM) asks training to stop at the next batch and save what it has; a second one ends the process.
void OnSignal(PosixSignalContext context)
{
    context.Cancel = !cancellation.IsCancellationRequested;
    cancellation.Cancel();
}
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

bool redirected = Console.IsOutputRedirected;
var console = AnsiConsole.Create(new AnsiConsoleSettings
{
    Out = new AnsiConsoleOutput(Console.Out),
    Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
    ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
});
if (redirected)
    console.Profile.Width = 240; // a file or pipe has no width; keep each message on one line
var environment = new CliEnvironment(console, !redirected && console.Profile.Capabilities.Interactive, cancellation.Token);

var verbose = new Option<bool>("--verbose") { Description = "Print error details (the exception and its stack) on failure.", Recursive = true };
var root = new RootCommand("mlnetext: train, evaluate and run MLNetExt models on CSV/TSV files: multi-layer perceptrons (binary, multiclass, regression), LSTM/GRU sequence models (text classification, tagging, forecasting) and autoencoder anomaly detectors.");
root.Options.Add(verbose);
root.Subcommands.Add(TrainCommand.Create(environment));
root.Subcommands.Add(EvaluateCommand.Create(environment));
root.Subcommands.Add(PredictCommand.Create(environment));
root.Subcommands.Add(ExportOnnxCommand.Create(environment));
root.Subcommands.Add(SequenceCommand.Create(environment));
root.Subcommands.Add(AnomalyCommand.Create(environment));
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
    Console.Error.WriteLine($"mlnetext: error: {OneLine(e)}");
    if (parse.GetValue(verbose))
        Console.Error.WriteLine(e.ToString());
    return ErrorExitCode;
}

static string OneLine(Exception e)
{
    // ML.NET's parallel cursors rethrow a worker's exception wrapped in one that names only the mechanism
    // ("Splitter/consolidator worker encountered exception…"); the wrapped one names the column and row.
    while (e is InvalidOperationException { InnerException: { } inner } && e.Message.Contains("encountered exception", StringComparison.Ordinal))
        e = inner;
    // Argument exceptions append "(Parameter 'x')" on a new line; keep the first line, which carries the message.
    string message = e is CliException ? e.Message : e.Message.Split('\n', 2)[0].TrimEnd('\r');
    return e is CliException or ArgumentException or InvalidOperationException or IOException or InvalidDataException or FormatException
        or UnauthorizedAccessException
        ? message
        : $"{e.GetType().Name}: {message} (run with --verbose for details)";
}

static IEnumerable<string> CommandPath(Command command, RootCommand root) =>
    command == root ? [] : [command.Name];
