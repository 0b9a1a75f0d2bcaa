using Spectre.Console;

namespace MLNetExt.Cli;

/// <summary>What the commands share: the console to write to, whether it is an interactive terminal, and the Ctrl+C token.</summary>
/// <param name="Console">Standard output, through Spectre.Console.</param>
/// <param name="IsInteractive">Whether standard output is a terminal (progress bars) rather than a file or pipe (plain lines).</param>
/// <param name="Cancellation">Cancelled on the first Ctrl+C (SIGINT) or SIGTERM.</param>
internal sealed record CliEnvironment(IAnsiConsole Console, bool IsInteractive, CancellationToken Cancellation);
