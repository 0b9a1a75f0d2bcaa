using Spectre.Console;

namespace MLNetExt.Cli;

/// <summary>What the commands share: the console to write to, whether it is an interactive terminal, and the signals.</summary>
/// <param name="Console">Standard output, through Spectre.Console.</param>
/// <param name="IsInteractive">Whether standard output is a terminal (progress bars) rather than a file or pipe (plain lines).</param>
/// <param name="Interrupts">Ctrl+C and SIGTERM, and the atomic, signal-safe writing of every output file.</param>
internal sealed record CliEnvironment(IAnsiConsole Console, bool IsInteractive, Interrupts Interrupts)
{
    /// <summary>Cancelled on the first Ctrl+C (SIGINT) or SIGTERM.</summary>
    public CancellationToken Cancellation => Interrupts.Cancellation;

    /// <summary>
    /// Writes an output file atomically and safe from signals (<see cref="Interrupts.Write"/>): on failure or when a
    /// signal rolls it back, the previous file is left as it was and no temporary file remains.
    /// </summary>
    public void WriteFile(string path, Action<Stream> write) => Interrupts.Write(path, write);
}
