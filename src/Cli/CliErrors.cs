namespace MLNetExt.Cli;

/// <summary>An exception as the one line the CLI prints for it.</summary>
internal static class CliErrors
{
    /// <summary>
    /// The message of <paramref name="e"/> on one line: the CLI's own and the framework's expected kinds (argument,
    /// I/O, format, ...) as they are, any other kind with its type name and a pointer to --verbose.
    /// </summary>
    public static string OneLine(Exception e)
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
}
